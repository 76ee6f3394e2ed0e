package nl.veiligpraten.app.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's baseline: a bare Vert.x WebSocket relay speaking the same frames as the gateway
 * (hello/welcome, choose/queued, take/assigned, message/ack, typing, ping) but with nothing behind
 * it: no PostgreSQL, no encryption, no idempotency, no event bus. Like the gateway it runs the
 * visitor listener on {@code VP_VISITOR_INSTANCES} event loops (default: the number of cores) and
 * one counselor listener, on default Vert.x options. Started as its own process by the benchmark:
 * {@code BareRelay <visitorPort> <counselorPort>}.
 */
public final class BareRelay {

  /** One relayed chat. */
  static final class Chat {
    final String id;
    volatile String org;
    volatile ServerWebSocket visitor;
    volatile ServerWebSocket counselor;
    final AtomicLong seq = new AtomicLong();

    Chat(String id, String org) {
      this.id = id;
      this.org = org;
    }
  }

  static final Map<String, Chat> BY_TOKEN = new ConcurrentHashMap<>();
  static final Map<String, Map<String, Chat>> QUEUES = new ConcurrentHashMap<>();
  static final Map<String, Map<ServerWebSocket, Boolean>> COUNSELORS = new ConcurrentHashMap<>();

  private BareRelay() {}

  public static void main(String[] args) {
    int visitorPort = Integer.parseInt(args[0]);
    int counselorPort = Integer.parseInt(args[1]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(false));
    DeploymentOptions options = new DeploymentOptions();
    int instances =
        nl.veiligpraten.app.AppSettings.from(System.getenv(), new String[0]).visitorInstances();
    vertx
        .deployVerticle(
            () -> new VisitorSide(visitorPort), new DeploymentOptions().setInstances(instances))
        .compose(id -> vertx.deployVerticle(new CounselorSide(counselorPort), options))
        .onSuccess(id -> System.out.println("relay ready"))
        .onFailure(
            e -> {
              e.printStackTrace();
              System.exit(1);
            });
  }

  static HttpServerOptions serverOptions(int port) {
    return new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setMaxWebSocketFrameSize(16 * 1024)
        .setMaxWebSocketMessageSize(16 * 1024)
        .setPerFrameWebSocketCompressionSupported(false)
        .setPerMessageWebSocketCompressionSupported(false);
  }

  /** Visitor listener. */
  static final class VisitorSide extends VerticleBase {
    private final int port;

    VisitorSide(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createHttpServer(serverOptions(port))
          .requestHandler(
              req -> {
                if ("/ws".equals(req.path())) {
                  req.toWebSocket().onSuccess(this::accept);
                } else {
                  req.response().end("{\"status\":\"UP\"}");
                }
              })
          .listen();
    }

    private void accept(ServerWebSocket ws) {
      Chat[] chat = {null};
      ws.textMessageHandler(
          text -> {
            JsonObject f = new JsonObject(text);
            switch (f.getString("type", "")) {
              case "hello" -> {
                String token = f.getString("resume");
                Chat c = token == null ? null : BY_TOKEN.get(token);
                if (c == null) {
                  token = UUID.randomUUID().toString();
                  c = new Chat(UUID.randomUUID().toString(), null);
                  BY_TOKEN.put(token, c);
                }
                c.visitor = ws;
                chat[0] = c;
                ws.writeTextMessage(
                    new JsonObject()
                        .put("type", "welcome")
                        .put("resumeToken", token)
                        .put("status", c.counselor != null ? "assigned" : "intake")
                        .put("lastSeq", c.seq.get())
                        .encode());
              }
              case "answers" -> ws.writeTextMessage("{\"type\":\"suggestions\",\"route\":{}}");
              case "choose" -> {
                Chat c = chat[0];
                c.org = f.getString("helpPoint");
                QUEUES.computeIfAbsent(c.org, k -> new ConcurrentHashMap<>()).put(c.id, c);
                ws.writeTextMessage("{\"type\":\"queued\",\"position\":1}");
                CounselorSide.broadcastQueue(c.org);
              }
              case "message" -> {
                Chat c = chat[0];
                long seq = c.seq.incrementAndGet();
                ws.writeTextMessage(
                    new JsonObject()
                        .put("type", "ack")
                        .put("clientId", f.getString("clientId"))
                        .put("seq", seq)
                        .put("duplicate", false)
                        .encode());
                ServerWebSocket to = c.counselor;
                if (to != null) {
                  to.writeTextMessage(
                      new JsonObject()
                          .put("type", "message")
                          .put("conversationId", c.id)
                          .put("seq", seq)
                          .put("from", "visitor")
                          .put("body", f.getString("body"))
                          .encode());
                }
              }
              case "typing" -> {
                ServerWebSocket to = chat[0] == null ? null : chat[0].counselor;
                if (to != null) {
                  to.writeTextMessage(
                      new JsonObject()
                          .put("type", "typing")
                          .put("conversationId", chat[0].id)
                          .encode());
                }
              }
              case "ping" -> ws.writeTextMessage("{\"type\":\"pong\"}");
              default -> {}
            }
          });
    }
  }

