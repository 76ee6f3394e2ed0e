package nl.veiligpraten.gateway;

import io.vertx.core.Handler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import nl.veiligpraten.infra.web.SocketLiveness;
import org.slf4j.LoggerFactory;

/**
 * What {@link VisitorConnection} needs from the line to one visitor page: text frames in and out, a
 * close with a code, the peer address (only ever hashed) and silence detection. The WebSocket and
 * the SockJS fallback (issue 19: networks that block WebSockets) both implement it, so the
 * protocol, acks, resume, size and rate limits live in one place and cannot drift apart.
 */
sealed interface VisitorTransport permits VisitorTransport.WebSocket, VisitorTransport.SockJs {

  /** Every text frame from the page, in arrival order. */
  void textHandler(Handler<String> handler);

  /** A binary frame (WebSocket only; SockJS carries text only): its size in bytes. */
  void binaryHandler(Handler<Integer> handler);

  /** Runs once when the line is closed, by either side or by a timeout. */
  void closeHandler(Handler<Void> handler);

  void write(String text);

  void close(int code, String reason);

  SocketAddress remoteAddress();

  /** Something arrived from the page. */
  void heard();

  /** One silence check from the listener's timer; true when the line was cut. */
  boolean check(long silenceNanos, long pingEveryNanos);

  /** Short name for metrics and the protocol documentation: {@code websocket} or {@code sockjs}. */
  String kind();

  /** The WebSocket at {@code GET /ws}. */
  final class WebSocket implements VisitorTransport {
    private final ServerWebSocket socket;
    private final SocketLiveness liveness;
    private final int maxMessageBytes;

    /**
     * Call on the socket's own event loop (installs its pong handler).
     *
     * @param maxMessageBytes largest text message assembled from frames (the listener's transport
     *     limit; 1009 above)
     */
    WebSocket(ServerWebSocket socket, int maxMessageBytes) {
      this.socket = socket;
      this.liveness = new SocketLiveness(socket);
      this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void textHandler(Handler<String> handler) {
      // Decoded strictly: a text message that is not valid UTF-8 closes with 1007 (issue 20,
      // finding 12).
      nl.veiligpraten.infra.web.StrictTextFrames.install(socket, maxMessageBytes, handler);
    }

    @Override
    public void binaryHandler(Handler<Integer> handler) {
      socket.binaryMessageHandler(b -> handler.handle(b.length()));
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
      // A broken line closes the socket anyway; only the failure class is worth a debug line.
      socket.exceptionHandler(
          e ->
              LoggerFactory.getLogger(VisitorTransport.class)
                  .debug("visitor socket error: {}", e.getClass().getSimpleName()));
      socket.closeHandler(handler);
    }

    @Override
    public void write(String text) {
      socket.writeTextMessage(text);
    }

    @Override
    public void close(int code, String reason) {
      socket.close((short) code, reason);
    }

    @Override
    public SocketAddress remoteAddress() {
      return socket.remoteAddress();
    }

    @Override
    public void heard() {
      liveness.heard();
    }

    @Override
    public boolean check(long silenceNanos, long pingEveryNanos) {
      return liveness.check(silenceNanos, pingEveryNanos);
    }

    @Override
    public String kind() {
      return "websocket";
    }
  }

  /**
   * A SockJS session over XHR streaming or polling ({@code /sockjs}). SockJS sends its own
   * heartbeat frames to the page and ends a session whose page stopped polling; the page's {@code
   * ping} frames count as heard, so a line that stays silent for the configured silence is cut here
   * exactly as a silent WebSocket is.
   */
  final class SockJs implements VisitorTransport {
    /**
     * An XHR-polling page fetches queued frames with its next poll: the last frames get this long
     * to go out.
     */
    static final long LINGER_MS = 1_500;

    private final io.vertx.core.Vertx vertx;
    private final SockJSSocket socket;
    private long lastHeard = System.nanoTime();
    private boolean closed;
    private boolean closing;

    SockJs(io.vertx.core.Vertx vertx, SockJSSocket socket) {
      this.vertx = vertx;
      this.socket = socket;
    }

    @Override
    public void textHandler(Handler<String> handler) {
      socket.handler(
          buffer -> {
            if (!closing) {
              handler.handle(buffer.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
          });
    }

    @Override
    public void binaryHandler(Handler<Integer> handler) {
      // SockJS frames are always text.
    }

    @Override
    public void closeHandler(Handler<Void> handler) {
      socket.exceptionHandler(
          e ->
              LoggerFactory.getLogger(VisitorTransport.class)
                  .debug("sockjs session error: {}", e.getClass().getSimpleName()));
      socket.closeHandler(
          v -> {
            if (!closed) {
              closed = true;
              handler.handle(null);
            }
          });
    }

    @Override
    public void write(String text) {
      socket.write(text);
    }

    /**
     * SockJS in Vert.x always closes a session with its own code 3000, so the WebSocket close code
     * goes first as the session's last frame, {@code {"type":"close","code":1009,"reason":"frame
     * too big"}}: the page treats it as the close code of the line. Frames that arrive after it are
     * ignored, as after a WebSocket close frame.
     */
    @Override
    public void close(int code, String reason) {
      if (closed || closing) {
        return;
      }
      closing = true;
      socket.write(
          new io.vertx.core.json.JsonObject()
              .put("type", "close")
              .put("code", code)
              .put("reason", reason)
              .encode());
      // Closing at once would drop frames still queued for the page's next poll (the error before a
      // close, say).
      vertx.setTimer(LINGER_MS, t -> socket.close());
    }

    @Override
    public SocketAddress remoteAddress() {
      return socket.remoteAddress();
    }

    @Override
    public void heard() {
      lastHeard = System.nanoTime();
    }

    @Override
    public boolean check(long silenceNanos, long pingEveryNanos) {
      if (System.nanoTime() - lastHeard > silenceNanos) {
        close(1001, "silent");
        return true;
      }
      return false;
    }

    @Override
    public String kind() {
      return "sockjs";
    }
  }
}
