package nl.veiligpraten.console;

import java.time.Duration;
import java.util.Map;
import nl.veiligpraten.infra.abuse.Limit;

/**
 * Budgets of failed console logins per node (issue 20, finding 11), read once at start-up; see
 * {@link LoginGuard}.
 *
 * @param perAddress failed logins per source address hash ({@code VP_LOGIN_FAILURES_PER_ADDRESS},
 *     default 30/15m)
 * @param global failed logins per node from all sources ({@code VP_LOGIN_FAILURES_GLOBAL}, default
 *     300/1m)
 */
public record LoginLimits(Limit perAddress, Limit global) {

  public static final LoginLimits DEFAULT =
      new LoginLimits(new Limit(30, Duration.ofMinutes(15)), new Limit(300, Duration.ofMinutes(1)));

  public static LoginLimits from(Map<String, String> env) {
    return new LoginLimits(
        limit(env, "VP_LOGIN_FAILURES_PER_ADDRESS", DEFAULT.perAddress()),
        limit(env, "VP_LOGIN_FAILURES_GLOBAL", DEFAULT.global()));
  }

  private static Limit limit(Map<String, String> env, String name, Limit fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : Limit.parse(name, value);
  }
}