  /** Counselor listener (login is accepted without a check: the baseline has no accounts). */
  static final class CounselorSide extends VerticleBase {
    private final int port;

    CounselorSide(int port) {
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createHttpServer(serverOptions(port))
          .requestHandler(
              req -> {
                if ("/api/login".equals(req.path())) {
                  req.body()
                      .onSuccess(
                          b -> {
                            String user = new JsonObject(b).getString("username");
                            req.response()
                                .putHeader("Set-Cookie", "relay_user=" + user + "; Path=/")
                                .end("{}");
                          });
                } else if ("/ws".equals(req.path())) {
                  String cookie = req.getHeader("Cookie");
                  String user = cookie == null ? "x" : cookie.substring(cookie.indexOf('=') + 1);
                  String org = user.replace("-demo", "").replace('-', '_');
                  req.toWebSocket().onSuccess(ws -> accept(ws, org));
                } else {
                  req.response().end("{\"status\":\"UP\"}");
                }
              })
          .listen();
    }

    static void broadcastQueue(String org) {
      JsonArray items = new JsonArray();
      QUEUES.getOrDefault(org, Map.of()).values().stream()
          .limit(200)
          .forEach(c -> items.add(new JsonObject().put("conversationId", c.id)));
      String frame = new JsonObject().put("type", "queue").put("items", items).encode();
      COUNSELORS.getOrDefault(org, Map.of()).keySet().forEach(ws -> ws.writeTextMessage(frame));
    }

    private void accept(ServerWebSocket ws, String org) {
      COUNSELORS.computeIfAbsent(org, k -> new ConcurrentHashMap<>()).put(ws, true);
      ws.closeHandler(v -> COUNSELORS.get(org).remove(ws));
      Map<String, Chat> mine = new ConcurrentHashMap<>();
      ws.writeTextMessage("{\"type\":\"hello\"}");
      broadcastQueue(org);
      ws.textMessageHandler(
          text -> {
            JsonObject f = new JsonObject(text);
            switch (f.getString("type", "")) {
              case "take" -> {
                Chat c = QUEUES.getOrDefault(org, Map.of()).remove(f.getString("conversationId"));
                if (c == null) {
                  ws.writeTextMessage("{\"type\":\"error\",\"code\":\"not_available\"}");
                  return;
                }
                c.counselor = ws;
                mine.put(c.id, c);
                ws.writeTextMessage(
                    new JsonObject().put("type", "assigned").put("conversationId", c.id).encode());
                ServerWebSocket v = c.visitor;
                if (v != null) {
                  v.writeTextMessage("{\"type\":\"assigned\",\"counselor\":\"relay\"}");
                }
                broadcastQueue(org);
              }
              case "message" -> {
                Chat c = mine.get(f.getString("conversationId"));
                if (c == null) {
                  return;
                }
                long seq = c.seq.incrementAndGet();
                ws.writeTextMessage(
                    new JsonObject()
                        .put("type", "ack")
                        .put("conversationId", c.id)
                        .put("clientId", f.getString("clientId"))
                        .put("seq", seq)
                        .encode());
                ServerWebSocket v = c.visitor;
                if (v != null) {
                  v.writeTextMessage(
                      new JsonObject()
                          .put("type", "message")
                          .put("seq", seq)
                          .put("from", "counselor")
                          .put("body", f.getString("body"))
                          .encode());
                }
              }
              case "typing" -> {
                Chat c = mine.get(f.getString("conversationId"));
                if (c != null && c.visitor != null) {
                  c.visitor.writeTextMessage("{\"type\":\"typing\",\"from\":\"counselor\"}");
                }
              }
              case "ping" -> ws.writeTextMessage("{\"type\":\"pong\"}");
              default -> {}
            }
          });
    }
  }
}
