package nl.veiligpraten.testkit;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A simulated visitor page for load and failover runs: speaks the visitor protocol, keeps
 * unacknowledged messages and resends them after a reconnect (same client id), resumes with token +
 * last delivered sequence number, and reconnects with exponential backoff and jitter, trying the
 * next node each time. All state changes happen on one Vert.x context; the counters other threads
 * read are concurrent or volatile.
 */
public final class VisitorClient {

  private final Vertx vertx;
  private final WebSocketClient client;
  private final Context context;
  private final List<Integer> ports;
  private int portIndex;
  private WebSocket socket;
  private volatile boolean wanted = true;
  private int attempts;
  private long lostAtNanos = -1;
  private long resendTimer = -1;

  volatile String resumeToken;
  volatile String status = "new";
  volatile long lastSeq;

  /** Sockets opened so far (the first and every reconnect). */
  public volatile int connects;

  volatile String helpPoint;

  /** Sent but not yet acknowledged, in sending order: resent after every reconnect. */
  private final Map<String, String> unacked = new LinkedHashMap<>();

  private final Map<String, Long> sentAt = new java.util.HashMap<>();

  /** clientId → sequence number from the ack. */
  public final Map<String, Long> acked = new ConcurrentHashMap<>();

  /** seq → times delivered to this visitor (anything above 1 is a duplicate). */
  public final Map<Long, Integer> received = new ConcurrentHashMap<>();

  /** Nanoseconds from losing the socket to the welcome on the next one. */
  public final List<Long> resumeNanos = java.util.Collections.synchronizedList(new ArrayList<>());

  Consumer<JsonObject> onFrame = f -> {};

  public VisitorClient(Vertx vertx, WebSocketClient client, List<Integer> ports, int firstPort) {
    this.vertx = vertx;
    this.client = client;
    this.ports = List.copyOf(ports);
    this.portIndex = firstPort % ports.size();
    this.context = vertx.getOrCreateContext();
  }

  /** Frame observer (runs on the client's context). */
  public VisitorClient onFrame(Consumer<JsonObject> handler) {
    this.onFrame = handler;
    return this;
  }

  public void run(Runnable action) {
    context.runOnContext(v -> action.run());
  }

  public void connect() {
    run(this::open);
  }

  public int currentPort() {
    return ports.get(portIndex);
  }

  private void open() {
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
            .setTimeout(3_000);
    client
        .connect(options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                retry();
                return;
              }
              socket = ar.result();
              connects++;
              socket.textMessageHandler(text -> onText(new JsonObject(text)));
              socket.closeHandler(v -> lost());
              socket.exceptionHandler(e -> {});
              JsonObject hello = new JsonObject().put("type", "hello").put("v", 1);
              if (resumeToken != null) {
                hello.put("resume", resumeToken).put("lastSeq", lastSeq);
              }
              socket.writeTextMessage(hello.encode());
            });
  }

  private void lost() {
    socket = null;
    if (lostAtNanos < 0) {
      lostAtNanos = System.nanoTime();
    }
    if (wanted) {
      // Another node next time: the one we were on may be gone.
      portIndex = (portIndex + 1) % ports.size();
      retry();
    }
  }

  private void retry() {
    if (!wanted) {
      return;
    }
    attempts++;
    long base = Math.min(2_000, 100L << Math.min(attempts - 1, 5));
    long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    if (lostAtNanos < 0) {
      lostAtNanos = System.nanoTime();
    }
    vertx.setTimer(Math.max(1, delay), t -> run(this::open));
    if (attempts % 2 == 0) {
      portIndex = (portIndex + 1) % ports.size();
    }
  }

  private void onText(JsonObject frame) {
    String type = frame.getString("type", "");
    switch (type) {
      case "welcome" -> {
        boolean resumed = resumeToken != null;
        if (frame.getString("resumeToken") != null) {
          resumeToken = frame.getString("resumeToken");
        }
        status = frame.getString("status", status);
        attempts = 0;
        if (lostAtNanos >= 0 && resumed) {
          resumeNanos.add(System.nanoTime() - lostAtNanos);
        }
        lostAtNanos = -1;
        // Resend everything without an ack: the server stores each client id once.
        unacked.forEach(this::write);
      }
      case "queued" -> status = "queued";
      case "assigned" -> status = "assigned";
      case "closed" -> status = "closed";
      case "ack" -> {
        String clientId = frame.getString("clientId");
        unacked.remove(clientId);
        sentAt.remove(clientId);
        acked.put(clientId, frame.getLong("seq"));
      }
      case "message" -> {
        long seq = frame.getLong("seq");
        received.merge(seq, 1, Integer::sum);
        if (seq > lastSeq) {
          lastSeq = seq;
        }
      }
      default -> {}
    }
    onFrame.accept(frame);
  }

  private void write(String clientId, String body) {
    if (socket != null) {
      socket.writeTextMessage(
          new JsonObject()
              .put("type", "message")
              .put("clientId", clientId)
              .put("body", body)
              .encode());
    }
  }

  private void resendOld() {
    long old = System.nanoTime() - 3_000_000_000L;
    unacked.forEach(
        (clientId, body) -> {
          if (sentAt.getOrDefault(clientId, 0L) < old) {
            sentAt.put(clientId, System.nanoTime());
            write(clientId, body);
          }
        });
  }

  /** Chooses a help point (after intake). */
  public void choose(String helpPoint) {
    run(
        () -> {
          this.helpPoint = helpPoint;
          frame(new JsonObject().put("type", "choose").put("helpPoint", helpPoint));
        });
  }

  /**
   * Sends a message; it stays queued for resending until acknowledged. Must be called on the
   * client's context.
   */
  public void sendOnContext(String clientId, String body) {
    unacked.put(clientId, body);
    sentAt.put(clientId, System.nanoTime());
    write(clientId, body);
    if (resendTimer < 0) {
      // Like the page: anything still unacknowledged after a while is sent again (e.g. the database
      // was away and
      // the server answered "internal"); the server stores a client id once, so this is safe.
      resendTimer = vertx.setPeriodic(2_000, t -> run(this::resendOld));
    }
  }

  public void send(String clientId, String body) {
    run(() -> sendOnContext(clientId, body));
  }

  /**
   * Any other frame (typing, ping, answers); dropped silently while disconnected, like a phone
   * would.
   */
  public void frame(JsonObject frame) {
    if (socket != null) {
      socket.writeTextMessage(frame.encode());
    }
  }

  public boolean resumeTokenSet() {
    return resumeToken != null;
  }

  public String resumeToken() {
    return resumeToken;
  }

  public String status() {
    return status;
  }

  public long lastSeq() {
    return lastSeq;
  }

  public int unackedCount() {
    return unacked.size();
  }

  public boolean connected() {
    return socket != null;
  }

  /**
   * Simulates a dropped phone connection: the socket goes, the page reconnects and resumes on its
   * own.
   */
  public void drop() {
    run(
        () -> {
          WebSocket s = socket;
          if (s != null) {
            // Disconnected from this instant: whatever the page writes now waits for the resume.
            socket = null;
            lostAtNanos = System.nanoTime();
            s.close();
          }
        });
  }

  /** Stops for good (no reconnect). */
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
