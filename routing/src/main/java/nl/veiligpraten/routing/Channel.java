package nl.veiligpraten.routing;

/**
 * A way to reach a help point. A website or message inbox is not a channel that counts for
 * "reachable now".
 */
public enum Channel {
  /** A counselor queue in this service (reachable when open by its hours and staffed now). */
  QUEUE,
  /** The organisation's phone line (reachable when open by its configured hours). */
  PHONE,
  /** The organisation's own chat (reachable when open by its configured hours). */
  CHAT;

  /** Lower-case form used in JSON. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
