package nl.veiligpraten.routing.staff;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The role of a member of staff, with the code stored in {@code staff_user.role} (the database
 * CHECK constraint {@code staff_user_role_check} lists exactly these codes), written to the audit
 * log and sent to the console. What a role may do is decided here, in exhaustive switches, so a new
 * role is a compile error in every decision.
 */
public enum Role {

  /** Holds chats with visitors. */
  COUNSELOR("counselor"),
  /**
   * Holds chats, sees the live board, joins silently and whispers; reads statistics of the
   * organisation.
   */
  SUPERVISOR("supervisor"),
  /** Reads statistics of the organisation only. */
  STATS_VIEWER("stats_viewer"),
  /**
   * Administers the organisation (staff, canned replies, help points); sees the live board and
   * statistics.
   */
  ORG_ADMIN("org_admin"),
  /** Administers the platform (every organisation); sees chain statistics. */
  PLATFORM_ADMIN("platform_admin"),
  /** Reads chain statistics (ministry, municipalities) only. */
  CHAIN_VIEWER("chain_viewer");

  private final String code;

  Role(String code) {
    this.code = code;
  }

  /** The code in the database and on the wire, e.g. {@code "org_admin"}. */
  public String code() {
    return code;
  }

  /**
   * The role of a stored code.
   *
   * @throws IllegalArgumentException for a code that is not a staff role (including {@code null})
   */
  public static Role fromCode(String code) {
    return find(code)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown staff role '"
                        + code
                        + "', expected one of "
                        + codes(List.of(values()))));
  }

  /** The role of a code from outside (a form, a configuration file), or empty when it is none. */
  public static Optional<Role> find(String code) {
    return Arrays.stream(values()).filter(r -> r.code.equals(code)).findFirst();
  }

  /** The codes of the given roles, in their order. */
  public static List<String> codes(List<Role> roles) {
    return roles.stream().map(Role::code).toList();
  }

  /**
   * The roles of an organisation's own staff, in the order the administration screens offer them.
   */
  public static List<Role> organisationRoles() {
    return Arrays.stream(values()).filter(Role::belongsToOrganisation).toList();
  }

  /**
   * The platform-wide roles (no organisation), in the order the administration screens offer them.
   */
  public static List<Role> platformRoles() {
    return Arrays.stream(values()).filter(r -> !r.belongsToOrganisation()).toList();
  }

  /**
   * Whether an account with this role belongs to one organisation (the others are platform-wide).
   */
  public boolean belongsToOrganisation() {
    return switch (this) {
      case COUNSELOR, SUPERVISOR, STATS_VIEWER, ORG_ADMIN -> true;
      case PLATFORM_ADMIN, CHAIN_VIEWER -> false;
    };
  }

  /** Whether this role holds chats (console socket, queue, take, messages). */
  public boolean holdsChats() {
    return switch (this) {
      case COUNSELOR, SUPERVISOR -> true;
      case STATS_VIEWER, ORG_ADMIN, PLATFORM_ADMIN, CHAIN_VIEWER -> false;
    };
  }

  /** Whether this role sees the live board and may join a chat silently and whisper. */
  public boolean supervises() {
    return switch (this) {
      case SUPERVISOR, ORG_ADMIN -> true;
      case COUNSELOR, STATS_VIEWER, PLATFORM_ADMIN, CHAIN_VIEWER -> false;
    };
  }

  /**
   * Whether reading a transcript in this role needs a recorded reason: a supervisor reads chats
   * they do not hold (the database refuses such an audit row without a reason).
   */
  public boolean readsTranscriptsWithReason() {
    return switch (this) {
      case SUPERVISOR -> true;
      case COUNSELOR, STATS_VIEWER, ORG_ADMIN, PLATFORM_ADMIN, CHAIN_VIEWER -> false;
    };
  }

  /** Whether this role sees its own organisation's statistics in full detail. */
  public boolean seesOrganisationStatistics() {
    return switch (this) {
      case STATS_VIEWER, SUPERVISOR, ORG_ADMIN -> true;
      case COUNSELOR, PLATFORM_ADMIN, CHAIN_VIEWER -> false;
    };
  }

  /** Whether this role sees chain aggregates (monthly, per help point) only. */
  public boolean seesChainStatistics() {
    return switch (this) {
      case CHAIN_VIEWER, PLATFORM_ADMIN -> true;
      case COUNSELOR, SUPERVISOR, STATS_VIEWER, ORG_ADMIN -> false;
    };
  }
}
