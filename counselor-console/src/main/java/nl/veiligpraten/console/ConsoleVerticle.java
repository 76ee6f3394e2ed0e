package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.conversation.Conversation;
import nl.veiligpraten.infra.conversation.TranscriptService;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.metrics.NodeEndpoints;
import nl.veiligpraten.infra.staff.StaffRepository;
import nl.veiligpraten.infra.web.SecurityHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The counselor console listener: login, the queue of the counselor's organisation, and the console WebSocket. */
public final class ConsoleVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleVerticle.class);

  private final ConsoleSettings settings;
  private final Pool pool;
  private final TranscriptService<?> transcripts;
  private final StaffRepository staff;
  private final Set<ConsoleConnection> connections = ConcurrentHashMap.newKeySet();
  private ConsoleAuth auth;
  private HttpServer server;

  public ConsoleVerticle(ConsoleSettings settings, Pool pool, TranscriptService<?> transcripts) {
    this.settings = settings;
    this.pool = pool;
    this.transcripts = transcripts;
    this.staff = new StaffRepository(pool);
  }

  @Override
  public Future<?> start() {
    auth = new ConsoleAuth(vertx, staff, settings);
    Router router = Router.router(vertx);
    router.route().handler(this::securityHeaders);
    router.get("/health").handler(this::health);
    router.getWithRegex("/health/(live|ready)|/metrics").handler(ctx -> NodeEndpoints.handle(vertx, pool, ctx.request()));
    router.post("/api/login").handler(BodyHandler.create().setBodyLimit(4096)).handler(this::login);
    router.route("/api/*").handler(auth::require);
    router.post("/api/logout").handler(this::logout);
    router.get("/api/me").handler(this::me);
    router.get("/api/queue").handler(this::queue);
    nl.veiligpraten.console.stats.StatsRoutes.mount(router, vertx, pool);
    router.get("/api/audit").handler(new AuditApi(pool)::list);
    // The session check is asynchronous: pause the request so the upgrade can still read it afterwards.
    router.get("/ws").handler(ctx -> {
      ctx.request().pause();
      ctx.next();
    }).handler(auth::require).handler(this::upgrade);
    router.get("/*").handler(StaticHandler.create("webroot/console").setCachingEnabled(false)
        .setIndexPage("index.html"));

    HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port())
        .setMaxWebSocketFrameSize(settings.maxFrameBytes()).setMaxWebSocketMessageSize(settings.maxFrameBytes())
        .setPerFrameWebSocketCompressionSupported(false).setPerMessageWebSocketCompressionSupported(false);
    return vertx.createHttpServer(options).requestHandler(router).listen()
        .compose(s -> {
          server = s;
          return Database.ping(pool);
        });
  }

  public int actualPort() {
    return server.actualPort();
  }

  private void securityHeaders(RoutingContext ctx) {
    SecurityHeaders.apply(ctx.response());
    ctx.next();
  }

  private void health(RoutingContext ctx) {
    Database.ping(pool)
        .onSuccess(v -> json(ctx, 200, new JsonObject().put("status", "UP").put("listener", "console")))
        .onFailure(e -> json(ctx, 503, new JsonObject().put("status", "DOWN").put("reason", "database unreachable")));
  }

  private void login(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null || !(body.getValue("username") instanceof String username)
        || !(body.getValue("password") instanceof String password) || username.length() > 64
        || password.length() > 256) {
      error(ctx, 400, "malformed", "Body must be {\"username\": \"...\", \"password\": \"...\"}.");
      return;
    }
    auth.login(username, password).onComplete(ar -> {
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
      json(ctx, 200, new JsonObject().put("csrfToken", ok.csrfToken()).put("user", userJson(ok.user())));
    });
  }

  private void logout(RoutingContext ctx) {
    StaffSession session = ctx.get(StaffSession.KEY);
    auth.logout(session).onComplete(ar -> {
      vertx.eventBus().publish(Addresses.staffSession(session.busKey()), "logout");
      ctx.response().addCookie(ConsoleAuth.expiredCookie());
      json(ctx, 200, new JsonObject().put("status", "logged_out"));
    });
  }

  private void me(RoutingContext ctx) {
    StaffSession session = ctx.get(StaffSession.KEY);
    json(ctx, 200, new JsonObject().put("user", userJson(session.user())).put("csrfToken", session.csrfToken()));
  }

  private void queue(RoutingContext ctx) {
    StaffSession session = ctx.get(StaffSession.KEY);
    transcripts.conversations().queueOf(session.orgId(), 200)
        .onSuccess(list -> json(ctx, 200, new JsonObject().put("queue", queueJson(list))))
        .onFailure(ctx::fail);
  }

  static JsonArray queueJson(java.util.List<Conversation> list) {
    JsonArray items = new JsonArray();
    OffsetDateTime now = OffsetDateTime.now();
    for (Conversation c : list) {
      items.add(new JsonObject().put("conversationId", c.id().toString()).put("helpPoint", c.helpPoint())
          .put("priority", c.priority()).put("intake", new JsonObject(c.intakeJson()))
          .put("waitingSeconds", c.queuedAt() == null ? 0 : Duration.between(c.queuedAt(), now).toSeconds()));
    }
    return items;
  }

  private void upgrade(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || !settings.allowedOrigins().contains(origin)) {
      error(ctx, 403, "origin", "Origin not allowed.");
      return;
    }
    StaffSession session = ctx.get(StaffSession.KEY);
    ctx.request().toWebSocket().onSuccess(socket -> {
      ConsoleConnection connection = new ConsoleConnection(vertx, socket, session, transcripts);
      connections.add(connection);
      socket.closeHandler(v -> connections.remove(connection));
      connection.start();
    });
  }

  static JsonObject userJson(nl.veiligpraten.infra.staff.StaffUser user) {
    return new JsonObject().put("id", user.id()).put("username", user.username())
        .put("displayName", user.displayName()).put("role", user.role()).put("organisation", user.orgId());
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
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
    connections.forEach(ConsoleConnection::goingAway);
    return server == null ? Future.succeededFuture() : server.close();
  }
}
