package nl.veiligpraten.app;

import java.time.Duration;
import java.util.Map;
import nl.veiligpraten.console.LoginLimits;
import nl.veiligpraten.console.SessionLimits;
import nl.veiligpraten.console.sso.SsoSettings;
import nl.veiligpraten.gateway.ResumeGuard;
import nl.veiligpraten.infra.abuse.Limit;
import nl.veiligpraten.infra.settings.EnvValues;
import nl.veiligpraten.infra.web.ListenerLimits;

/**
 * The limits that protect the listeners (issue 20; the chosen values and what the tests measured
 * are in {@code docs/security.md}). Read once at start-up; tests set short values instead of
 * waiting out the defaults.
 *
 * @param visitor transport limits of the visitor listener ({@code VP_VISITOR_*_TIMEOUT_SECONDS},
 *     {@code VP_VISITOR_MAX_CONNECTIONS})
 * @param console transport limits of the console listener ({@code VP_CONSOLE_*})
 * @param helloTimeout a visitor socket without a conversation is closed after this time, also when
 *     its hellos failed ({@code VP_HELLO_TIMEOUT_SECONDS}, default 15)
 * @param resume resume-code budgets: {@code VP_RESUME_ATTEMPTS_PER_CONNECTION} (5), {@code
 *     VP_RESUME_CODES_PER_ADDRESS} (10/1m), {@code VP_RESUME_CODES_GLOBAL} (300/1m per node)
 * @param sessions console session timeouts and the socket re-check ({@code VP_CONSOLE_SESSION_*},
 *     {@link SessionLimits})
 * @param requireTotp {@code VP_REQUIRE_TOTP}: local staff accounts must enrol TOTP before anything
 *     else; unset means yes in production and no in a demo instance (see {@link
 *     #totpRequired(boolean)})
 * @param login failed-login budgets per source address hash and per node ({@code
 *     VP_LOGIN_FAILURES_*}, {@link LoginLimits})
 * @param sso {@code VP_SSO_*}: organisations whose staff sign in through their OpenID Connect
 *     provider ({@link SsoSettings})
 */
public record SecuritySettings(
    ListenerLimits visitor,
    ListenerLimits console,
    Duration helloTimeout,
    ResumeGuard.Budgets resume,
    SessionLimits sessions,
    java.util.Optional<Boolean> requireTotp,
    LoginLimits login,
    SsoSettings sso) {

  public static final SecuritySettings DEFAULT =
      new SecuritySettings(
          ListenerLimits.VISITOR_DEFAULT,
          ListenerLimits.CONSOLE_DEFAULT,
          Duration.ofSeconds(15),
          ResumeGuard.Budgets.DEFAULT,
          SessionLimits.DEFAULT,
          java.util.Optional.empty(),
          LoginLimits.DEFAULT,
          SsoSettings.NONE);

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
        throw new IllegalArgumentException(
            "VP_HELLO_TIMEOUT_SECONDS must be a whole number from 1 to 600, got '" + hello + "'");
      }
    }
    return new SecuritySettings(
        ListenerLimits.from(env, "VP_VISITOR", ListenerLimits.VISITOR_DEFAULT),
        ListenerLimits.from(env, "VP_CONSOLE", ListenerLimits.CONSOLE_DEFAULT),
        helloTimeout,
        new ResumeGuard.Budgets(
            EnvValues.wholeNumber(
                env, "VP_RESUME_ATTEMPTS_PER_CONNECTION", DEFAULT.resume().perConnection(), 1, 100),
            limit(env, "VP_RESUME_CODES_PER_ADDRESS", DEFAULT.resume().perAddress()),
            limit(env, "VP_RESUME_CODES_GLOBAL", DEFAULT.resume().global()),
            DEFAULT.resume().keyRotation()),
        SessionLimits.from(env),
        bool(env, "VP_REQUIRE_TOTP"),
        LoginLimits.from(env),
        SsoSettings.from(env));
  }

  private static java.util.Optional<Boolean> bool(Map<String, String> env, String name) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return java.util.Optional.empty();
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> java.util.Optional.of(true);
      case "false" -> java.util.Optional.of(false);
      default ->
          throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    };
  }

  private static Limit limit(Map<String, String> env, String name, Limit fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : Limit.parse(name, value);
  }

  public SecuritySettings withVisitor(ListenerLimits limits) {
    return new SecuritySettings(
        limits, console, helloTimeout, resume, sessions, requireTotp, login, sso);
  }

  public SecuritySettings withConsole(ListenerLimits limits) {
    return new SecuritySettings(
        visitor, limits, helloTimeout, resume, sessions, requireTotp, login, sso);
  }

  public SecuritySettings withHelloTimeout(Duration timeout) {
    return new SecuritySettings(
        visitor, console, timeout, resume, sessions, requireTotp, login, sso);
  }

  public SecuritySettings withResume(ResumeGuard.Budgets budgets) {
    return new SecuritySettings(
        visitor, console, helloTimeout, budgets, sessions, requireTotp, login, sso);
  }

  public SecuritySettings withSessions(SessionLimits limits) {
    return new SecuritySettings(
        visitor, console, helloTimeout, resume, limits, requireTotp, login, sso);
  }

  public SecuritySettings withRequireTotp(boolean required) {
    return new SecuritySettings(
        visitor,
        console,
        helloTimeout,
        resume,
        sessions,
        java.util.Optional.of(required),
        login,
        sso);
  }

  public SecuritySettings withLogin(LoginLimits limits) {
    return new SecuritySettings(
        visitor, console, helloTimeout, resume, sessions, requireTotp, limits, sso);
  }

  public SecuritySettings withSso(SsoSettings other) {
    return new SecuritySettings(
        visitor, console, helloTimeout, resume, sessions, requireTotp, login, other);
  }

  /**
   * Whether local staff must enrol TOTP: as configured, else always except in a demo instance
   * (published logins).
   */
  public boolean totpRequired(boolean demo) {
    return requireTotp.orElse(!demo);
  }
}
