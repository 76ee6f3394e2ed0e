package nl.veiligpraten.app;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A blocking test client over a real Vert.x WebSocket: send frames, wait for frames of a type. */
final class WsProbe implements AutoCloseable {

  final WebSocket socket;

  /**
   * Held as long as the probe: Vert.x 5 closes a WebSocket client, and every socket it opened, once
   * the client is garbage collected, so a probe whose client was dropped lost its socket at a
   * random moment.
   */
  private final WebSocketClient client;

  final LinkedBlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();

  /**
   * Every frame received, in arrival order, including those {@link #await} skipped and dropped from
   * {@link #frames}: a "this never arrived" check must look at all of them, not only at what is
   * still queued.
   */
  final java.util.List<JsonObject> received =
      java.util.Collections.synchronizedList(new java.util.ArrayList<>());

  volatile Short closeCode;

  private WsProbe(WebSocketClient client, WebSocket socket) {
    this.client = client;
    this.socket = socket;
    socket.textMessageHandler(
        text -> {
          JsonObject frame = new JsonObject(text);
          received.add(frame);
          frames.add(frame);
        });
    socket.closeHandler(v -> closeCode = socket.closeStatusCode());
  }

  static WsProbe connect(Vertx vertx, int port, String path, String origin, String cookie)
      throws Exception {
    return connectFrom(vertx, "127.0.0.1", port, path, origin, cookie);
  }

  static WsProbe connectFrom(
      Vertx vertx, String localHost, int port, String path, String origin, String cookie)
      throws Exception {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new io.vertx.core.http.WebSocketClientOptions().setLocalAddress(localHost));
    WebSocketConnectOptions options =
        new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(path);
    if (origin != null) {
      options.addHeader("Origin", origin);
    }
    if (cookie != null) {
      options.addHeader("Cookie", cookie);
    }
    // Attach the handlers in the completion callback (on the event loop), so a frame the server
    // sends right after
    // the upgrade (the console's hello) cannot arrive before the handler exists.
    return client
        .connect(options)
        .map(ws -> new WsProbe(client, ws))
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /**
   * Sends {@code {"type":"ping"}} every {@code everyMs}, as the page and the console do, so the
   * server's silence limit does not close a probe that only listens. Stops when the socket closes.
   */
  WsProbe pinging(Vertx vertx, long everyMs) {
    vertx.setPeriodic(
        everyMs,
        id -> {
          if (closeCode != null || socket.isClosed()) {
            vertx.cancelTimer(id);
          } else {
            socket.writeTextMessage("{\"type\":\"ping\"}");
          }
        });
    return this;
  }

  void send(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

  /**
   * Waits for the next frame matching the predicate; frames before it that do not match are
   * dropped.
   */
  JsonObject await(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    java.util.List<JsonObject> skipped = new java.util.ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      JsonObject next = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
      if (next == null) {
        throw new AssertionError(
            "no matching frame within "
                + timeout
                + "; close code "
                + closeCode
                + "; skipped "
                + skipped);
      }
      skipped.add(next);
      if (match.test(next)) {
        return next;
      }
    }
  }

  /**
   * Waits for a marker frame (a later event that must arrive, e.g. a message sent after the action
   * under test) and returns every frame this probe received before it, skipped ones included. This
   * is how a test shows that something did not arrive: instead of sleeping and looking at an empty
   * queue (which passes vacuously on a slow machine), it proves the socket was still delivering, in
   * order, past the point where the unwanted frame would have come.
   */
  java.util.List<JsonObject> before(Predicate<JsonObject> marker, Duration timeout)
      throws InterruptedException {
    JsonObject found = await(marker, timeout);
    synchronized (received) {
      for (int i = 0; i < received.size(); i++) {
        if (received.get(i) == found) {
          return java.util.List.copyOf(received.subList(0, i));
        }
      }
    }
    throw new AssertionError("marker frame not in the received list: " + found);
  }

  JsonObject awaitType(String type) throws InterruptedException {
    return await(f -> type.equals(f.getString("type")), Duration.ofSeconds(10));
  }

  @Override
  public void close() {
    socket.close();
  }
}
