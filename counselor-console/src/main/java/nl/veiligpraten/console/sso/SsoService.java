package nl.veiligpraten.console.sso;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.impl.jose.JWT;
import io.vertx.ext.auth.oauth2.OAuth2Auth;
import io.vertx.ext.auth.oauth2.OAuth2AuthorizationURL;
import io.vertx.ext.auth.oauth2.OAuth2FlowType;
import io.vertx.ext.auth.oauth2.OAuth2Options;
import io.vertx.ext.auth.oauth2.Oauth2Credentials;
import io.vertx.ext.auth.oauth2.providers.OpenIDConnectAuth;
import io.vertx.ext.web.RoutingContext;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.staff.SsoAccounts;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.StaffUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff sign-in through the organisation's OpenID Connect provider (issue 21): authorization code
 * with PKCE through Vert.x OAuth2, the ID token checked here (signature against the provider's
 * published keys, then {@link IdTokenCheck}), the person mapped to the staff account an admin bound
 * to their subject, and every SSO session confirmed again with the provider (a refresh) at the
 * configured interval: a refusal ends the session and its console sockets on every node.
 *
 * <p>State, nonce and PKCE verifier of a login attempt stay in this node's memory for ten minutes
 * and are used once; the attempt is tied to the browser that started it by a {@code __Host-}
 * cookie. Refresh tokens stay in the memory of the node that signed the person in, never in the
 * database; a session whose provider confirmation is older than twice the interval counts as over
 * on every node (see {@code ConsoleAuth}), so a lost node cannot keep one open.
 */
public final class SsoService {

  private static final Logger LOG = LoggerFactory.getLogger(SsoService.class);

  /** The cookie that ties a login attempt to the browser that started it. */
  public static final String ATTEMPT_COOKIE = "__Host-vp_sso";

  static final Duration ATTEMPT_TTL = Duration.ofMinutes(10);
  private static final int MAX_ATTEMPTS = 10_000;

  private final Vertx vertx;
  private final SsoSettings settings;
  private final SsoAccounts accounts;
  private final StaffRepository staff;
  private final String redirectUri;
  private final Map<String, Provider> providers = new ConcurrentHashMap<>();
  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();
  private final Map<String, Tracked> sessions = new ConcurrentHashMap<>();
  private HttpClient http;
  private long timer = -1;

  /**
   * A login attempt: its organisation, nonce, PKCE verifier and the hash of the browser's attempt
   * cookie.
   */
  private record Attempt(
      String orgId, String nonce, String verifier, byte[] browser, long startedNanos) {}

  /**
   * A discovered provider: Vert.x OAuth2 for the flow, and its published keys for the ID token
   * signature.
   */
  private static final class Provider {
    final SsoOrganisation org;
    final OAuth2Auth oauth2;
    final String issuer;
    final String jwksUri;
    volatile JWT keys;
    volatile long keysLoadedNanos;

    Provider(SsoOrganisation org, OAuth2Auth oauth2, String issuer, String jwksUri) {
      this.org = org;
      this.oauth2 = oauth2;
      this.issuer = issuer;
      this.jwksUri = jwksUri;
    }
  }

  /**
   * An SSO session this node signed in: the provider's tokens (memory only) and what they must keep
   * confirming.
   */
  private static final class Tracked {
    final byte[] idHash;
    final String orgId;
    final String subject;
    final String role;
    User tokens;
    long checkedNanos;
    boolean checking;

    Tracked(byte[] idHash, String orgId, String subject, String role, User tokens) {
      this.idHash = idHash;
      this.orgId = orgId;
      this.subject = subject;
      this.role = role;
      this.tokens = tokens;
      this.checkedNanos = System.nanoTime();
    }
  }

  /** A sign-in that went through: the new console session. */
  public record SignedIn(String sessionKey, StaffUser user) {}

  /**
   * @param redirectUri the callback URL registered at the providers ({@code /sso/callback} of the
   *     console)
   */
  public SsoService(
      Vertx vertx,
      SsoSettings settings,
      SsoAccounts accounts,
      StaffRepository staff,
      String redirectUri) {
    this.vertx = vertx;
    this.settings = settings;
    this.accounts = accounts;
    this.staff = staff;
    this.redirectUri = redirectUri;
  }

  /** True when at least one organisation signs in through a provider. */
  public boolean enabled() {
    return !settings.organisations().isEmpty();
  }

