package nl.veiligpraten.testkit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A simulated counselor console: logs in over HTTP, takes chats from its organisation's queue
 * (optionally all of them automatically), sends replies with client ids and reconnects to the next
 * node after losing its socket. The console replays a held chat from the start after a reconnect,
 * so this client drops sequence numbers it has already shown, as the real console page does.
 */
public final class CounselorClient {

  private final Vertx vertx;
  private final WebSocketClient client;
  private final Context context;
  private final List<Integer> ports;
  private final String username;
  private final String password;
  private int portIndex;
  private String cookie;
  private WebSocket socket;
  private volatile boolean wanted = true;
  private int attempts;
  private long resendTimer = -1;
  private final boolean autoTake;

  /** conversation id → when this client last asked to take it. */
  private final java.util.Map<String, Long> requested = new ConcurrentHashMap<>();

  /** conversationId → highest sequence number shown. */
  public final Map<String, Long> shown = new ConcurrentHashMap<>();

  /**
   * conversationId → (seq → times delivered on a live socket, replays after reconnect excluded).
   */
  public final Map<String, Map<Long, Integer>> received = new ConcurrentHashMap<>();

  public final Set<String> held = ConcurrentHashMap.newKeySet();

  /** "conversationId/clientId" → sequence number from the ack. */
  public final Map<String, Long> acked = new ConcurrentHashMap<>();

  private final Map<String, JsonObject> unacked = new java.util.LinkedHashMap<>();
  private final Map<String, Long> sentAt = new java.util.HashMap<>();

  /** Sockets opened so far (the first and every reconnect). */
  public volatile int connects;

  Consumer<JsonObject> onFrame = f -> {};

  public CounselorClient(
      Vertx vertx,
      WebSocketClient client,
      List<Integer> consolePorts,
      String username,
      String password,
      boolean autoTake) {
    this.vertx = vertx;
    this.client = client;
    this.ports = List.copyOf(consolePorts);
    this.username = username;
    this.password = password;
    this.autoTake = autoTake;
    this.context = vertx.getOrCreateContext();
  }

  public CounselorClient onFrame(Consumer<JsonObject> handler) {
    this.onFrame = handler;
    return this;
  }

