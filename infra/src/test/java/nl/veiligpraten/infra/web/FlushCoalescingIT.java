package nl.veiligpraten.infra.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Flush coalescing on a real WebSocket over loopback")
class FlushCoalescingIT {

  private Vertx vertx;
  private HttpServer server;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("installs on this Vert.x version, and frames written outside a read (as acks after a commit are) all "
      + "arrive, in order, without waiting for anything else to happen on the socket")
  void framesWrittenOutsideAReadArrive() throws Exception {
    AtomicBoolean installed = new AtomicBoolean();
    CompletableFuture<Boolean> inPipeline = new CompletableFuture<>();
    server = vertx.createHttpServer().requestHandler(req -> req.toWebSocket().onSuccess(ws -> {
      installed.set(FlushCoalescing.install(req.connection()));
      inPipeline.complete(((ConnectionBase) req.connection()).channel().pipeline()
          .get(FlushConsolidationHandler.class) != null);
      // A timer, not the upgrade's read: the same situation as a database callback answering a socket.
      vertx.setTimer(20, t -> {
        for (int i = 0; i < 100; i++) {
          ws.writeTextMessage("frame-" + i);
        }
      });
    })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    List<String> received = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> all = new CompletableFuture<>();
    WebSocketClient client = vertx.createWebSocketClient();
    client.connect(server.actualPort(), "127.0.0.1", "/").onSuccess(ws -> ws.textMessageHandler(text -> {
      received.add(text);
      if (received.size() == 100) {
        all.complete(null);
      }
    })).onFailure(all::completeExceptionally);

    all.get(10, TimeUnit.SECONDS);
    assertTrue(installed.get(), "Vert.x's connection class still gives access to the channel");
    assertTrue(inPipeline.get(10, TimeUnit.SECONDS));
    assertEquals(100, received.size());
    for (int i = 0; i < 100; i++) {
      assertEquals("frame-" + i, received.get(i));
    }
  }
}
