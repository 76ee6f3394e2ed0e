package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import nl.veiligpraten.infra.metrics.NodeMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Findings of the penetration test (issue 20) that live on the listeners' sockets, each checked on real sockets
 * against one shared app started with short limits.
 */
@DisplayName("Hardening: socket leaks, timeouts and connection caps on real sockets")
class HardeningIT {

  @TempDir
  static Path dataDir;
  static RunningApp app;
  static Vertx client;

  @BeforeAll
  static void setUp() throws Exception {
    app = TestApp.start(dataDir);
    client = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  /** Live instances of a class after a full GC, from the JVM's own class histogram (the same as jmap -histo:live). */
  static long liveInstances(String className) throws Exception {
    String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    Matcher m = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+\\d+\\s+" + Pattern.quote(className) + "\\s*$",
        Pattern.MULTILINE).matcher(histogram);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  static double gauge(String series) {
    String text = NodeMetrics.of(app.vertx()).orElseThrow().scrape();
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
    assertTrue(m.find(), series + " not in the metrics");
    return Double.parseDouble(m.group(1));
  }

  @Test
  @DisplayName("1,000 visitor sockets opened and closed leave no connection object alive and vp_connections at 0")
  void closedVisitorSocketsAreReleased() throws Exception {
    String connectionClass = "nl.veiligpraten.gateway.VisitorConnection";
    long before = liveInstances(connectionClass);
    String origin = "http://127.0.0.1:" + app.visitorPort();
    WebSocketClient ws = client.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(10_000));
    int total = 1_000;
    for (int round = 0; round < total / 200; round++) {
      List<Future<Void>> closed = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        boolean greet = i % 2 == 0;
        closed.add(ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(app.visitorPort())
            .setURI("/ws").addHeader("Origin", origin)).compose(socket -> {
              if (!greet) {
                return socket.close();
              }
              // Half of them start a conversation first, so the closing path with a conversation is covered too.
              io.vertx.core.Promise<Void> welcomed = io.vertx.core.Promise.promise();
              socket.textMessageHandler(t -> {
                if ("welcome".equals(new JsonObject(t).getString("type"))) {
                  welcomed.tryComplete();
                }
              });
              socket.writeTextMessage(new JsonObject().put("type", "hello").put("v", 1).encode());
              return welcomed.future().compose(v -> socket.close());
            }));
      }
      await(Future.all(closed));
    }
    // The server sees each close a moment after the client; wait for the gauge, then count objects.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (gauge("vp_connections{listener=\"visitor\"}") > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertEquals(0.0, gauge("vp_connections{listener=\"visitor\"}"), "vp_connections after every socket closed");
    long after = liveInstances(connectionClass);
    assertTrue(after - before <= 5, "VisitorConnection objects alive after " + total + " closed sockets: before "
        + before + ", after " + after);
  }
}