  /**
   * Discovers every configured provider. A provider that cannot be reached does not stop the
   * console (local sign-in and the other organisations keep working): it is discovered again at its
   * next sign-in.
   */
  public Future<Void> start() {
    if (!enabled()) {
      return Future.succeededFuture();
    }
    http = vertx.createHttpClient();
    long every = Math.max(250, Math.min(5_000, settings.recheck().toMillis() / 4));
    timer = vertx.setPeriodic(every, t -> recheck());
    List<Future<Provider>> all =
        settings.organisations().stream()
            .map(
                o ->
                    provider(o.orgId())
                        .onFailure(
                            e ->
                                LOG.warn(
                                    "SSO provider of organisation {} not reachable at start: {}",
                                    o.orgId(),
                                    e.getClass().getSimpleName())))
            .toList();
    return Future.join(all).transform(ar -> Future.succeededFuture());
  }

  public void stop() {
    if (timer != -1) {
      vertx.cancelTimer(timer);
    }
    if (http != null) {
      http.close();
    }
  }

  private Future<Provider> provider(String orgId) {
    Provider known = providers.get(orgId);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    SsoOrganisation org = settings.of(orgId).orElseThrow();
    OAuth2Options options =
        new OAuth2Options()
            .setSite(org.issuer())
            .setClientId(org.clientId())
            .setClientSecret(org.clientSecret());
    return OpenIDConnectAuth.discover(vertx, options)
        .compose(
            oauth2 -> {
              if (options.getJwkPath() == null) {
                return Future.failedFuture(
                    new IllegalStateException("the provider publishes no jwks_uri"));
              }
              String issuer =
                  options.getJWTOptions() == null || options.getJWTOptions().getIssuer() == null
                      ? org.issuer()
                      : options.getJWTOptions().getIssuer();
              Provider p =
                  new Provider(org, oauth2, issuer, absolute(org.issuer(), options.getJwkPath()));
              return loadKeys(p)
                  .map(
                      v -> {
                        providers.put(orgId, p);
                        LOG.info("SSO provider of organisation {} discovered", orgId);
                        return p;
                      });
            });
  }

  private static String absolute(String issuer, String path) {
    if (path.startsWith("http://") || path.startsWith("https://")) {
      return path;
    }
    java.net.URI site = java.net.URI.create(issuer);
    return site.getScheme() + "://" + site.getRawAuthority() + path;
  }

  private Future<Void> loadKeys(Provider p) {
    return http.request(
            new io.vertx.core.http.RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(p.jwksUri))
        .compose(req -> req.send())
        .compose(
            res -> {
              if (res.statusCode() != 200) {
                return Future.failedFuture(
                    new IllegalStateException("jwks_uri answered " + res.statusCode()));
              }
              return res.body();
            })
        .map(
            body -> {
              JWT jwt = new JWT();
              JsonArray keys = body.toJsonObject().getJsonArray("keys", new JsonArray());
              for (Object k : keys) {
                if (k instanceof JsonObject key
                    && (key.getString("use") == null || "sig".equals(key.getString("use")))) {
                  if (key.getString("alg") == null && "RSA".equals(key.getString("kty"))) {
                    key = key.copy().put("alg", "RS256");
                  }
                  try {
                    jwt.addJWK(new JWK(key));
                  } catch (RuntimeException e) {
                    LOG.info(
                        "SSO provider of organisation {}: a published key is skipped ({})",
                        p.org.orgId(),
                        e.getClass().getSimpleName());
                  }
                }
              }
              if (jwt.isUnsecure()) {
                throw new IllegalStateException("the provider publishes no usable signing key");
              }
              p.keys = jwt;
              p.keysLoadedNanos = System.nanoTime();
              return null;
            });
  }

  /**
   * The verified claims of an ID token, or a failed future with a {@link Refusal} ("signature").
   */
  private Future<JsonObject> verified(Provider p, String idToken) {
    try {
      return Future.succeededFuture(p.keys.decode(idToken));
    } catch (io.vertx.ext.auth.NoSuchKeyIdException e) {
      // The provider may have rolled its keys: fetch them again (at most once a minute), then try
      // once more.
      if (System.nanoTime() - p.keysLoadedNanos < Duration.ofMinutes(1).toNanos()) {
        return Future.failedFuture(
            new Refusal(
                "signature",
                "the ID token is signed with a key the provider does " + "not publish"));
      }
      return loadKeys(p)
          .compose(
              v -> {
                try {
                  return Future.succeededFuture(p.keys.decode(idToken));
                } catch (Exception again) {
                  return Future.failedFuture(
                      new Refusal("signature", "the ID token's signature does not verify"));
                }
              });
    } catch (Exception e) {
      return Future.failedFuture(
          new Refusal("signature", "the ID token's signature does not verify"));
    }
  }

