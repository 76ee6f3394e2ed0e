package nl.veiligpraten.infra.web;

import io.vertx.core.http.HttpServerResponse;

/**
 * Response headers every route of both listeners sets: nothing is cached (a shared phone keeps no
 * trace), no script or style from anywhere but this origin and never inline, no framing, no
 * referrer.
 */
public final class SecurityHeaders {

  /** Strict CSP: no unsafe-inline, no unsafe-eval, no third-party hosts. */
  public static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
          + "frame-ancestors 'none'";

  private SecurityHeaders() {}

  /**
   * Visitor listener: a shared phone must show nothing from this service outside the page, so no
   * notifications.
   */
  public static void apply(HttpServerResponse response) {
    common(response)
        .putHeader(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=(), notifications=()")
        // Issue 19: quick exit closes the help-point websites the page opened. Under "same-origin"
        // the browser cuts
        // the page's handle to such a window at once, so it could not be closed; windows that other
        // sites open
        // towards this page still get no handle to it.
        .putHeader("Cross-Origin-Opener-Policy", "same-origin-allow-popups");
  }

  /**
   * Console listener: like {@link #apply} but desktop notifications are allowed (a counselor must
   * not miss a chat; the console shows them without message content).
   */
  public static void applyConsole(HttpServerResponse response) {
    common(response)
        .putHeader("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        .putHeader("Cross-Origin-Opener-Policy", "same-origin");
  }

  private static HttpServerResponse common(HttpServerResponse response) {
    return response
        .putHeader("Cache-Control", "no-store")
        .putHeader("Pragma", "no-cache")
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Cross-Origin-Resource-Policy", "same-origin");
  }
}
