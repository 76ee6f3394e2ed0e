package nl.veiligpraten.infra.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * On {@code vertx-junit5}: the test waits on the server's and the client's futures and callbacks
 * through a {@link VertxTestContext}, and the extension closes the Vert.x instance (with its server
 * and client) afterwards.
 */
@DisplayName("Flush coalescing on a real WebSocket over loopback")
@ExtendWith(VertxExtension.class)
class FlushCoalescingIT {

  /**
   * Held by the test instance: Vert.x 5 closes a WebSocket client, and every socket it opened, once
   * the client is garbage collected, so a client created inline could lose its socket
   * mid-handshake.
   */
  private WebSocketClient client;

  @Test
  @Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
  @DisplayName(
      "installs on this Vert.x version, and frames written outside a read (as acks after a commit are) all "
          + "arrive, in order, without waiting for anything else to happen on the socket")
  void framesWrittenOutsideAReadArrive(Vertx vertx, VertxTestContext test) {
    List<String> received = new CopyOnWriteArrayList<>();
    vertx
        .createHttpServer()
        .requestHandler(
            req ->
                req.toWebSocket()
                    .onComplete(
                        test.succeeding(
                            ws -> {
                              test.verify(
                                  () -> {
                                    assertTrue(
                                        FlushCoalescing.install(req.connection()),
                                        "Vert.x's connection class still gives access to the "
                                            + "channel");
                                    assertNotNull(
                                        ((ConnectionBase) req.connection())
                                            .channel()
                                            .pipeline()
                                            .get(FlushConsolidationHandler.class),
                                        "the handler is in the pipeline");
                                  });
                              // A timer, not the upgrade's read: the same situation as a database
                              // callback answering a socket.
                              vertx.setTimer(
                                  20,
                                  t -> {
                                    for (int i = 0; i < 100; i++) {
                                      ws.writeTextMessage("frame-" + i);
                                    }
                                  });
                            })))
        .listen(0, "127.0.0.1")
        .compose(
            server -> {
              client = vertx.createWebSocketClient();
              return client.connect(server.actualPort(), "127.0.0.1", "/");
            })
        .onComplete(
            test.succeeding(
                ws ->
                    ws.textMessageHandler(
                        text -> {
                          received.add(text);
                          if (received.size() == 100) {
                            test.verify(
                                () -> {
                                  for (int i = 0; i < 100; i++) {
                                    assertEquals("frame-" + i, received.get(i));
                                  }
                                });
                            test.completeNow();
                          }
                        })));
  }
}
