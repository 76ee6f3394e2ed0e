package nl.veiligpraten.audit;

import java.util.Objects;
import nl.veiligpraten.routing.staff.Role;

/**
 * Who reads a transcript and why: the staff member, their role and organisation, and (required for
 * supervisors) the reason they give. Built from the authenticated console session, never from
 * client input other than the reason.
 *
 * @param staffId staff user id, or {@code null} for visitor/system actions
 * @param role staff role ({@code counselor}, {@code supervisor}, ...), or {@code visitor} / {@code
 *     system}
 * @param orgId organisation on whose behalf the access happens (may be {@code null} for platform
 *     roles)
 * @param reason free-text reason (1-500 characters), required when {@code role} is {@code
 *     supervisor}
 */
public record AuditContext(Long staffId, String role, String orgId, String reason) {

  public static final int MAX_REASON = 500;

  public AuditContext {
    Objects.requireNonNull(role, "role");
    if (reason != null && (reason.isBlank() || reason.length() > MAX_REASON)) {
      throw new IllegalArgumentException("reason must be 1-" + MAX_REASON + " characters");
    }
    if (Role.find(role).map(Role::readsTranscriptsWithReason).orElse(false) && reason == null) {
      throw new IllegalArgumentException("a supervisor must give a reason to read a transcript");
    }
  }

  /** A staff member acting without a stated reason (counselors reading the chats they hold). */
  public static AuditContext staff(long staffId, String role, String orgId) {
    return new AuditContext(staffId, role, orgId, null);
  }

  /** The visitor of the conversation (delete on request); no identity exists for them. */
  public static AuditContext visitor(String orgId) {
    return new AuditContext(null, "visitor", orgId, null);
  }

  /** The service itself (retention job). */
  public static AuditContext system(String orgId) {
    return new AuditContext(null, "system", orgId, null);
  }
}
