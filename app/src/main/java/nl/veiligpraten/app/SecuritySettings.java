package nl.veiligpraten.app;

import java.time.Duration;
import java.util.Map;
import nl.veiligpraten.infra.web.ListenerLimits;

/**
 * The limits that protect the listeners (issue 20; the chosen values and what the tests measured are in
 * {@code docs/security.md}). Read once at start-up; tests set short values instead of waiting out the defaults.
 *
 * @param visitor      transport limits of the visitor listener ({@code VP_VISITOR_*_TIMEOUT_SECONDS},
 *                     {@code VP_VISITOR_MAX_CONNECTIONS})
 * @param console      transport limits of the console listener ({@code VP_CONSOLE_*})
 * @param helloTimeout a visitor socket without a conversation is closed after this time, also when its hellos
 *                     failed ({@code VP_HELLO_TIMEOUT_SECONDS}, default 15)
 */
public record SecuritySettings(ListenerLimits visitor, ListenerLimits console, Duration helloTimeout) {

  public static final SecuritySettings DEFAULT = new SecuritySettings(ListenerLimits.VISITOR_DEFAULT,
      ListenerLimits.CONSOLE_DEFAULT, Duration.ofSeconds(15));

  static SecuritySettings from(Map<String, String> env) {
    String hello = env.get("VP_HELLO_TIMEOUT_SECONDS");
    Duration helloTimeout = DEFAULT.helloTimeout();
    if (hello != null && !hello.isBlank()) {
      try {
        int n = Integer.parseInt(hello.trim());
        if (n < 1 || n > 600) {
          throw new NumberFormatException();
        }
        helloTimeout = Duration.ofSeconds(n);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("VP_HELLO_TIMEOUT_SECONDS must be a whole number from 1 to 600, got '"
            + hello + "'");
      }
    }
    return new SecuritySettings(ListenerLimits.from(env, "VP_VISITOR", ListenerLimits.VISITOR_DEFAULT),
        ListenerLimits.from(env, "VP_CONSOLE", ListenerLimits.CONSOLE_DEFAULT), helloTimeout);
  }

  public SecuritySettings withVisitor(ListenerLimits limits) {
    return new SecuritySettings(limits, console, helloTimeout);
  }

  public SecuritySettings withConsole(ListenerLimits limits) {
    return new SecuritySettings(visitor, limits, helloTimeout);
  }

  public SecuritySettings withHelloTimeout(Duration timeout) {
    return new SecuritySettings(visitor, console, timeout);
  }
}