  public void run(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  /** Logs in and opens the console socket; resolves when the hello frame arrived. */
  public Future<Void> start() {
    io.vertx.core.Promise<Void> ready = io.vertx.core.Promise.promise();
    run(
        () ->
            login()
                .onSuccess(
                    c -> {
                      cookie = c;
                      open(ready);
                    })
                .onFailure(ready::tryFail));
    return ready.future();
  }

  private Future<String> login() {
    int port = ports.get(portIndex);
    HttpClient http = vertx.createHttpClient();
    return http.request(
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/api/login")
                .putHeader("Content-Type", "application/json")
                .putHeader("Origin", "http://127.0.0.1:" + port))
        .compose(
            req ->
                req.send(
                    new JsonObject().put("username", username).put("password", password).encode()))
        .compose(
            resp -> {
              if (resp.statusCode() != 200) {
                return Future.failedFuture("login failed with " + resp.statusCode());
              }
              String set = resp.cookies().get(0);
              return Future.succeededFuture(set.substring(0, set.indexOf(';')));
            })
        .andThen(ar -> http.close());
  }

  private void open(io.vertx.core.Promise<Void> ready) {
    if (!wanted) {
      return;
    }
    int port = ports.get(portIndex);
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/ws")
            .addHeader("Origin", "http://127.0.0.1:" + port)
            .addHeader("Cookie", cookie)
            .setTimeout(3_000);
    client
        .connect(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                retry(ready);
                return;
              }
              socket = ar.result();
              connects++;
              attempts = 0;
              socket.textMessageHandler(text -> onText(new JsonObject(text), ready));
              socket.closeHandler(
                  v -> {
                    socket = null;
                    if (wanted) {
                      portIndex = (portIndex + 1) % ports.size();
                      retry(null);
                    }
                  });
              socket.exceptionHandler(e -> {});
            });
  }

  private void retry(io.vertx.core.Promise<Void> ready) {
    attempts++;
    long base = Math.min(2_000, 100L << Math.min(attempts - 1, 5));
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    if (attempts % 2 == 0) {
      portIndex = (portIndex + 1) % ports.size();
    }
    vertx.setTimer(Math.max(1, delay), t -> run(() -> open(ready)));
  }

  private void onText(JsonObject frame, io.vertx.core.Promise<Void> ready) {
    switch (frame.getString("type", "")) {
      case "hello" -> {
        if (ready != null) {
          ready.tryComplete();
        }
        unacked.values().forEach(f -> socket.writeTextMessage(f.encode()));
      }
      case "queue" -> {
        if (autoTake) {
          JsonArray items = frame.getJsonArray("items");
          for (int i = 0; i < items.size(); i++) {
            String id = items.getJsonObject(i).getString("conversationId");
            // Ask once, and again when the chat is still in the queue 5 s later: a take refused by
            // a race (another
            // node assigned it, the database was failing over) must not leave the chat waiting for
            // ever.
            long now = System.nanoTime();
            Long asked = requested.get(id);
            if (!held.contains(id) && (asked == null || now - asked > 5_000_000_000L)) {
              requested.put(id, now);
              take(id);
            }
          }
        }
      }
      case "assigned" -> held.add(frame.getString("conversationId"));
      case "closed" -> held.remove(frame.getString("conversationId"));
      // Taken away (unanswered, away past the grace, moved by a supervisor): no longer ours to
      // answer.
      case "released" -> held.remove(frame.getString("conversationId"));
      case "ack" -> {
        unacked.remove(frame.getString("clientId"));
        sentAt.remove(frame.getString("clientId"));
        acked.put(
            frame.getString("conversationId") + "/" + frame.getString("clientId"),
            frame.getLong("seq"));
      }
      case "message" -> {
        String id = frame.getString("conversationId");
        long seq = frame.getLong("seq");
        long last = shown.getOrDefault(id, 0L);
        if (seq <= last) {
          // A replay after reconnect: already shown, the page drops it.
          return;
        }
        shown.put(id, seq);
        received.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).merge(seq, 1, Integer::sum);
      }
      default -> {}
    }
    onFrame.accept(frame);
  }

  /** Resends what has waited for an ack for over 3 s (e.g. the database was briefly away). */
  private void resendOld() {
    long old = System.nanoTime() - 3_000_000_000L;
    unacked.forEach(
        (clientId, frame) -> {
          if (sentAt.getOrDefault(clientId, 0L) < old) {
            sentAt.put(clientId, System.nanoTime());
            frame(frame);
          }
        });
  }

  public void take(String conversationId) {
    run(() -> frame(new JsonObject().put("type", "take").put("conversationId", conversationId)));
  }

  /** Sends a reply (on the client's context); kept for resending until acknowledged. */
  public void sendOnContext(String conversationId, String clientId, String body) {
    JsonObject frame =
        new JsonObject()
            .put("type", "message")
            .put("conversationId", conversationId)
            .put("clientId", clientId)
            .put("body", body);
    unacked.put(clientId, frame);
    sentAt.put(clientId, System.nanoTime());
    frame(frame);
    if (resendTimer < 0) {
      resendTimer = vertx.setPeriodic(2_000, t -> run(this::resendOld));
    }
  }

  public void send(String conversationId, String clientId, String body) {
    run(() -> sendOnContext(conversationId, clientId, body));
  }

  public void frame(JsonObject frame) {
    if (socket != null) {
      socket.writeTextMessage(frame.encode());
    }
  }

  public int unackedCount() {
    return unacked.size();
  }

  public void shutdown() {
    wanted = false;
    run(
        () -> {
          vertx.cancelTimer(resendTimer);
          if (socket != null) {
            socket.close();
          }
        });
  }
}
