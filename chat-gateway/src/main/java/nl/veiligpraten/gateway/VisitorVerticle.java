package nl.veiligpraten.gateway;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import io.vertx.ext.web.handler.sockjs.Transport;
import io.vertx.sqlclient.Pool;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.metrics.NodeEndpoints;
import nl.veiligpraten.infra.web.ConnectionGuard;
import nl.veiligpraten.infra.web.FlushCoalescing;
import nl.veiligpraten.infra.web.SecurityHeaders;
import nl.veiligpraten.infra.web.TextPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitor listener: the phone page, its WebSocket and the routing explain endpoint. Deployed by
 * {@link VisitorListener} as one instance per event loop on one shared port; connections are
 * independent, so a bad or flooding socket never holds up anyone else's chat.
 */
public final class VisitorVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(VisitorVerticle.class);

  private final GatewaySettings settings;
  private final Pool pool;
  private final TranscriptService<?> transcripts;
  private final IntakeRouting intake;
  private final Set<VisitorConnection> connections;
  private final int listenPort;
  private final QueueControl queue;
  private final AtomicInteger openConnections;
  private final ResumeGuard resume;
  private ConnectionGuard guard;

  /**
   * This instance's own sockets (the shared set holds every instance's): the heartbeat checks go to
   * these.
   */
  private final Set<VisitorConnection> own = new java.util.HashSet<>();

  private HttpServer server;

  VisitorVerticle(
      GatewaySettings settings,
      Pool pool,
      TranscriptService<?> transcripts,
      IntakeRouting intake,
      Set<VisitorConnection> connections,
      int listenPort,
      AtomicInteger openConnections,
      ResumeGuard resume,
      QueueControl queue) {
    this.queue = queue;
    this.resume = resume;
    this.settings = settings;
    this.pool = pool;
    this.transcripts = transcripts;
    this.intake = intake;
    this.connections = connections;
    this.listenPort = listenPort;
    this.openConnections = openConnections;
  }

  @Override
  public Future<?> start() {
    guard = new ConnectionGuard(vertx, settings.limits(), openConnections, "visitor");
    Router router = Router.router(vertx);
    router.route().handler(this::securityHeaders);
    router.get("/health").handler(this::health);
    router
        .getWithRegex("/health/(live|ready)")
        .handler(ctx -> NodeEndpoints.handle(vertx, pool, ctx.request()));
    router.get("/ws").handler(this::upgrade);
    // The fallback for networks that block WebSockets (issue 19): the same frames over SockJS XHR
    // streaming/polling.
    // Origin, size and rate rules are the WebSocket's; no session cookie; no transport that needs
    // frames or scripts
    // from elsewhere (the page's CSP forbids them anyway).
    router.route(SOCKJS_PATH + "/*").handler(this::sockJsGate);
    router
        .route(SOCKJS_PATH + "/*")
        .handler(
            BodyHandler.create()
                .setBodyLimit(
                    (long) settings.maxFrameBytes() * VisitorConnection.TRANSPORT_LIMIT_FACTOR));
    router
        .route(SOCKJS_PATH + "/*")
        .subRouter(
            SockJSHandler.create(vertx, sockJsOptions(settings)).socketHandler(this::acceptSockJs));
    router
        .post("/api/intake")
        .handler(BodyHandler.create().setBodyLimit(16 * 1024))
        .handler(VisitorVerticle::noNul)
        .handler(this::intakeOverHttp);
    router
        .post("/api/routing/explain")
        .handler(BodyHandler.create().setBodyLimit(16 * 1024))
        .handler(VisitorVerticle::noNul)
        .handler(this::explain);
    router.get("/api/config").handler(this::publicConfig);
    // The page itself: the first question, its data and the boot script inline (VisitorPage).
    // Rendered once per
    // configuration version, so a questionnaire changed live reaches the page too (issue 21).
    router
        .getWithRegex("/(index\\.html)?")
        .handler(
            ctx -> {
              VisitorPage page = page();
              ctx.response()
                  .putHeader("Content-Security-Policy", page.csp())
                  .putHeader("Content-Type", "text/html; charset=utf-8")
                  .end(page.html());
            });
    // Another offered language's texts, fetched when the visitor picks it (VisitorPage.INLINE has
    // the rest). A
    // language this start does not offer (production: not reviewed) is a 404 and changes nothing.
    router
        .get("/texts/:lang")
        .handler(
            ctx ->
                page()
                    .language(ctx.pathParam("lang"))
                    .ifPresentOrElse(
                        body ->
                            ctx.response()
                                .putHeader("Content-Type", "application/json; charset=utf-8")
                                .end(body),
                        () ->
                            json(ctx, 404, new JsonObject().put("error", "language_not_offered"))));
    router
        .get("/app.js")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("Content-Type", "text/javascript; charset=utf-8")
                    .end(page().script()));
    router
        .post("/api/quick-exit")
        .handler(BodyHandler.create().setBodyLimit(1024))
        .handler(VisitorVerticle::noNul)
        .handler(new QuickExitBeacon(vertx, settings, transcripts.conversations(), resume)::handle);
    router
        .get("/*")
        .handler(
            StaticHandler.create("webroot/visitor")
                .setCachingEnabled(false)
                .setDefaultContentEncoding("UTF-8")
                .setIndexPage("index.html"));

    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(settings.host())
            .setPort(listenPort)
            // Netty's own limit drops the connection without a close frame while the client is
            // still writing; so
            // the transport limit is a generous hard stop and VisitorConnection enforces
            // maxFrameBytes with a proper
            // 1009 close once the frame has been read.
            .setMaxWebSocketFrameSize(
                settings.maxFrameBytes() * VisitorConnection.TRANSPORT_LIMIT_FACTOR)
            .setMaxWebSocketMessageSize(
                settings.maxFrameBytes() * VisitorConnection.TRANSPORT_LIMIT_FACTOR)
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false)
            // HTTP responses are compressed when the browser asks (issue 23: the page on a slow
            // phone connection), except
            // the API and SockJS answers (securityHeaders). The static files stay Cache-Control:
            // no-store; a cached copy
            // would be a trace on a shared phone.
            .setCompressionSupported(true)
            // A silent socket is closed by the heartbeat check below; its peer cannot answer the
            // close frame, so the TCP
            // connection goes one second later.
            .setWebSocketClosingTimeout(1);
    // Heartbeat from this side: a WebSocket ping frame to every socket each third of the silence (a
    // live browser
    // answers it by itself), and a socket from which nothing at all came for the silence is closed,
    // so a network that
    // vanished without a close (Wi-Fi to 4G, NAT timeout) starts the queue grace and tells the
    // counselor.
    // A counselor came, went or changed availability: this event loop's staffing snapshot is stale
    // at once (a new
    // visitor must not be told "nobody online" for up to the snapshot age after someone came
    // online).
    vertx
        .eventBus()
        .consumer(nl.veiligpraten.infra.bus.Addresses.STAFFING, m -> queue.view().changed());
    long silence = settings.liveness().socketSilenceSeconds() * 1_000_000_000L;
    vertx.setPeriodic(
        Math.max(500, silence / 9_000_000L),
        t -> java.util.List.copyOf(own).forEach(c -> c.checkLiveness(silence, silence / 3)));
    return guard
        .install(vertx.createHttpServer(guard.configure(options)), router)
        .listen()
        .compose(
            s -> {
              server = s;
              return Database.ping(pool);
            });
  }

  /**
   * Path of the SockJS fallback (the page's client connects to it when {@code /ws} does not open).
   */
  static final String SOCKJS_PATH = "/sockjs";

  /**
   * SockJS as the page uses it: XHR streaming and polling only (the WebSocket transport would be
   * blocked where this is needed, and the iframe/JSONP/EventSource transports need what the page's
   * CSP forbids), no JSESSIONID cookie, heartbeat frames so proxies keep the streaming response
   * open.
   */
  static SockJSHandlerOptions sockJsOptions(GatewaySettings settings) {
    SockJSHandlerOptions options =
        new SockJSHandlerOptions()
            .setInsertJSESSIONID(false)
            .setHeartbeatInterval(
                Math.max(1, settings.liveness().socketSilenceSeconds() / 3) * 1000L)
            .setSessionTimeout(10_000);
    for (Transport transport :
        new Transport[] {
          Transport.WEBSOCKET, Transport.EVENT_SOURCE, Transport.HTML_FILE, Transport.JSON_P
        }) {
      options.addDisabledTransport(transport.name());
    }
    return options;
  }

  /**
   * The WebSocket's handshake rules for every SockJS request: a POST (which opens, polls or sends)
   * must carry an allowed Origin, any request with a foreign Origin is refused, and a body beyond
   * the transport limit is refused with 413 by the body handler that follows. Browsers send Origin
   * on every POST, also to their own origin.
   */
  private void sockJsGate(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    boolean post = ctx.request().method() == io.vertx.core.http.HttpMethod.POST;
    if ((origin == null && post)
        || (origin != null && !settings.allowedOrigins().contains(origin))) {
      LOG.info("visitor sockjs request refused: origin not allowed");
      ctx.response().setStatusCode(403).end("Origin not allowed");
      return;
    }
    ctx.next();
  }

  private void acceptSockJs(SockJSSocket socket) {
    var address =
        queue
            .hasher()
            .hash(
                socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress());
    attach(new VisitorTransport.SockJs(vertx, socket), address);
  }

  /**
   * {@code POST /api/intake}: one intake step over plain HTTP, for a page whose socket cannot
   * connect (issue 19). The body is the {@code answers} frame of the protocol and the answer is the
   * frame the socket would send ({@code question} or {@code suggestions}, with cards, waits and
   * what is open now). Nothing is stored.
   */
  private void intakeOverHttp(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || !settings.allowedOrigins().contains(origin)) {
      ctx.response().setStatusCode(403).end();
      return;
    }
    VisitorFrame frame;
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        throw new FrameException("malformed", "Body must be a JSON object.");
      }
      frame = VisitorFrameDecoder.decode(body.copy().put("type", "answers").encode());
    } catch (FrameException e) {
      json(
          ctx,
          400,
          new JsonObject()
              .put("type", "error")
              .put("code", e.code())
              .put("message", e.getMessage()));
      return;
    } catch (RuntimeException e) {
      json(
          ctx,
          400,
          new JsonObject()
              .put("type", "error")
              .put("code", "malformed")
              .put("message", "Body must be a JSON object."));
      return;
    }
    if (!(frame instanceof VisitorFrame.Answers answers)) {
      json(
          ctx,
          400,
          new JsonObject()
              .put("type", "error")
              .put("code", "malformed")
              .put("message", "Not an answers frame."));
      return;
    }
    try {
      IntakeStep.answer(intake, queue, answers)
          .onSuccess(reply -> json(ctx, 200, reply))
          .onFailure(
              e -> {
                LOG.warn("intake over http failed: {}", e.getClass().getName());
                json(ctx, 500, new JsonObject().put("type", "error").put("code", "internal"));
              });
    } catch (IntakeRouting.InvalidIntakeException e) {
      json(ctx, 400, e.toJson().put("type", "error").put("code", "invalid_answer"));
    }
  }

  /** Port actually bound (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  /**
   * A NUL in a body is refused with 400 before any route parses it (PostgreSQL cannot store one).
   */
  static void noNul(RoutingContext ctx) {
    if (TextPolicy.bodyContainsNul(ctx.body().asString())) {
      json(
          ctx,
          400,
          new JsonObject()
              .put("error", "invalid_text")
              .put("message", "Text must not contain NUL characters."));
      return;
    }
    ctx.next();
  }

  private void securityHeaders(RoutingContext ctx) {
    SecurityHeaders.apply(ctx.response());
    // Only the page's own files are compressed. Chat frames over the SockJS fallback and the API
    // answers are not:
    // compressed lengths of secret-bearing or visitor-written content can leak it (CRIME/BREACH),
    // and these answers
    // are small anyway. "identity" tells Vert.x not to compress this response.
    String path = ctx.normalizedPath();
    if (path.startsWith(SOCKJS_PATH) || path.startsWith("/api/") || path.startsWith("/health")) {
      ctx.response().putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    }
    ctx.next();
  }

  private void health(RoutingContext ctx) {
    Database.ping(pool)
        .onSuccess(
            v -> json(ctx, 200, new JsonObject().put("status", "UP").put("listener", "visitor")))
        .onFailure(
            e ->
                json(
                    ctx,
                    503,
                    new JsonObject().put("status", "DOWN").put("reason", "database unreachable")));
  }

  private void upgrade(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || !settings.allowedOrigins().contains(origin)) {
      // Logged without the origin value: it is client-controlled text.
      LOG.info("visitor websocket refused: origin not allowed");
      ctx.response().setStatusCode(403).end("Origin not allowed");
      return;
    }
    // Only a keyed hash of the address is kept, for the flood limits; the address itself goes
    // nowhere.
    var address =
        queue
            .hasher()
            .hash(
                ctx.request().remoteAddress() == null
                    ? "unknown"
                    : ctx.request().remoteAddress().hostAddress());
    ctx.request()
        .toWebSocket()
        .onSuccess(
            socket -> {
              guard.upgraded(ctx.request().connection());
              FlushCoalescing.install(ctx.request().connection());
              accept(socket, address);
            })
        .onFailure(e -> LOG.debug("upgrade failed: {}", e.getMessage()));
  }

  private void accept(
      ServerWebSocket socket, nl.veiligpraten.infra.abuse.AddressHasher.Hashed address) {
    attach(
        new VisitorTransport.WebSocket(
            socket, settings.maxFrameBytes() * VisitorConnection.TRANSPORT_LIMIT_FACTOR),
        address);
  }

  /** One visitor line, WebSocket or SockJS: the same connection logic, limits and protocol. */
  private void attach(
      VisitorTransport transport, nl.veiligpraten.infra.abuse.AddressHasher.Hashed address) {
    VisitorConnection connection =
        new VisitorConnection(vertx, transport, settings, transcripts, intake, resume);
    connection.queue = queue;
    connection.address = address;
    connection.referrals = new ReferralGateway(vertx, pool, transcripts, intake);
    connections.add(connection);
    own.add(connection);
    connection.start(
        () -> {
          connections.remove(connection);
          own.remove(connection);
        });
  }

  private void explain(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      json(
          ctx,
          400,
          new JsonObject().put("error", "malformed").put("message", "Body must be a JSON object."));
      return;
    }
    if (body == null || !(body.getValue("answers") instanceof JsonObject answers)) {
      json(
          ctx,
          400,
          new JsonObject()
              .put("error", "missing_field")
              .put("field", "answers")
              .put("message", "Body must be {\"answers\": {...}}."));
      return;
    }
    // The same staffing view as the visitor's suggestions frame (this event loop's snapshot, no
    // blocking read):
    // rule N1 and reachableNow count a queue only when someone is online; unknown staffing counts
    // as nobody.
    queue
        .view()
        .current()
        .recover(
            e -> {
              LOG.warn("staffing view failed: {}", e.getClass().getName());
              return Future.succeededFuture(nl.veiligpraten.staffing.QueueSnapshot.EMPTY);
            })
        .onSuccess(
            snapshot -> {
              try {
                json(ctx, 200, intake.explain(answers, queue.waits().staffedQueues(snapshot)));
              } catch (IntakeRouting.InvalidIntakeException e) {
                json(ctx, 400, e.toJson());
              } catch (RuntimeException e) {
                LOG.warn("explain failed: {}", e.getClass().getName());
                json(
                    ctx,
                    500,
                    new JsonObject().put("error", "internal").put("message", "Explain failed."));
              }
            });
  }

  private void publicConfig(RoutingContext ctx) {
    // The page's heartbeat timing (issue 17): without it the page falls back to 15 s / 10 s and
    // misses the
    // configured detection time.
    json(
        ctx,
        200,
        intake
            .publicConfig()
            .put("neutralExitUrl", settings.neutralExitUrl())
            .put("heartbeat", heartbeat()));
  }

  /** The page and the configuration snapshot it was rendered from. */
  private record RenderedPage(Object snapshot, VisitorPage page) {}

  private volatile RenderedPage rendered;

  /**
   * The page of the configuration in use, rendered again only after a new configuration version was
   * applied.
   */
  private VisitorPage page() {
    Object snapshot = intake.snapshot();
    RenderedPage r = rendered;
    if (r == null || r.snapshot() != snapshot) {
      // The page's own texts in the offered languages go into its data block too (issue 23).
      r =
          new RenderedPage(
              snapshot,
              VisitorPage.render(
                  intake.publicConfig(),
                  settings.neutralExitUrl(),
                  heartbeat(),
                  intake.pageTexts()));
      rendered = r;
    }
    return r.page();
  }

  private JsonObject heartbeat() {
    return new JsonObject()
        .put("pingSeconds", settings.liveness().clientPingSeconds())
        .put("pongTimeoutSeconds", settings.liveness().pongTimeoutSeconds());
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }

  /**
   * Closes this instance's server (the listener's shared port closes when the last instance stops).
   */
  Future<Void> stopListening() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
