package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import nl.veiligpraten.cannedreply.CannedReplyRepository;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.QueueNote;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.metrics.NodeEndpoints;
import nl.veiligpraten.infra.web.ConnectionGuard;
import nl.veiligpraten.infra.web.FlushCoalescing;
import nl.veiligpraten.infra.web.SecurityHeaders;
import nl.veiligpraten.infra.web.TextPolicy;
import nl.veiligpraten.liveconfig.ConfigVersions;
import nl.veiligpraten.presence.PresenceRepository;
import nl.veiligpraten.staff.StaffRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The counselor console listener: login, the queue of the counselor's organisation, and the console
 * WebSocket.
 */
public final class ConsoleVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleVerticle.class);

  private final ConsoleSettings settings;
  private final Pool pool;
  private final TranscriptService<?> transcripts;
  private final StaffRepository staff;
  private final Set<ConsoleConnection> connections = ConcurrentHashMap.newKeySet();
  private final ConsoleServices services;

  /**
   * This node's console sockets per staff user, kept in step with the cluster-wide presence in
   * PostgreSQL.
   */
  private ConsolePresence presence;

  private long pingTimer = -1;
  private long sessionTimer = -1;
  private boolean recheckRunning;
  private ConsoleAuth auth;
  private nl.veiligpraten.console.sso.SsoService sso;
  private ConsoleApi api;
  private AutoAssigner assigner;
  private TargetWatch targetWatch;
  private HttpServer server;
  private Router router;
  private ConnectionGuard guard;
  private final java.util.function.Function<String, Future<String>> organisationKeys;

  /** The configuration version this node runs (issue 21); 0 when the launcher wired none. */
  private java.util.function.IntSupplier configApplied = () -> 0;

  public ConsoleVerticle(
      ConsoleSettings settings,
      Pool pool,
      TranscriptService<?> transcripts,
      ConsoleServices services) {
    this(
        settings,
        pool,
        transcripts,
        services,
        org ->
            Future.failedFuture(
                new IllegalStateException(
                    "no key store wired: organisations cannot be created on this listener")));
  }

  /**
   * @param organisationKeys creates an organisation's key-encryption key (cluster-wide, see {@code
   *     KeyStoreChanges}) and resolves with its key id; called before a new organisation's row is
   *     written
   */
  public ConsoleVerticle(
      ConsoleSettings settings,
      Pool pool,
      TranscriptService<?> transcripts,
      ConsoleServices services,
      java.util.function.Function<String, Future<String>> organisationKeys) {
    this.organisationKeys = organisationKeys;
    this.settings = settings;
    this.pool = pool;
    this.transcripts = transcripts;
    this.staff = new StaffRepository(pool);
    this.services = services;
  }

  /**
   * Names the configuration version this node runs, for the admin screen. Call before deploying.
   */
  public ConsoleVerticle configApplied(java.util.function.IntSupplier applied) {
    this.configApplied = applied;
    return this;
  }

  @Override
  public Future<?> start() {
    guard = new ConnectionGuard(vertx, settings.limits(), new AtomicInteger(), "console");
    auth = new ConsoleAuth(vertx, staff, settings, services.totpSealer());
    assigner = new AutoAssigner(vertx, services, transcripts);
    presence =
        new ConsolePresence(
            vertx,
            new PresenceRepository(pool),
            services.liveness(),
            assigner::run,
            this::staffingChanged);
    api = new ConsoleApi(vertx, staff, services, assigner, new CannedReplyRepository(pool));
    targetWatch = new TargetWatch(vertx, services.supervisor(), services.helpPoints());
    router = Router.router(vertx);
    router.route().handler(this::securityHeaders);
    router.get("/health").handler(this::health);
    // No /metrics here (issue 20, finding 9): it is served by the management listener, bound to
    // loopback.
    router
        .getWithRegex("/health/(live|ready)")
        .handler(ctx -> NodeEndpoints.handle(vertx, pool, ctx.request()));
    router
        .post("/api/login")
        .handler(BodyHandler.create().setBodyLimit(4096))
        .handler(ConsoleVerticle::noNul)
        .handler(this::login);
    // Single sign-on through the organisation's provider (issue 21): no session yet, so outside
    // /api/*.
    nl.veiligpraten.staff.SsoAccounts ssoAccounts = new nl.veiligpraten.staff.SsoAccounts(pool);
    sso =
        new nl.veiligpraten.console.sso.SsoService(
            vertx,
            settings.sso(),
            ssoAccounts,
            staff,
            settings
                .sso()
                .redirectUri()
                .orElse(settings.allowedOrigins().iterator().next() + "/sso/callback"));
    router.get("/sso/providers").handler(sso::providers);
    router.get("/sso/start").handler(sso::start);
    router
        .get("/sso/callback")
        .handler(
            ctx ->
                sso.callback(
                    ctx,
                    (c, signedIn) -> {
                      c.response().addCookie(ConsoleAuth.sessionCookie(signedIn.sessionKey()));
                      c.response()
                          .setStatusCode(303)
                          .putHeader("Location", "/")
                          .putHeader("Cache-Control", "no-store")
                          .end();
                    }));
    // The one-time enrolment link works without a session (the person has no password yet).
    nl.veiligpraten.audit.AdminAudit adminAudit = new nl.veiligpraten.audit.AdminAudit(pool);
    EnrolmentApi enrolment =
        new EnrolmentApi(vertx, staff, adminAudit, settings, services.totpSealer());
    router
        .post("/api/enrolment/start")
        .handler(BodyHandler.create().setBodyLimit(4096))
        .handler(ConsoleVerticle::noNul)
        .handler(enrolment::start);
    router
        .post("/api/enrolment/finish")
        .handler(BodyHandler.create().setBodyLimit(4096))
        .handler(ConsoleVerticle::noNul)
        .handler(enrolment::finish);
    // Bodies are read before the (asynchronous) session check, so the check cannot lose them.
    // Configuration files
    // are larger than any other body (issue 21).
    router.route("/api/admin/config/*").handler(BodyHandler.create().setBodyLimit(512 * 1024));
    router.route("/api/*").handler(BodyHandler.create().setBodyLimit(16 * 1024));
    router.route("/api/*").handler(ConsoleVerticle::noNul);
    router.route("/api/*").handler(auth::require);
    router.post("/api/logout").handler(this::logout);
    router.get("/api/me").handler(this::me);
    router.get("/api/queue").handler(api::queue);
    router.post("/api/totp/enrol").handler(this::enrolTotp);
    router.post("/api/totp/confirm").handler(api::confirmTotp);
    router.get("/api/conversations/:id").handler(api::preview);
    router.get("/api/staff").handler(api::colleagues);
    router.get("/api/help-points").handler(api::helpPoints);
    router.get("/api/labels").handler(ctx -> json(ctx, 200, services.labels().json()));
    router.get("/api/referrals").handler(api::referrals);
    router.get("/api/canned").handler(api::canned);
    router.post("/api/canned").handler(api::addCanned);
    router.delete("/api/canned/:id").handler(api::deleteCanned);
    router.post("/api/status").handler(api::status);
    router.get("/api/board").handler(api::board);
    InboxApi inbox = new InboxApi(vertx, transcripts, services, api);
    router.get("/api/inbox").handler(inbox::list);
    router.get("/api/inbox/:id").handler(inbox::open);
    router.post("/api/inbox/:id/reply").handler(inbox::reply);
    router.post("/api/inbox/:id/take").handler(inbox::take);
    StaffAdminApi admin =
        new StaffAdminApi(
            vertx, staff, adminAudit, settings, assigner, organisationKeys, ssoAccounts);
    router.post("/api/admin/organisations").handler(admin::createOrganisation);
    router.post("/api/admin/users").handler(admin::createUser);
    router.get("/api/admin/staff").handler(admin::list);
    router.post("/api/admin/invitations").handler(admin::invite);
    router.patch("/api/admin/staff/:id").handler(admin::edit);
    router.post("/api/admin/staff/:id/disable").handler(admin::disable);
    router.post("/api/admin/staff/:id/enable").handler(admin::enable);
    router.post("/api/admin/staff/:id/reset-two-factor").handler(admin::resetTwoFactor);
    router.post("/api/admin/staff/:id/sso").handler(admin::bindSso);
    router.get("/api/admin/audit").handler(admin::auditTrail);
    ConfigAdminApi config =
        new ConfigAdminApi(vertx, new ConfigVersions(pool), staff, adminAudit, configApplied);
    router.get("/api/admin/config").handler(config::overview);
    router.get("/api/admin/config/export").handler(config::export);
    router.put("/api/admin/config/help-points/:id").handler(config::putHelpPoint);
    router.put("/api/admin/config/files/:file").handler(config::putFile);
    router.post("/api/admin/config/import").handler(config::importFiles);
    router.post("/api/admin/config/rollback").handler(config::rollback);
    java.util.Map<String, java.util.Map<Integer, Integer>> targets = new java.util.HashMap<>();
    services.helpPoints().queues().forEach((id, info) -> targets.put(id, info.targetSeconds()));
    nl.veiligpraten.console.stats.StatsRoutes.mount(router, vertx, pool, targets);
    AuditApi accessLog = new AuditApi(pool, adminAudit, staff);
    router.get("/api/audit").handler(accessLog::list);
    router.get("/api/audit/export.csv").handler(accessLog::csv);
    router.get("/api/audit/feed").handler(accessLog::feed);
    // The session check is asynchronous: pause the request so the upgrade can still read it
    // afterwards.
    router
        .get("/ws")
        .handler(
            ctx -> {
              ctx.request().pause();
              ctx.next();
            })
        .handler(auth::require)
        .handler(this::upgrade);
    router
        .get("/*")
        .handler(
            StaticHandler.create("webroot/console")
                .setCachingEnabled(false)
                .setIndexPage("index.html"));

    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(settings.host())
            .setPort(settings.port())
            .setMaxWebSocketFrameSize(settings.maxFrameBytes())
            .setMaxWebSocketMessageSize(settings.maxFrameBytes())
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false)
            // A silent console is closed by the heartbeat check below; its peer cannot answer the
            // close frame, so the
            // TCP connection goes one second later.
            .setWebSocketClosingTimeout(1);
    // Heartbeat from this side: a WebSocket ping frame to every console each third of the silence
    // (a live browser
    // answers it by itself); a console from which nothing came for the silence is closed, so a
    // vanished network
    // ends the counselor's presence like any other close instead of holding it for ever.
    long silence = services.liveness().socketSilenceSeconds() * 1_000_000_000L;
    pingTimer =
        vertx.setPeriodic(
            Math.max(500, silence / 9_000_000L),
            t ->
                java.util.List.copyOf(connections)
                    .forEach(c -> c.checkLiveness(silence, silence / 3)));
    // Open sockets re-check their sessions (issue 20, finding 7): an expired session, or one
    // deleted on another node
    // whose logout note this node missed, closes its sockets within one period.
    sessionTimer =
        vertx.setPeriodic(settings.sessions().recheck().toMillis(), t -> recheckSessions());
    return guard
        .install(vertx.createHttpServer(guard.configure(options)), router)
        .listen()
        .compose(
            s -> {
              server = s;
              return Database.ping(pool);
            })
        .compose(v -> presence.start())
        .compose(v -> sso.start())
        .compose(v -> assigner.start())
        .onSuccess(v -> targetWatch.start());
  }

  /**
   * Every HTTP route as "METHOD path" (the authorization test generates attacks from this table).
   */
  public java.util.List<String> routeTable() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (io.vertx.ext.web.Route r : router.getRoutes()) {
      if (r.getPath() == null || r.methods() == null) {
        continue;
      }
      r.methods().forEach(m -> out.add(m.name() + " " + r.getPath()));
    }
    return out;
  }

  /** Every console WebSocket frame type. */
  public static java.util.List<String> frameTypes() {
    return ConsoleConnection.FRAME_TYPES;
  }

  public int actualPort() {
    return server.actualPort();
  }

  /**
   * A NUL in a body is refused with 400 before any route parses it (PostgreSQL cannot store one).
   */
  static void noNul(RoutingContext ctx) {
    if (TextPolicy.bodyContainsNul(ctx.body().asString())) {
      error(ctx, 400, "invalid_text", "Text must not contain NUL characters.");
      return;
    }
    ctx.next();
  }

  private void securityHeaders(RoutingContext ctx) {
    SecurityHeaders.applyConsole(ctx.response());
    ctx.next();
  }

  private void health(RoutingContext ctx) {
    Database.ping(pool)
        .onSuccess(
            v -> json(ctx, 200, new JsonObject().put("status", "UP").put("listener", "console")))
        .onFailure(
            e ->
                json(
                    ctx,
                    503,
                    new JsonObject().put("status", "DOWN").put("reason", "database unreachable")));
  }

  private void login(RoutingContext ctx) {
    // Login CSRF (issue 20, finding 11): a browser always sends Origin on a POST, so a foreign one
    // is refused; and
    // only a JSON body is read, which a cross-site form or a "simple" fetch cannot send without a
    // CORS preflight
    // (which this listener never grants). Non-browser clients send no Origin and are not a CSRF
    // vector.
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !settings.allowedOrigins().contains(origin)) {
      error(ctx, 403, "origin", "Origin not allowed.");
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null
        || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      error(ctx, 400, "content_type", "Send the login as Content-Type: application/json.");
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null
        || !(body.getValue("username") instanceof String username)
        || !(body.getValue("password") instanceof String password)
        || username.length() > 64
        || password.length() > 256
        || (body.getValue("totp") != null && !(body.getValue("totp") instanceof String))) {
      error(
          ctx,
          400,
          "malformed",
          "Body must be {\"username\": \"...\", \"password\": \"...\", \"totp\": \"123456\"}.");
      return;
    }
    auth.login(username, password, body.getString("totp"), ctx.request().remoteAddress())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("login failed internally: {}", ar.cause().getClass().getName());
                error(ctx, 500, "internal", "Login is not possible right now.");
                return;
              }
              if (ar.result() instanceof ConsoleAuth.LoginResult.Refused refused) {
                LOG.info("login refused: {}", refused.code());
                error(ctx, refused.status(), refused.code(), refused.message());
                return;
              }
              ConsoleAuth.LoginResult.Ok ok = (ConsoleAuth.LoginResult.Ok) ar.result();
              ctx.response().addCookie(ConsoleAuth.sessionCookie(ok.sessionKey()));
              json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("csrfToken", ok.csrfToken())
                      .put("user", userJson(ok.user()))
                      .put("totpEnrolmentRequired", auth.mustEnrolTotp(ok.user())));
            });
  }

  private void logout(RoutingContext ctx) {
    StaffSession session = ctx.get(StaffSession.KEY);
    sso.forget(session.busKey());
    auth.logout(session)
        .onComplete(
            ar -> {
              vertx
                  .eventBus()
                  .publish(
                      Addresses.staffSession(session.busKey()), ConsoleAuth.Ended.LOGGED_OUT.code);
              ctx.response().addCookie(ConsoleAuth.expiredCookie());
              json(ctx, 200, new JsonObject().put("status", "logged_out"));
            });
  }

  /**
   * TOTP enrolment. The first one needs the session only (it may be the forced enrolment after the
   * first sign-in); replacing an enrolled secret needs the password and a current code too (issue
   * 20, finding 6).
   */
  private void enrolTotp(RoutingContext ctx) {
    StaffSession session = ctx.get(StaffSession.KEY);
    if (session.sso()) {
      // The second factor of a single sign-on account is the provider's (issue 21); a TOTP of ours
      // would be unused.
      error(
          ctx,
          409,
          "sso_account",
          "Je logt in via je organisatie; tweestapsverificatie stel je daar in. / You sign "
              + "in through your organisation; set up two-step verification there.");
      return;
    }
    if (session.user().totpSecret() == null) {
      api.enrolTotp(ctx);
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    String password = body != null && body.getValue("password") instanceof String p ? p : null;
    String code = body != null && body.getValue("code") instanceof String c ? c : null;
    auth.reauthenticate(session.user(), password, code)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn(
                    "TOTP re-authentication failed internally: {}",
                    ar.cause().getClass().getName());
                error(ctx, 500, "internal", "Not possible right now.");
              } else if (ar.result().isPresent()) {
                LOG.info(
                    "TOTP re-enrolment refused ({}) for staff {}",
                    ar.result().get(),
                    session.user().id());
                error(
                    ctx,
                    ar.result().get().equals("throttled") ? 429 : 403,
                    ar.result().get(),
                    "Een nieuwe authenticator instellen vraagt je wachtwoord en een geldige code. / Replacing the "
                        + "authenticator needs your password and a current code.");
              } else {
                api.enrolTotp(ctx);
              }
            });
  }

  private void me(RoutingContext ctx) {
    StaffSession session = ctx.get(StaffSession.KEY);
    json(
        ctx,
        200,
        new JsonObject()
            .put("user", userJson(session.user()))
            .put("csrfToken", session.csrfToken())
            .put("totpEnrolmentRequired", auth.mustEnrolTotp(session))
            .put("sso", session.sso()));
  }

  private void upgrade(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || !settings.allowedOrigins().contains(origin)) {
      error(ctx, 403, "origin", "Origin not allowed.");
      return;
    }
    StaffSession session = ctx.get(StaffSession.KEY);
    if (!Roles.chats(session)) {
      ConsoleApi.refuse(ctx, 403, "forbidden", "Your role has no chat console.");
      return;
    }
    ctx.request()
        .toWebSocket()
        .onSuccess(
            socket -> {
              guard.upgraded(ctx.request().connection());
              FlushCoalescing.install(ctx.request().connection());
              ConsoleConnection connection =
                  new ConsoleConnection(
                      vertx,
                      socket,
                      session,
                      transcripts,
                      services,
                      api,
                      auth,
                      settings.transferOffer(),
                      settings.maxFrameBytes());
              connections.add(connection);
              long userId = session.user().id();
              presence.opened(userId, session.orgId());
              socket.closeHandler(
                  v -> {
                    // Presence first: whatever the connection's own clean-up does, the counselor
                    // must not stay "present".
                    presence.closed(userId, session.orgId());
                    connections.remove(connection);
                    connection.closed();
                    if (connections.stream()
                        .noneMatch(c -> c.session().busKey().equals(session.busKey()))) {
                      auth.forget(session);
                    }
                  });
              connection.start();
            });
  }

  private void recheckSessions() {
    if (recheckRunning || connections.isEmpty()) {
      return;
    }
    recheckRunning = true;
    java.util.List<ConsoleConnection> open = java.util.List.copyOf(connections);
    auth.endedSessions(open.stream().map(ConsoleConnection::session).toList())
        .onComplete(
            ar -> {
              recheckRunning = false;
              if (ar.failed()) {
                // The database is away: keep the sockets (their frames fail on their own) and try
                // again next period.
                LOG.warn("console session re-check failed: {}", ar.cause().getClass().getName());
                return;
              }
              for (ConsoleConnection c : open) {
                ConsoleAuth.Ended why = ar.result().get(c.session().busKey());
                if (why != null) {
                  c.sessionEnded(why);
                }
              }
            });
  }

  /** Waiting visitors recompute whether their queue is staffed (a counselor came or went). */
  void staffingChanged(String orgId) {
    vertx.eventBus().publish(Addresses.STAFFING, new JsonObject().put("orgId", orgId));
    BusNotes.publish(vertx.eventBus(), orgId, QueueNote.STAFFING);
  }

  static JsonObject userJson(nl.veiligpraten.staff.StaffUser user) {
    return new JsonObject()
        .put("id", user.id())
        .put("username", user.username())
        .put("displayName", user.displayName())
        .put("role", user.role())
        .put("organisation", user.orgId());
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, new JsonObject().put("error", code).put("message", message));
  }

  /** Open console sockets (metrics gauge). */
  public int connectionCount() {
    return connections.size();
  }

  public Future<Void> drain() {
    if (assigner != null) {
      assigner.stop();
    }
    if (targetWatch != null) {
      targetWatch.stop();
    }
    if (presence != null) {
      presence.stop();
    }
    vertx.cancelTimer(pingTimer);
    vertx.cancelTimer(sessionTimer);
    if (sso != null) {
      sso.stop();
    }
    connections.forEach(ConsoleConnection::goingAway);
    return server == null ? Future.succeededFuture() : server.close();
  }
}
