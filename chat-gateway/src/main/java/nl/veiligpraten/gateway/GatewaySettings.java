package nl.veiligpraten.gateway;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import nl.veiligpraten.infra.web.ListenerLimits;

/**
 * Settings of the visitor listener, read once at start-up.
 *
 * @param host interface to bind
 * @param port port (0 = any free port, for tests)
 * @param allowedOrigins exact Origin values allowed on the WebSocket handshake
 * @param maxFrameBytes largest WebSocket frame or message (bigger closes the socket with 1009)
 * @param messagesPerSecond sustained frames per second per connection before frames are refused
 * @param burst frames allowed in a burst
 * @param helloTimeout an unidentified socket that sends no hello within this time is closed
 * @param queueGrace how long a queued conversation keeps its place after the visitor's socket drops
 * @param neutralExitUrl where quick exit sends the browser
 * @param queueHelpPoints help point id → organisation id for help points with a counselor queue
 * @param limits header, body and idle timeouts and the connection cap of the listener
 * @param abuse limits on new conversations and P0 claims per address and per node
 * @param waits how waits are estimated
 * @param liveness socket silence (the server cuts a silent socket) and the page's heartbeat timing
 */
public record GatewaySettings(
    String host,
    int port,
    Set<String> allowedOrigins,
    int maxFrameBytes,
    int messagesPerSecond,
    int burst,
    Duration helloTimeout,
    Duration queueGrace,
    String neutralExitUrl,
    Map<String, String> queueHelpPoints,
    ListenerLimits limits,
    nl.veiligpraten.infra.abuse.AbuseLimits abuse,
    nl.veiligpraten.staffing.WaitSettings waits,
    nl.veiligpraten.presence.LivenessSettings liveness) {

  public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024;
}
