package nl.veiligpraten.presence;

import java.util.List;

/**
 * What "present" means, in one place. A staff user is present while at least one node holds a live
 * console socket of theirs and renews its lease row in {@code staff_presence} (see {@link
 * PresenceRepository}); a socket that is silent for the configured time is closed by the server, so
 * a console whose network vanished stops counting too.
 */
public final class Presence {

  private Presence() {}

  /**
   * SQL condition "the staff user with alias {@code staffAlias} is present now", for queries that
   * must decide in the same statement or transaction (assignment, staffed-now views). Cluster-wide:
   * every node's rows count.
   */
  public static String present(String staffAlias) {
    return "EXISTS (SELECT 1 FROM staff_presence p WHERE p.staff_id = "
        + staffAlias
        + ".id AND p.expires_at > now())";
  }

  /**
   * A counselor (or supervisor, who may chat too) present now.
   *
   * @param status {@code available}, {@code busy} or {@code away}: only {@code available} gets
   *     chats automatically
   * @param load chats assigned to them now
   * @param capacity the most chats they may hold at once
   */
  public record PresentCounselor(
      long staffId,
      String orgId,
      String role,
      String status,
      int capacity,
      List<String> skills,
      int load) {

    /** Takes new chats now: present, available and below capacity. */
    public boolean free() {
      return "available".equals(status) && load < capacity;
    }

    /** May take a chat that requires these skills (and is free). */
    public boolean canTake(List<String> requiredSkills) {
      return free() && skills.containsAll(requiredSkills);
    }
  }

  /**
   * Bus note on {@link nl.veiligpraten.infra.bus.Addresses#PRESENCE}: a counselor of the
   * organisation came or went on the node that sent it. A hint to re-read presence ({@link
   * PresenceRepository#presentOf}); another node may still hold a socket of someone reported gone
   * here.
   */
  public record Change(String orgId, long staffId, boolean present) {

    /** The bus note. */
    public io.vertx.core.json.JsonObject toJson() {
      return new io.vertx.core.json.JsonObject()
          .put("orgId", orgId)
          .put("staffId", staffId)
          .put("present", present);
    }

    /** Reads a bus note. */
    public static Change fromJson(io.vertx.core.json.JsonObject json) {
      return new Change(
          json.getString("orgId"), json.getLong("staffId"), json.getBoolean("present"));
    }
  }
}
