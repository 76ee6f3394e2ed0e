package nl.veiligpraten.staff;

import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Row;

/** A member of staff of a help organisation (or of the platform). */
public record StaffUser(
    long id,
    String orgId,
    String username,
    String displayName,
    String role,
    String passwordHash,
    byte[] totpSecret,
    long totpLastStep,
    int capacity) {

  static StaffUser from(Row row) {
    Buffer totp = row.getBuffer("totp_secret");
    return new StaffUser(
        row.getLong("id"),
        row.getString("org_id"),
        row.getString("username"),
        row.getString("display_name"),
        row.getString("role"),
        row.getString("password_hash"),
        totp == null ? null : totp.getBytes(),
        row.getLong("totp_last_step"),
        row.getInteger("capacity"));
  }

  @Override
  public String toString() {
    return "StaffUser[" + id + " " + username + " " + role + "@" + orgId + "]";
  }
}
