package nl.veiligpraten.console;

import java.time.Duration;
import java.util.Map;
import nl.veiligpraten.infra.settings.EnvValues;

/**
 * How long a console session lives and how often open console sockets re-check theirs (issue 20,
 * finding 7), read once at start-up.
 *
 * @param idle a session without a user action for this long is over ({@code
 *     VP_CONSOLE_SESSION_IDLE_MINUTES}, default 30). Background polling and heartbeats are not user
 *     actions.
 * @param absolute a session older than this is over, however active ({@code
 *     VP_CONSOLE_SESSION_MAX_HOURS}, default 12)
 * @param recheck every open console socket re-reads its session this often and closes with 4401
 *     when it is over or gone ({@code VP_CONSOLE_SESSION_RECHECK_SECONDS}, default 15); logout
 *     closes at once
 */
public record SessionLimits(Duration idle, Duration absolute, Duration recheck) {

  public SessionLimits {
    if (idle.isNegative()
        || idle.isZero()
        || absolute.compareTo(idle) < 0
        || recheck.isNegative()
        || recheck.isZero()) {
      throw new IllegalArgumentException(
          "session limits must be positive, and the absolute one at least the idle one");
    }
  }

  public static final SessionLimits DEFAULT =
      new SessionLimits(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofSeconds(15));

  /**
   * A user action refreshes the stored idle timer at most this often (a write per frame would be
   * wasteful).
   */
  public Duration touchEvery() {
    Duration tenth = idle.dividedBy(10);
    return tenth.compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1) : tenth;
  }

  public static SessionLimits from(Map<String, String> env) {
    return new SessionLimits(
        Duration.ofMinutes(
            EnvValues.wholeNumber(env, "VP_CONSOLE_SESSION_IDLE_MINUTES", 30, 1, 24 * 60)),
        Duration.ofHours(EnvValues.wholeNumber(env, "VP_CONSOLE_SESSION_MAX_HOURS", 12, 1, 7 * 24)),
        Duration.ofSeconds(
            EnvValues.wholeNumber(env, "VP_CONSOLE_SESSION_RECHECK_SECONDS", 15, 1, 600)));
  }
}
