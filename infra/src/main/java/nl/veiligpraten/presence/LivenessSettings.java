package nl.veiligpraten.presence;

import java.util.Map;

/**
 * How the service tells a live visitor or counselor from a gone one, read once at start-up. A value
 * that is malformed, negative or outside its range stops start-up with a message that names the
 * setting.
 *
 * @param socketSilenceSeconds {@code VP_SOCKET_SILENCE_SECONDS} (default 45): the server closes a
 *     visitor or console socket that sent nothing (not even a {@code ping}) for this long; that
 *     close drives the queue grace and the console's "visitor gone" as any other close does
 * @param clientPingSeconds {@code VP_CLIENT_PING_SECONDS} (default 15): how often the page and the
 *     console send {@code ping}; at most a third of the silence, so one lost ping never closes a
 *     socket
 * @param pongTimeoutSeconds {@code VP_PONG_TIMEOUT_SECONDS} (default 10): the page and the console
 *     treat the connection as dead when a {@code pong} does not come within this time, show "Geen
 *     verbinding" and reconnect
 * @param presenceLeaseSeconds {@code VP_PRESENCE_LEASE_SECONDS} (default 30): a node renews its
 *     counselors' presence rows every third of this; the rows of a node that died expire after it
 * @param counselorGraceSeconds {@code VP_COUNSELOR_GRACE_SECONDS} (default 60): a counselor with no
 *     live console on any node is away; after this grace their chats go back to the head of the
 *     queue
 * @param pauseGraceSeconds {@code VP_PAUSE_GRACE_SECONDS} (default 900): how long a visitor who
 *     paused the chat on purpose ({@code pause} frame) keeps the queue place; at least the queue
 *     grace
 * @param nodeId {@code VP_NODE_ID}: stable name of this node across restarts, so a node that starts
 *     clears only the presence its own previous run held (default: the cluster address {@code
 *     host:hazelcastPort}, or {@code standalone} without a cluster)
 */
public record LivenessSettings(
    int socketSilenceSeconds,
    int clientPingSeconds,
    int pongTimeoutSeconds,
    int presenceLeaseSeconds,
    int counselorGraceSeconds,
    int pauseGraceSeconds,
    String nodeId) {

  /** Production defaults (node id left to the launcher). */
  public static final LivenessSettings DEFAULTS = new LivenessSettings(45, 15, 10, 30, 60, 900, "");

  public LivenessSettings {
    check("VP_SOCKET_SILENCE_SECONDS", socketSilenceSeconds, 2, 3600);
    check("VP_CLIENT_PING_SECONDS", clientPingSeconds, 1, 200);
    check("VP_PONG_TIMEOUT_SECONDS", pongTimeoutSeconds, 1, 120);
    check("VP_PRESENCE_LEASE_SECONDS", presenceLeaseSeconds, 2, 600);
    check("VP_COUNSELOR_GRACE_SECONDS", counselorGraceSeconds, 1, 3600);
    check("VP_PAUSE_GRACE_SECONDS", pauseGraceSeconds, 1, 14_400);
    if (clientPingSeconds * 3 > socketSilenceSeconds) {
      throw new IllegalArgumentException(
          "VP_CLIENT_PING_SECONDS ("
              + clientPingSeconds
              + ") must be at most a third "
              + "of VP_SOCKET_SILENCE_SECONDS ("
              + socketSilenceSeconds
              + "), so one lost ping never closes a socket");
    }
    if (pongTimeoutSeconds >= socketSilenceSeconds) {
      throw new IllegalArgumentException(
          "VP_PONG_TIMEOUT_SECONDS ("
              + pongTimeoutSeconds
              + ") must be shorter than "
              + "VP_SOCKET_SILENCE_SECONDS ("
              + socketSilenceSeconds
              + ")");
    }
    if (nodeId == null || !nodeId.matches("[A-Za-z0-9_.:\\-\\[\\]]{0,100}")) {
      throw new IllegalArgumentException(
          "VP_NODE_ID must be 1-100 of A-Z a-z 0-9 _ . : - [ ], got '" + nodeId + "'");
    }
  }

  /** Reads the settings from the environment; absent values take the defaults. */
  public static LivenessSettings from(Map<String, String> env) {
    return new LivenessSettings(
        intValue(env, "VP_SOCKET_SILENCE_SECONDS", DEFAULTS.socketSilenceSeconds),
        intValue(env, "VP_CLIENT_PING_SECONDS", DEFAULTS.clientPingSeconds),
        intValue(env, "VP_PONG_TIMEOUT_SECONDS", DEFAULTS.pongTimeoutSeconds),
        intValue(env, "VP_PRESENCE_LEASE_SECONDS", DEFAULTS.presenceLeaseSeconds),
        intValue(env, "VP_COUNSELOR_GRACE_SECONDS", DEFAULTS.counselorGraceSeconds),
        intValue(env, "VP_PAUSE_GRACE_SECONDS", DEFAULTS.pauseGraceSeconds),
        env.getOrDefault("VP_NODE_ID", "").trim());
  }

  /** Checks the pause grace against the queue grace it extends. */
  public LivenessSettings requirePauseAtLeast(int queueGraceSeconds) {
    if (pauseGraceSeconds < queueGraceSeconds) {
      throw new IllegalArgumentException(
          "VP_PAUSE_GRACE_SECONDS ("
              + pauseGraceSeconds
              + ") must be at least "
              + "VP_QUEUE_GRACE_SECONDS ("
              + queueGraceSeconds
              + ")");
    }
    return this;
  }

  /** The same settings with the node id filled in when none was configured. */
  public LivenessSettings withDefaultNodeId(String fallback) {
    return nodeId.isEmpty()
        ? new LivenessSettings(
            socketSilenceSeconds,
            clientPingSeconds,
            pongTimeoutSeconds,
            presenceLeaseSeconds,
            counselorGraceSeconds,
            pauseGraceSeconds,
            fallback)
        : this;
  }

  /** Short timeouts for tests (never the production defaults, so tests do not wait them out). */
  public LivenessSettings withTimeouts(
      int silence, int ping, int pongTimeout, int lease, int counselorGrace) {
    return new LivenessSettings(
        silence, ping, pongTimeout, lease, counselorGrace, pauseGraceSeconds, nodeId);
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be a whole number from " + min + " to " + max + ", got " + value);
    }
  }

  private static int intValue(Map<String, String> env, String name, int fallback) {
    String value = env.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }
}
