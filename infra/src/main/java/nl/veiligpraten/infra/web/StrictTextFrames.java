package nl.veiligpraten.infra.web;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Assembles a WebSocket's text messages from their frames and decodes them strictly (issue 20,
 * finding 12): a text message that is not valid UTF-8 closes the socket with <b>1007</b> (RFC 6455
 * §8.1, "invalid frame payload data") instead of reaching the handler with replacement characters,
 * as Vert.x's own text handler would deliver it. A message above {@code maxMessageBytes} closes
 * with 1009. Binary frames are left to the socket's binary handler.
 */
public final class StrictTextFrames implements Handler<WebSocketFrame> {

  /** Close code for a text message that is not valid UTF-8. */
  public static final short INVALID_PAYLOAD = 1007;

  /** Close code for a message larger than allowed. */
  public static final short TOO_BIG = 1009;

  private final ServerWebSocket socket;
  private final int maxMessageBytes;
  private final Handler<String> onText;
  private Buffer pending;

  private StrictTextFrames(ServerWebSocket socket, int maxMessageBytes, Handler<String> onText) {
    this.socket = socket;
    this.maxMessageBytes = maxMessageBytes;
    this.onText = onText;
  }

  /** Installs the strict text path on a socket (instead of {@code textMessageHandler}). */
  public static void install(ServerWebSocket socket, int maxMessageBytes, Handler<String> onText) {
    socket.frameHandler(new StrictTextFrames(socket, maxMessageBytes, onText));
  }

  @Override
  public void handle(WebSocketFrame frame) {
    if (frame.isText()) {
      pending = Buffer.buffer().appendBuffer(frame.binaryData());
    } else if (frame.isContinuation() && pending != null) {
      pending.appendBuffer(frame.binaryData());
    } else {
      return;
    }
    if (pending.length() > maxMessageBytes) {
      pending = null;
      socket.close(TOO_BIG, "message too big");
      return;
    }
    if (!frame.isFinal()) {
      return;
    }
    Buffer message = pending;
    pending = null;
    String text;
    try {
      CharsetDecoder strict =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      text = strict.decode(ByteBuffer.wrap(message.getBytes())).toString();
    } catch (CharacterCodingException e) {
      socket.close(INVALID_PAYLOAD, "invalid UTF-8");
      return;
    }
    onText.handle(text);
  }
}
