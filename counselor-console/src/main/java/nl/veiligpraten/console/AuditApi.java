package nl.veiligpraten.console;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import nl.veiligpraten.infra.audit.AuditAction;
import nl.veiligpraten.infra.audit.AuditContext;
import nl.veiligpraten.infra.audit.AuditEntry;
import nl.veiligpraten.infra.audit.AuditLog;

/**
 * {@code GET /api/audit?before=<id>&limit=<n>}: the access log of the caller's own organisation, newest first, for
 * organisation admins only. Viewing the log is itself logged ({@code read_audit_log}).
 */
public final class AuditApi {

  private static final int DEFAULT_LIMIT = 100;

  private final AuditLog log;

  public AuditApi(Pool pool) {
    this.log = new AuditLog(pool);
  }

  /** Route handler; expects {@link ConsoleAuth#require} to have run. */
  public void list(RoutingContext ctx) {
    StaffSession session = ctx.get(StaffSession.KEY);
    if (!"org_admin".equals(session.role()) || session.orgId() == null) {
      ConsoleVerticle.error(ctx, 403, "forbidden", "Only an organisation admin can view the access log.");
      return;
    }
    long before;
    int limit;
    try {
      before = number(ctx.request().getParam("before"), Long.MAX_VALUE, 1, Long.MAX_VALUE);
      limit = (int) number(ctx.request().getParam("limit"), DEFAULT_LIMIT, 1, AuditLog.MAX_PAGE);
    } catch (IllegalArgumentException e) {
      ConsoleVerticle.error(ctx, 400, "invalid_field", e.getMessage());
      return;
    }
    AuditContext who = AuditContext.staff(session.user().id(), session.role(), session.orgId());
    log.record(who, AuditAction.READ_AUDIT_LOG, null, null, null, null)
        .compose(v -> log.ofOrganisation(session.orgId(), before, limit))
        .onSuccess(entries -> {
          JsonArray items = new JsonArray();
          entries.forEach(e -> items.add(json(e)));
          ConsoleVerticle.json(ctx, 200, new JsonObject().put("organisation", session.orgId()).put("entries", items));
        })
        .onFailure(ctx::fail);
  }

  private static JsonObject json(AuditEntry e) {
    return new JsonObject().put("id", e.id()).put("at", e.at().toInstant().toString()).put("staffId", e.staffId())
        .put("staffName", e.staffName()).put("role", e.role()).put("organisation", e.orgId())
        .put("conversationId", e.conversationId() == null ? null : e.conversationId().toString())
        .put("action", e.action()).put("reason", e.reason()).put("afterSeq", e.afterSeq())
        .put("lastSeq", e.lastSeq()).put("messageCount", e.messageCount());
  }

  private static long number(String value, long fallback, long min, long max) {
    if (value == null) {
      return fallback;
    }
    try {
      long n = Long.parseLong(value);
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("before and limit must be whole numbers (limit 1-" + AuditLog.MAX_PAGE + ")");
    }
  }
}