  /** A refusal with a stable code; its message never holds a token or secret. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String code;

    Refusal(String code, String reason) {
      super(reason, null, false, false);
      this.code = code;
    }
  }

  // ---- routes
  // --------------------------------------------------------------------------------------------------

  /**
   * {@code GET /sso/providers}: the organisations whose staff sign in through their provider (for
   * the login page).
   */
  public void providers(RoutingContext ctx) {
    List<Future<JsonObject>> names =
        settings.organisations().stream()
            .map(
                o ->
                    staff
                        .organisationName(o.orgId())
                        .map(
                            n ->
                                new JsonObject()
                                    .put("organisation", o.orgId())
                                    .put("name", n.orElse(o.orgId()))))
            .toList();
    Future.all(names)
        .onSuccess(
            done -> {
              JsonArray out = new JsonArray();
              names.forEach(f -> out.add(f.result()));
              ctx.response()
                  .putHeader("Content-Type", "application/json; charset=utf-8")
                  .end(new JsonObject().put("providers", out).encode());
            })
        .onFailure(ctx::fail);
  }

  /** {@code GET /sso/start?org=ID}: a new login attempt, and off to the organisation's provider. */
  public void start(RoutingContext ctx) {
    String orgId = ctx.request().getParam("org");
    if (orgId == null || settings.of(orgId).isEmpty()) {
      failed(ctx, "unknown_organisation", "no single sign-on for this organisation");
      return;
    }
    purgeAttempts();
    if (attempts.size() >= MAX_ATTEMPTS) {
      failed(ctx, "busy", "too many open sign-in attempts on this node");
      return;
    }
    provider(orgId)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn(
                    "SSO sign-in for organisation {} not possible: provider not reachable ({})",
                    orgId,
                    ar.cause().getClass().getSimpleName());
                failed(ctx, "provider_unreachable", "the provider cannot be reached");
                return;
              }
              String state = Secrets.token();
              String nonce = Secrets.token();
              String verifier = Secrets.token();
              String browser = Secrets.token();
              attempts.put(
                  state,
                  new Attempt(orgId, nonce, verifier, Secrets.sha256(browser), System.nanoTime()));
              String url =
                  ar.result()
                      .oauth2
                      .authorizeURL(
                          new OAuth2AuthorizationURL()
                              .setRedirectUri(redirectUri)
                              .setScopes(List.of("openid", "offline_access"))
                              .setState(state)
                              .setCodeChallenge(challenge(verifier))
                              .setCodeChallengeMethod("S256")
                              .putAdditionalParameter("nonce", nonce));
              // Lax, not Strict: the provider sends the browser back with a cross-site navigation.
              ctx.response()
                  .addCookie(
                      Cookie.cookie(ATTEMPT_COOKIE, browser)
                          .setPath("/")
                          .setSecure(true)
                          .setHttpOnly(true)
                          .setSameSite(CookieSameSite.LAX)
                          .setMaxAge(ATTEMPT_TTL.toSeconds()));
              ctx.response()
                  .setStatusCode(302)
                  .putHeader("Location", url)
                  .putHeader("Cache-Control", "no-store")
                  .end();
            });
  }

  /**
   * {@code GET /sso/callback?code&state}: the provider's answer. Everything is checked before
   * anything is written: state and browser, the code exchange (with the PKCE verifier), the ID
   * token, the bound account and its role. A refusal goes back to the sign-in page with its code;
   * it is logged with the organisation and the code only.
   */
  public void callback(
      RoutingContext ctx, java.util.function.BiConsumer<RoutingContext, SignedIn> done) {
    Cookie cookie = ctx.request().getCookie(ATTEMPT_COOKIE);
    ctx.response()
        .addCookie(
            Cookie.cookie(ATTEMPT_COOKIE, "")
                .setPath("/")
                .setSecure(true)
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX)
                .setMaxAge(0));
    String state = ctx.request().getParam("state");
    Attempt attempt = state == null || state.length() > 128 ? null : attempts.remove(state);
    if (attempt == null || System.nanoTime() - attempt.startedNanos() > ATTEMPT_TTL.toNanos()) {
      refused(ctx, null, "state", "unknown, used or expired sign-in attempt");
      return;
    }
    if (cookie == null
        || !MessageDigest.isEqual(Secrets.sha256(cookie.getValue()), attempt.browser())) {
      refused(ctx, attempt.orgId(), "state", "the sign-in was started in another browser");
      return;
    }
    String error = ctx.request().getParam("error");
    String code = ctx.request().getParam("code");
    if (error != null || code == null || code.isEmpty() || code.length() > 4096) {
      // Only the error code's letters go to the log (it comes from the browser's address bar).
      String what = error == null ? "no code" : error.replaceAll("[^a-z_]", "");
      refused(
          ctx,
          attempt.orgId(),
          "provider_refused",
          "the provider did not sign the person in ("
              + what.substring(0, Math.min(40, what.length()))
              + ")");
      return;
    }
    String orgId = attempt.orgId();
    provider(orgId)
        .compose(
            p ->
                p.oauth2
                    .authenticate(
                        new Oauth2Credentials()
                            .setFlow(OAuth2FlowType.AUTH_CODE)
                            .setCode(code)
                            .setRedirectUri(redirectUri)
                            .setCodeVerifier(attempt.verifier()))
                    .recover(
                        e ->
                            Future.failedFuture(
                                new Refusal(
                                    "token_exchange", "the provider refused the code exchange")))
                    .compose(
                        user -> {
                          String idToken = user.principal().getString("id_token");
                          if (idToken == null) {
                            return Future.failedFuture(
                                new Refusal(
                                    "no_id_token", "the provider answered without an ID token"));
                          }
                          if (user.principal().getString("refresh_token") == null) {
                            return Future.failedFuture(
                                new Refusal(
                                    "no_refresh_token",
                                    "the provider gave no refresh token, so the "
                                        + "session could not be re-checked (allow offline_access for this client)"));
                          }
                          return verified(p, idToken)
                              .compose(
                                  claims -> {
                                    IdTokenCheck.Result result =
                                        IdTokenCheck.check(
                                            claims,
                                            p.issuer,
                                            p.org,
                                            attempt.nonce(),
                                            null,
                                            System.currentTimeMillis() / 1000);
                                    if (result instanceof IdTokenCheck.Result.Refused r) {
                                      return Future.failedFuture(new Refusal(r.code(), r.reason()));
                                    }
                                    IdTokenCheck.Result.Accepted ok =
                                        (IdTokenCheck.Result.Accepted) result;
                                    return accounts
                                        .bySubject(orgId, ok.subject())
                                        .compose(
                                            account -> {
                                              if (account.isEmpty()) {
                                                return Future.failedFuture(
                                                    new Refusal(
                                                        "not_provisioned",
                                                        "no active account of the organisation "
                                                            + "is bound to this person"));
                                              }
                                              StaffUser u = account.get();
                                              if (!ok.roles().contains(u.role())) {
                                                return Future.failedFuture(
                                                    new Refusal(
                                                        "role_mismatch",
                                                        "the provider does not confirm the "
                                                            + "account's role"));
                                              }
                                              String key = Secrets.token();
                                              String csrf = Secrets.token();
                                              byte[] hash = Secrets.sha256(key);
                                              return accounts
                                                  .createSession(hash, u.id(), csrf)
                                                  .compose(v -> staff.recordSignIn(u.id()))
                                                  .map(
                                                      v -> {
                                                        sessions.put(
                                                            busKey(hash),
                                                            new Tracked(
                                                                hash,
                                                                orgId,
                                                                ok.subject(),
                                                                u.role(),
                                                                user));
                                                        LOG.info(
                                                            "SSO sign-in of staff {} ({}) through the provider of organisation {}",
                                                            u.id(),
                                                            u.role(),
                                                            orgId);
                                                        return new SignedIn(key, u);
                                                      });
                                            });
                                  });
                        }))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                done.accept(ctx, ar.result());
              } else if (ar.cause() instanceof Refusal r) {
                refused(ctx, orgId, r.code, r.getMessage());
              } else {
                LOG.warn(
                    "SSO sign-in for organisation {} failed: {}",
                    orgId,
                    ar.cause().getClass().getSimpleName());
                failed(ctx, "internal", "sign-in not possible right now");
              }
            });
  }

  private void refused(RoutingContext ctx, String orgId, String code, String reason) {
    LOG.info("SSO sign-in refused (organisation {}): {}: {}", orgId, code, reason);
    failed(ctx, code, reason);
  }

  /** Back to the sign-in page, which shows the refusal for its code. */
  private static void failed(RoutingContext ctx, String code, String reason) {
    ctx.response()
        .setStatusCode(303)
        .putHeader("Location", "/#sso-error=" + code)
        .putHeader("Cache-Control", "no-store")
        .end();
  }

  private void purgeAttempts() {
    long now = System.nanoTime();
    attempts.values().removeIf(a -> now - a.startedNanos() > ATTEMPT_TTL.toNanos());
  }

  private static String challenge(String verifier) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.sha256(verifier));
  }

  private static String busKey(byte[] idHash) {
    return java.util.HexFormat.of().formatHex(idHash, 0, 12);
  }

  // ---- the re-check
  // ----------------------------------------------------------------------------------------------

  /** A session ended here (logout): its tokens are forgotten at once. */
  public void forget(String busKey) {
    sessions.remove(busKey);
  }

  /** Sessions this node holds provider tokens for (tests, metrics). */
  public int trackedSessions() {
    return sessions.size();
  }

  /**
   * Confirms every due session with its provider by a refresh. A refusal (the person was disabled
   * or removed, the answer names another person or no longer the account's role) ends the session
   * and its sockets on every node; an unreachable provider is tried again next time, and after
   * twice the interval without a confirmation the session counts as over everywhere (the database
   * check in {@code ConsoleAuth}).
   */
  void recheck() {
    long now = System.nanoTime();
    long due = settings.recheck().toNanos();
    for (Map.Entry<String, Tracked> e : sessions.entrySet()) {
      Tracked t = e.getValue();
      if (t.checking || now - t.checkedNanos < due) {
        continue;
      }
      t.checking = true;
      confirm(t)
          .onComplete(
              ar -> {
                t.checking = false;
                if (ar.succeeded()) {
                  if (!ar.result()) {
                    sessions.remove(e.getKey());
                  }
                  return;
                }
                if (ar.cause() instanceof Refusal r) {
                  end(e.getKey(), t, r);
                } else {
                  LOG.warn(
                      "SSO re-check of a session of organisation {} could not reach the provider: {}",
                      t.orgId,
                      ar.cause().getClass().getSimpleName());
                }
              });
    }
  }

  /**
   * True when confirmed; false when the session is gone already (logged out); a {@link Refusal}
   * when refused.
   */
  private Future<Boolean> confirm(Tracked t) {
    return provider(t.orgId)
        .compose(
            p ->
                p.oauth2
                    .refresh(t.tokens)
                    .recover(
                        e ->
                            unreachable(e)
                                ? Future.failedFuture(e)
                                : Future.failedFuture(
                                    new Refusal(
                                        "refresh_refused", "the provider refused the refresh")))
                    .compose(
                        fresh -> {
                          if (fresh.principal().getString("refresh_token") == null) {
                            fresh
                                .principal()
                                .put(
                                    "refresh_token",
                                    t.tokens.principal().getString("refresh_token"));
                          }
                          String idToken = fresh.principal().getString("id_token");
                          Future<Void> checked =
                              idToken == null
                                  ? Future.succeededFuture()
                                  : verified(p, idToken)
                                      .compose(
                                          claims -> {
                                            IdTokenCheck.Result result =
                                                IdTokenCheck.check(
                                                    claims,
                                                    p.issuer,
                                                    p.org,
                                                    null,
                                                    t.subject,
                                                    System.currentTimeMillis() / 1000);
                                            if (result instanceof IdTokenCheck.Result.Refused r) {
                                              return Future.failedFuture(
                                                  new Refusal(r.code(), r.reason()));
                                            }
                                            if (!((IdTokenCheck.Result.Accepted) result)
                                                .roles()
                                                .contains(t.role)) {
                                              return Future.failedFuture(
                                                  new Refusal(
                                                      "role_mismatch",
                                                      "the provider no longer confirms the role"));
                                            }
                                            return Future.succeededFuture();
                                          });
                          return checked.compose(
                              v -> {
                                t.tokens = fresh;
                                t.checkedNanos = System.nanoTime();
                                return accounts.confirmed(t.idHash);
                              });
                        }));
  }

  private static boolean unreachable(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof java.io.IOException
          || c instanceof io.netty.channel.ConnectTimeoutException
          || c instanceof io.vertx.core.http.HttpClosedException) {
        return true;
      }
    }
    return false;
  }

  private void end(String busKey, Tracked t, Refusal r) {
    sessions.remove(busKey);
    LOG.info(
        "SSO session of organisation {} ended by the re-check: {}: {}",
        t.orgId,
        r.code,
        r.getMessage());
    staff
        .deleteSession(t.idHash)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("SSO session end not stored: {}", ar.cause().getClass().getSimpleName());
              }
              // Every node's sockets of this session close (4401 'session-ended'), as after a
              // logout; "ended" is the
              // reason code ConsoleAuth.Ended.ENDED carries.
              vertx.eventBus().publish(Addresses.staffSession(busKey), "ended");
            });
  }

  /** For tests: the re-check interval in effect. */
  public Duration recheckInterval() {
    return settings.recheck();
  }
}
