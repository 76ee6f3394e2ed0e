package nl.veiligpraten.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin audit trail (issue 21): one append-only row per admin action on staff accounts,
 * organisations and the routing configuration, done or refused: who (account id, user name, role
 * and organisation at the time), what (action, target account and organisation, changed fields with
 * their new values), when, and the refusal code. Never a password, TOTP secret, enrolment token or
 * session id: callers pass field names and non-secret values only. A row is written before the
 * caller answers, so an action that cannot be logged is answered with an error.
 */
public final class AdminAudit {

  /** Largest page the read API returns. */
  public static final int MAX_PAGE = 500;

  private final SqlClient client;

  public AdminAudit(SqlClient client) {
    this.client = client;
  }

  /** Admin actions. */
  public enum Action {
    INVITE,
    EDIT,
    DISABLE,
    ENABLE,
    RESET_TWO_FACTOR,
    ENROL,
    CREATE_USER,
    CREATE_ORGANISATION,
    CREATE_FIRST_ADMIN,
    /**
     * Only refusals: reading another organisation's access log (a done read is a row of the access
     * log itself).
     */
    READ_ACCESS_LOG,
    /** A help point, file or the whole configuration changed (a new configuration version). */
    EDIT_CONFIG,
    IMPORT_CONFIG,
    ROLLBACK_CONFIG;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Who acts: an account (id, user name, role, organisation), or the command line (id null). */
  public record Actor(Long id, String name, String role, String orgId) {

    /** The {@code create-admin} command on the server. */
    public static final Actor COMMAND_LINE = new Actor(null, "create-admin", "system", null);
  }

  /**
   * What the action concerned: an account (id and user name) and/or an organisation; any part may
   * be null.
   */
  public record Target(Long id, String name, String orgId) {}

  /** One row of the trail. */
  public record Entry(
      long id,
      OffsetDateTime at,
      Actor actor,
      String action,
      Target target,
      boolean done,
      String reason,
      JsonObject detail) {}

  public Future<Void> done(Actor actor, Action action, Target target, JsonObject detail) {
    return write(actor, action, target, "done", null, detail);
  }

  public Future<Void> refused(
      Actor actor, Action action, Target target, String reason, JsonObject detail) {
    return write(actor, action, target, "refused", reason, detail);
  }

  private Future<Void> write(
      Actor actor, Action action, Target target, String outcome, String reason, JsonObject detail) {
    Target t = target == null ? new Target(null, null, null) : target;
    return client
        .preparedQuery(AdminAuditQueries.INSERT)
        .execute(
            Tuple.from(
                java.util.Arrays.asList(
                    actor.id(),
                    actor.name(),
                    actor.role(),
                    actor.orgId(),
                    action.code(),
                    t.id(),
                    t.name(),
                    t.orgId(),
                    outcome,
                    reason,
                    detail == null ? new JsonObject() : detail)))
        .mapEmpty();
  }

  /**
   * Newest first, ids below {@code before}: one organisation's trail, or everything ({@code orgId}
   * null).
   */
  public Future<List<Entry>> page(String orgId, long before, int limit) {
    var query =
        orgId == null
            ? client.preparedQuery(AdminAuditQueries.ALL).execute(Tuple.of(before, limit))
            : client
                .preparedQuery(AdminAuditQueries.OF_ORGANISATION)
                .execute(Tuple.of(orgId, before, limit));
    return query.map(
        rows -> {
          List<Entry> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(
                new Entry(
                    r.getLong("id"),
                    r.getOffsetDateTime("at"),
                    new Actor(
                        r.getLong("actor_id"),
                        r.getString("actor_name"),
                        r.getString("actor_role"),
                        r.getString("actor_org")),
                    r.getString("action"),
                    new Target(
                        r.getLong("target_id"),
                        r.getString("target_name"),
                        r.getString("target_org")),
                    "done".equals(r.getString("outcome")),
                    r.getString("reason"),
                    new JsonObject(r.getString("detail"))));
          }
          return out;
        });
  }
}
