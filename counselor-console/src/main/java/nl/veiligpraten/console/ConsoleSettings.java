package nl.veiligpraten.console;

import java.time.Duration;
import java.util.Set;
import nl.veiligpraten.infra.web.ListenerLimits;

/**
 * Settings of the counselor console listener, read once at start-up.
 *
 * @param host              interface to bind
 * @param port              port (0 = any free port, for tests)
 * @param allowedOrigins    Origin values allowed for the console WebSocket and state-changing requests
 * @param idleTimeout       a session unused this long is over
 * @param absoluteTimeout   a session older than this is over, however active
 * @param maxFrameBytes     largest WebSocket frame
 * @param limits            header, body and idle timeouts and the connection cap of the listener
 */
public record ConsoleSettings(String host, int port, Set<String> allowedOrigins, Duration idleTimeout,
                              Duration absoluteTimeout, int maxFrameBytes, ListenerLimits limits) {
}
