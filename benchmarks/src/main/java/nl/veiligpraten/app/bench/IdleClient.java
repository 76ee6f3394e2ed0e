package nl.veiligpraten.app.bench;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The idle-session load of the benchmark, as its own process: {@code IdleClient <port> <sessions>
 * <openSeconds> <reportFile>} opens that many visitor sockets (hello only, at most 200 connecting
 * at a time), then holds them with one ping per socket every 10 s. It prints {@code OPENED
 * <welcomed> <failed>} when done opening, and when {@code reportFile} appears prints {@code HELD
 * <open sockets>}, closes them and exits. The benchmark runs one per 10,000 sessions because a
 * process may hold only as many sockets as its open-file limit allows.
 */
public final class IdleClient {

  private IdleClient() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int n = Integer.parseInt(args[1]);
    long openSeconds = Long.parseLong(args[2]);
    Path report = Path.of(args[3]);
    Vertx vertx = Vertx.vertx();
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setMaxConnections(n + 100).setConnectTimeout(10_000));
    List<WebSocket> sockets = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger welcomed = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger started = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(openSeconds);
    io.vertx.core.Context ctx = vertx.getOrCreateContext();
    Runnable[] more = new Runnable[1];
    more[0] =
        () -> {
          while (inFlight.get() < 200 && started.get() < n && System.nanoTime() < deadline) {
            started.incrementAndGet();
            inFlight.incrementAndGet();
            Promise<Void> done = Promise.promise();
            done.future()
                .onComplete(
                    x -> {
                      inFlight.decrementAndGet();
                      ctx.runOnContext(v -> more[0].run());
                    });
            client
                .connect(
                    new WebSocketConnectOptions()
                        .setHost("127.0.0.1")
                        .setPort(port)
                        .setURI("/ws")
                        .addHeader("Origin", "http://127.0.0.1:" + port))
                .onComplete(
                    ar -> {
                      if (ar.failed()) {
                        failed.incrementAndGet();
                        done.tryComplete();
                        return;
                      }
                      WebSocket ws = ar.result();
                      sockets.add(ws);
                      ws.closeHandler(v -> done.tryComplete());
                      ws.textMessageHandler(
                          text -> {
                            if (text.contains("\"welcome\"")) {
                              welcomed.incrementAndGet();
                              done.tryComplete();
                            }
                          });
                      ws.writeTextMessage("{\"type\":\"hello\",\"v\":1}");
                    });
          }
        };
    ctx.runOnContext(v -> more[0].run());
    while (!(started.get() >= n && inFlight.get() == 0)
        && System.nanoTime() < deadline + TimeUnit.SECONDS.toNanos(5)) {
      Thread.sleep(100);
    }
    System.out.println("OPENED " + welcomed.get() + " " + failed.get());
    // Heartbeat like a waiting page: every socket pings once per 10 s, spread over the period.
    AtomicInteger cursor = new AtomicInteger();
    vertx.setPeriodic(
        100,
        t -> {
          int size = sockets.size();
          int batch = Math.max(1, size / 100);
          for (int i = 0; i < batch && size > 0; i++) {
            WebSocket ws = sockets.get(Math.floorMod(cursor.getAndIncrement(), size));
            if (!ws.isClosed()) {
              ws.writeTextMessage("{\"type\":\"ping\"}");
            }
          }
        });
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (!Files.exists(report) && System.nanoTime() < giveUp) {
      Thread.sleep(200);
    }
    int held = 0;
    synchronized (sockets) {
      for (WebSocket ws : sockets) {
        if (!ws.isClosed()) {
          held++;
        }
      }
    }
    System.out.println("HELD " + held);
    System.out.flush();
    vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    System.exit(0);
  }
}
