package nl.veiligpraten.infra.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * Silence tracking of one server WebSocket (issue 17, heartbeats both ways). Every frame the client
 * sends, and every pong to the WebSocket ping frames sent here, counts as heard; a browser answers
 * those pings by itself, so only a dead line (Wi-Fi to 4G, a NAT that forgot the connection, a
 * blackholing proxy) stays silent. A socket silent for longer than the limit is closed (1001
 * "silent"; the listeners' closing timeout of one second then drops the TCP connection, since a
 * dead line cannot answer), which fires the socket's close handler (queue grace, "visitor gone",
 * presence).
 */
public final class SocketLiveness {

  private final ServerWebSocket socket;
  private long lastHeard = System.nanoTime();
  private long lastPing = lastHeard;

  /** Starts tracking; call on the socket's own event loop (installs the socket's pong handler). */
  public SocketLiveness(ServerWebSocket socket) {
    this.socket = socket;
    socket.pongHandler(pong -> heard());
  }

  /** Something arrived from the client. */
  public void heard() {
    lastHeard = System.nanoTime();
  }

  /**
   * Closes a socket that went silent: the close frame cannot reach a dead line, so the listener's
   * WebSocket closing timeout (one second) then closes the TCP connection and the socket's close
   * handler runs.
   */
  private void cut() {
    socket.close((short) 1001, "silent");
  }

  /**
   * One check, from a periodic timer on the socket's event loop: cuts the connection when nothing
   * was heard for {@code silenceNanos}, otherwise sends a ping frame when the last one is {@code
   * pingEveryNanos} old.
   *
   * @return true when the connection was cut
   */
  public boolean check(long silenceNanos, long pingEveryNanos) {
    long now = System.nanoTime();
    if (now - lastHeard > silenceNanos) {
      cut();
      return true;
    }
    if (now - lastPing >= pingEveryNanos) {
      lastPing = now;
      socket.writePing(Buffer.buffer());
    }
    return false;
  }
}
