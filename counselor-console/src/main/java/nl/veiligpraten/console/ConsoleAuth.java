package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.StaffUser;
import nl.veiligpraten.staff.Totp;

/**
 * Staff authentication: Argon2id password check on a worker thread, a fresh random session id at
 * every login (stored only as a hash), a {@code __Host-} cookie that is Secure, HttpOnly and
 * SameSite=Strict, idle and absolute timeouts, a CSRF token for every state-changing request, and
 * throttling of failed logins per user name.
 */
public final class ConsoleAuth {

  public static final String COOKIE = "__Host-vp_session";
  public static final String CSRF_HEADER = "X-CSRF-Token";

  /**
   * Marks a request the page made on its own (polling), which does not refresh the session's idle
   * timer.
   */
  public static final String BACKGROUND_HEADER = "X-VP-Background";

  private static final int FREE_FAILURES = 5;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConsoleAuth.class);

  private final Vertx vertx;
  private final StaffRepository staff;
  private final ConsoleSettings settings;

  /**
   * Failed re-authentications (TOTP re-enrolment) per user name: count and when the next attempt is
   * allowed. Logins are limited by {@link LoginGuard} instead, which cannot be used to lock a user
   * out.
   */
  private final ConcurrentHashMap<String, long[]> failures = new ConcurrentHashMap<>();

  /**
   * Verified against when a user name does not exist, so timing does not reveal which names exist.
   */
  private final String dummyHash = PasswordHasher.hash(Secrets.token());

  private final nl.veiligpraten.staff.TotpSealer sealer;

  public ConsoleAuth(
      Vertx vertx,
      StaffRepository staff,
      ConsoleSettings settings,
      nl.veiligpraten.staff.TotpSealer sealer) {
    this.vertx = vertx;
    this.staff = staff;
    this.settings = settings;
    this.sealer = sealer;
    this.guard = new LoginGuard(settings.loginLimits());
  }

  private final LoginGuard guard;

  /**
   * Routes a session without TOTP may use when TOTP is required: its first sign-in leads straight
   * to enrolment (issue 20, finding 6). Everything else, the console WebSocket included, answers
   * 403 totp_enrolment_required.
   */
  private static final java.util.Set<String> ENROLMENT_ROUTES =
      java.util.Set.of(
          "GET /api/me", "POST /api/totp/enrol", "POST /api/totp/confirm", "POST /api/logout");

  /** True when this user must still enrol TOTP before using the console. */
  public boolean mustEnrolTotp(StaffUser user) {
    return settings.requireTotp() && user.totpSecret() == null;
  }

  /**
   * True when this session's user must still enrol TOTP. Never for a single sign-on session: the
   * second factor is the provider's, checked on its ID token when the organisation requires it.
   */
  public boolean mustEnrolTotp(StaffSession session) {
    return !session.sso() && mustEnrolTotp(session.user());
  }

  /**
   * Re-authentication for replacing an enrolled TOTP secret: the password and a current code of the
   * enrolled secret (a stolen session cookie alone is not enough). Empty when both are right;
   * otherwise the refusal code. Failures count like failed logins of that user name.
   */
  Future<Optional<String>> reauthenticate(StaffUser user, String password, String code) {
    if (password == null || code == null || password.length() > 256) {
      return Future.succeededFuture(Optional.of("reauth_required"));
    }
    long[] state = failures.get(user.username());
    if (state != null && state[1] > System.currentTimeMillis()) {
      return Future.succeededFuture(Optional.of("throttled"));
    }
    return vertx
        .executeBlocking(() -> PasswordHasher.verify(password, user.passwordHash()), false)
        .compose(
            ok -> {
              long step =
                  ok
                      ? Totp.matchingStep(
                          sealer.open(user.id(), user.totpSecret()),
                          code,
                          Totp.stepAt(System.currentTimeMillis() / 1000))
                      : -1;
              if (step < 0) {
                recordFailure(user.username());
                return Future.succeededFuture(Optional.of("bad_credentials"));
              }
              return staff
                  .acceptTotpStep(user.id(), step)
                  .map(
                      fresh -> {
                        if (!fresh) {
                          recordFailure(user.username());
                          return Optional.of("totp_reused");
                        }
                        return Optional.<String>empty();
                      });
            });
  }

  /** Result of a login attempt. */
  public sealed interface LoginResult {
    record Ok(String sessionKey, String csrfToken, StaffUser user) implements LoginResult {}

    record Refused(int status, String code, String message) implements LoginResult {}
  }

  public Future<LoginResult> login(String username, String password) {
    return login(username, password, null);
  }

  /**
   * Password, then (when the user enrolled TOTP) the one-time code: a code of the current step or
   * one step either side is accepted once; the same or an older step is refused even with a correct
   * code (replay).
   */
  public Future<LoginResult> login(String username, String password, String totp) {
    return login(username, password, totp, null);
  }

  /**
   * A login from a source (its network address, counted only as an in-memory keyed hash, see {@link
   * LoginGuard}). Over a limit the answer is 429 without a password check.
   */
  public Future<LoginResult> login(
      String username, String password, String totp, io.vertx.core.net.SocketAddress remote) {
    String source = guard.source(remote);
    long[] waitMillis = new long[1];
    LoginGuard.Verdict verdict = guard.check(source, username, waitMillis);
    if (verdict != LoginGuard.Verdict.ALLOWED) {
      long wait = (waitMillis[0] + 999) / 1000;
      LOG.info("login refused before the password check: {}", verdict);
      return Future.succeededFuture(
          verdict == LoginGuard.Verdict.GLOBAL_LIMIT
              ? new LoginResult.Refused(
                  429,
                  "busy",
                  "Er wordt nu erg vaak geprobeerd in te loggen. Probeer het over "
                      + wait
                      + " seconden opnieuw. / Too many sign-in attempts right now; try again in "
                      + wait
                      + " s.")
              : new LoginResult.Refused(
                  429,
                  "throttled",
                  "Te veel pogingen. Probeer het over " + wait + " seconden opnieuw."));
    }
    return staff
        .forLogin(username)
        .compose(
            found ->
                vertx.executeBlocking(
                    () -> {
                      String hash = found.map(StaffUser::passwordHash).orElse(dummyHash);
                      boolean ok = PasswordHasher.verify(password, hash) && found.isPresent();
                      return ok ? found : Optional.<StaffUser>empty();
                    },
                    false))
        .compose(
            user -> {
              if (user.isEmpty()) {
                guard.failed(source, username);
                return Future.succeededFuture(
                    new LoginResult.Refused(
                        401, "bad_credentials", "Onjuiste gebruikersnaam of wachtwoord."));
              }
              StaffUser u = user.get();
              if (u.totpSecret() != null) {
                if (totp == null || totp.isEmpty()) {
                  return Future.succeededFuture(
                      new LoginResult.Refused(
                          401, "totp_required", "Vul de code uit je authenticator-app in."));
                }
                long step =
                    Totp.matchingStep(
                        sealer.open(u.id(), u.totpSecret()),
                        totp,
                        Totp.stepAt(System.currentTimeMillis() / 1000));
                if (step < 0) {
                  guard.failed(source, username);
                  return Future.succeededFuture(
                      new LoginResult.Refused(401, "bad_totp", "Onjuiste of verlopen code."));
                }
                return staff
                    .acceptTotpStep(u.id(), step)
                    .compose(
                        fresh -> {
                          if (!fresh) {
                            guard.failed(source, username);
                            return Future.succeededFuture(
                                new LoginResult.Refused(
                                    401,
                                    "totp_reused",
                                    "Deze code is al gebruikt. Wacht op de volgende code."));
                          }
                          return startSession(source, username, u);
                        });
              }
              return startSession(source, username, u);
            });
  }

  /**
   * A fresh random session id at every login (never reused from before the login), stored only as a
   * hash.
   */
  private Future<LoginResult> startSession(String source, String username, StaffUser user) {
    guard.succeeded(source, username);
    String key = Secrets.token();
    String csrf = Secrets.token();
    return staff
        .createSession(Secrets.sha256(key), user.id(), csrf)
        .compose(v -> staff.recordSignIn(user.id()))
        .map(v -> new LoginResult.Ok(key, csrf, user));
  }

  private void recordFailure(String username) {
    failures.compute(
        username,
        (k, v) -> {
          long count = v == null ? 1 : v[0] + 1;
          long delay =
              count <= FREE_FAILURES
                  ? 0
                  : Math.min(15 * 60_000L, 1000L << Math.min(20, count - FREE_FAILURES));
          return new long[] {count, System.currentTimeMillis() + delay};
        });
    if (failures.size() > 100_000) {
      failures.clear();
    }
  }

  public static Cookie sessionCookie(String key) {
    return Cookie.cookie(COOKIE, key)
        .setPath("/")
        .setSecure(true)
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.STRICT);
  }

  public static Cookie expiredCookie() {
    return sessionCookie("").setMaxAge(0);
  }

  /** The session of a request (HTTP or WebSocket handshake), if its cookie names a live one. */
  public Future<Optional<StaffSession>> sessionOf(HttpServerRequest request) {
    Cookie cookie = request.getCookie(COOKIE);
    if (cookie == null || cookie.getValue().isEmpty() || cookie.getValue().length() > 128) {
      return Future.succeededFuture(Optional.empty());
    }
    String key = cookie.getValue();
    byte[] hash = Secrets.sha256(key);
    return staff
        .session(hash)
        .compose(
            row -> {
              if (row.isEmpty()) {
                return Future.succeededFuture(Optional.<StaffSession>empty());
              }
              if (expired(row.get().createdAt(), row.get().lastSeenAt())
                  || ssoUnconfirmed(row.get().ssoCheckedAt())) {
                // Its sockets, on every node, close now with the same reason the re-check would
                // give.
                return staff
                    .deleteSession(hash)
                    .map(
                        v -> {
                          vertx
                              .eventBus()
                              .publish(
                                  Addresses.staffSession(StaffSession.busKey(hash)),
                                  Ended.EXPIRED.code);
                          return Optional.<StaffSession>empty();
                        });
              }
              Optional<StaffSession> live =
                  Optional.of(
                      new StaffSession(
                          key,
                          hash,
                          row.get().user(),
                          row.get().csrfToken(),
                          row.get().ssoCheckedAt() != null));
              // Background polling (referrals, board, session checks) is not activity: it must not
              // keep an unattended
              // console signed in for ever. The console page marks such requests; everything else
              // refreshes the idle timer.
              return request.getHeader(BACKGROUND_HEADER) != null
                  ? Future.succeededFuture(live)
                  : staff.touchSession(hash).map(v -> live);
            });
  }

  private boolean expired(OffsetDateTime createdAt, OffsetDateTime lastSeenAt) {
    OffsetDateTime now = OffsetDateTime.now();
    return lastSeenAt.plus(settings.sessions().idle()).isBefore(now)
        || createdAt.plus(settings.sessions().absolute()).isBefore(now);
  }

  /**
   * A single sign-on session the provider has not confirmed for twice the re-check interval plus a
   * grace of one more interval (at most 30 s, for a slow refresh): the node holding its refresh
   * token is gone or cannot reach the provider, so nobody vouches for the person any more.
   */
  private boolean ssoUnconfirmed(OffsetDateTime ssoCheckedAt) {
    java.time.Duration recheck = settings.sso().recheck();
    java.time.Duration grace =
        recheck.compareTo(java.time.Duration.ofSeconds(30)) < 0
            ? recheck
            : java.time.Duration.ofSeconds(30);
    return ssoCheckedAt != null
        && ssoCheckedAt.plus(recheck.multipliedBy(2)).plus(grace).isBefore(OffsetDateTime.now());
  }

  /** Why a session that a console socket still uses is over. */
  enum Ended {
    /** Signed out, on this node or another (the logout note on the bus). */
    LOGGED_OUT("logged_out"),
    /** The idle or absolute timeout passed (found by the periodic re-check). */
    EXPIRED("expired"),
    /**
     * The session row is gone, found by the periodic re-check: a logout whose bus note this node
     * missed, or a session deleted in the database.
     */
    ENDED("ended");

    final String code;

    Ended(String code) {
      this.code = code;
    }

    /**
     * The reason a bus note on {@code Addresses.staffSession} carries; an unknown one counts as a
     * logout.
     */
    static Ended ofCode(String code) {
      for (Ended e : values()) {
        if (e.code.equals(code)) {
          return e;
        }
      }
      return LOGGED_OUT;
    }
  }

  /**
   * Which of the given sessions are over, by their bus key (issue 20, finding 7: an open socket
   * must not outlive its session). One query for all of them; an expired row is deleted, like a
   * request with it would.
   */
  Future<java.util.Map<String, Ended>> endedSessions(java.util.Collection<StaffSession> sessions) {
    java.util.Map<String, StaffSession> byKey = new java.util.HashMap<>();
    sessions.forEach(s -> byKey.put(s.busKey(), s));
    return staff
        .sessionTimes(byKey.values().stream().map(StaffSession::idHash).toList())
        .compose(
            rows -> {
              java.util.Map<String, Ended> ended = new java.util.HashMap<>();
              byKey.keySet().forEach(k -> ended.put(k, Ended.ENDED));
              List<Future<Void>> deletes = new java.util.ArrayList<>();
              for (StaffRepository.SessionTimes row : rows) {
                String key = StaffSession.busKey(row.idHash());
                if (expired(row.createdAt(), row.lastSeenAt())
                    || ssoUnconfirmed(row.ssoCheckedAt())) {
                  ended.put(key, Ended.EXPIRED);
                  deletes.add(staff.deleteSession(row.idHash()));
                } else {
                  ended.remove(key);
                }
              }
              return Future.join(deletes).transform(ignored -> Future.succeededFuture(ended));
            });
  }

  /**
   * Last refresh of a session's idle timer by a socket's user action, per bus key (node-local,
   * throttled).
   */
  private final ConcurrentHashMap<String, Long> touched = new ConcurrentHashMap<>();

  /**
   * A user action on a console socket (a chat taken, a message typed or sent, a status changed):
   * refreshes the session's idle timer, at most once per {@link SessionLimits#touchEvery()}.
   * Heartbeats are not user actions.
   */
  void userAction(StaffSession session) {
    long now = System.nanoTime();
    long every = settings.sessions().touchEvery().toNanos();
    Long last = touched.get(session.busKey());
    if (last != null && now - last < every) {
      return;
    }
    touched.put(session.busKey(), now);
    staff
        .touchSession(session.idHash())
        .onFailure(e -> LOG.warn("session touch failed: {}", e.getClass().getName()));
  }

  /** Forgets the throttle state of a session whose last socket closed. */
  void forget(StaffSession session) {
    touched.remove(session.busKey());
  }

  /**
   * Route handler: requires a live session, and for non-GET requests a matching CSRF token and
   * allowed Origin.
   */
  public void require(RoutingContext ctx) {
    sessionOf(ctx.request())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                ctx.fail(ar.cause());
                return;
              }
              if (ar.result().isEmpty()) {
                ConsoleVerticle.error(
                    ctx, 401, "unauthenticated", "Log eerst in. / Please log in.");
                return;
              }
              StaffSession session = ar.result().get();
              if (mustEnrolTotp(session)
                  && !ENROLMENT_ROUTES.contains(
                      ctx.request().method().name() + " " + ctx.request().path())) {
                ConsoleVerticle.error(
                    ctx,
                    403,
                    "totp_enrolment_required",
                    "Stel eerst de tweestapsverificatie (authenticator-app) in. / Set up two-step verification first.");
                return;
              }
              if (!"GET".equals(ctx.request().method().name())) {
                String origin = ctx.request().getHeader("Origin");
                if (origin != null && !settings.allowedOrigins().contains(origin)) {
                  ConsoleVerticle.error(
                      ctx, 403, "origin", "Request from a foreign origin refused.");
                  return;
                }
                String csrf = ctx.request().getHeader(CSRF_HEADER);
                if (csrf == null
                    || !java.security.MessageDigest.isEqual(
                        csrf.getBytes(), session.csrfToken().getBytes())) {
                  ConsoleVerticle.error(ctx, 403, "csrf", "Missing or wrong CSRF token.");
                  return;
                }
              }
              ctx.put(StaffSession.KEY, session);
              ctx.next();
            });
  }

  public Future<Void> logout(StaffSession session) {
    return staff.deleteSession(session.idHash());
  }
}
