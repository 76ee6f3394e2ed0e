package nl.veiligpraten.console;

import java.util.Set;
import nl.veiligpraten.infra.web.ListenerLimits;

/**
 * Settings of the counselor console listener, read once at start-up.
 *
 * @param host interface to bind
 * @param port port (0 = any free port, for tests)
 * @param allowedOrigins Origin values allowed for the console WebSocket and state-changing requests
 * @param sessions idle and absolute session timeouts and how often open sockets re-check their
 *     session
 * @param maxFrameBytes largest WebSocket frame
 * @param limits header, body and idle timeouts and the connection cap of the listener
 * @param requireTotp local staff accounts must enrol TOTP before they can do anything else (issue
 *     20, finding 6)
 * @param transferOffer how long a warm transfer waits for the colleague to accept
 * @param loginLimits failed-login budgets per source and per node ({@link LoginGuard})
 * @param sso organisations whose staff sign in through their OpenID Connect provider
 */
public record ConsoleSettings(
    String host,
    int port,
    Set<String> allowedOrigins,
    SessionLimits sessions,
    int maxFrameBytes,
    ListenerLimits limits,
    boolean requireTotp,
    java.time.Duration transferOffer,
    LoginLimits loginLimits,
    nl.veiligpraten.console.sso.SsoSettings sso) {

  /** Without a transfer offer time: the default of one minute. */
  public ConsoleSettings(
      String host,
      int port,
      Set<String> allowedOrigins,
      SessionLimits sessions,
      int maxFrameBytes,
      ListenerLimits limits,
      boolean requireTotp) {
    this(
        host,
        port,
        allowedOrigins,
        sessions,
        maxFrameBytes,
        limits,
        requireTotp,
        java.time.Duration.ofMinutes(1),
        LoginLimits.DEFAULT,
        nl.veiligpraten.console.sso.SsoSettings.NONE);
  }
}
