package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import nl.veiligpraten.audit.AdminAudit;
import nl.veiligpraten.audit.AuditAction;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.audit.AuditEntry;
import nl.veiligpraten.audit.AuditFilter;
import nl.veiligpraten.audit.AuditLog;
import nl.veiligpraten.staff.StaffRepository;

/**
 * The access log viewer (issue 21): an organisation's own transcript reads, deletions and log
 * reads, filtered by staff member, conversation, period and action, as JSON for the screen, as a
 * CSV download with the same rows and columns, and as a JSON-lines feed with a cursor for a SIEM.
 *
 * <ul>
 *   <li>{@code GET /api/audit?staff=&conversation=&from=&to=&action=&before=&limit=}: newest first,
 *       at most {@value #MAX_PAGE} rows; {@code next} is the {@code before} of the following page.
 *   <li>{@code GET /api/audit/export.csv?...}: the same filter, newest first, at most {@value
 *       #MAX_EXPORT} rows ({@code X-Truncated: true} when more matched).
 *   <li>{@code GET /api/audit/feed?after=<id>&limit=}: oldest first, ids above {@code after}, one
 *       JSON object per line; {@code X-Next-After} is the cursor of the next poll.
 * </ul>
 *
 * <p>Who: an organisation admin reads the own organisation (an {@code org} parameter naming another
 * one is refused and the attempt goes to the admin audit trail); a platform admin names the
 * organisation with {@code org}. Every accepted read first writes its own {@code read_audit_log}
 * row (who, filter, format) into the organisation's log, so it shows in its own answer; a refused
 * request (bad parameter, wrong role) writes nothing to the access log. {@code from}/{@code to} are
 * dates ({@code 2026-12-07}, whole days in Europe/Amsterdam, both inclusive) or moments ({@code
 * 2026-12-07T09:30:00Z}, {@code to} exclusive).
 */
public final class AuditApi {

  /** Largest page of the JSON answer. */
  static final int MAX_PAGE = AuditLog.MAX_PAGE;

  /** Largest CSV download. */
  static final int MAX_EXPORT = 10_000;

  /** Largest batch of the feed. */
  static final int MAX_FEED = 1_000;

  /** CSV columns, in the order of the JSON fields of an entry. */
  static final List<String> COLUMNS =
      List.of(
          "id",
          "at",
          "staffId",
          "staffName",
          "role",
          "organisation",
          "conversationId",
          "action",
          "reason",
          "afterSeq",
          "lastSeq",
          "messageCount",
          "detail");

  private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
  private static final String ORG_ID = "[a-z][a-z0-9_]{1,39}";

  private final AuditLog log;
  private final AdminAudit adminAudit;
  private final StaffRepository staff;

  public AuditApi(Pool pool, AdminAudit adminAudit, StaffRepository staff) {
    this.log = new AuditLog(pool);
    this.adminAudit = adminAudit;
    this.staff = staff;
  }

  /** A checked request: the filter and the cursor/limit of one of the three formats. */
  private record Query(AuditFilter filter, long cursor, int limit) {}

  /** Thrown for a bad parameter; the message is the answer (Dutch / English). */
  private static final class BadParameter extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final String field;

    BadParameter(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }

  /** {@code GET /api/audit}: JSON for the screen. */
  public void list(RoutingContext ctx) {
    read(ctx, "json", "before", Long.MAX_VALUE, 100, MAX_PAGE)
        .onSuccess(
            q -> {
              if (q == null) {
                return;
              }
              // One row more than asked tells whether a next page exists.
              log.page(q.filter(), q.cursor(), q.limit() + 1)
                  .onSuccess(
                      found -> {
                        List<AuditEntry> entries =
                            found.size() > q.limit() ? found.subList(0, q.limit()) : found;
                        JsonArray items = new JsonArray();
                        entries.forEach(e -> items.add(json(e)));
                        Long next =
                            found.size() > q.limit() ? entries.get(entries.size() - 1).id() : null;
                        ConsoleVerticle.json(
                            ctx,
                            200,
                            new JsonObject()
                                .put("organisation", q.filter().orgId())
                                .put("filter", q.filter().json())
                                .put("entries", items)
                                .put("next", next));
                      })
                  .onFailure(ctx::fail);
            });
  }

  /** {@code GET /api/audit/export.csv}: the same rows and columns as the JSON, as a download. */
  public void csv(RoutingContext ctx) {
    read(ctx, "csv", "before", Long.MAX_VALUE, MAX_EXPORT, MAX_EXPORT)
        .onSuccess(
            q -> {
              if (q == null) {
                return;
              }
              // One row more than asked tells whether the download is complete.
              log.page(q.filter(), q.cursor(), q.limit() + 1)
                  .onSuccess(
                      entries -> {
                        boolean truncated = entries.size() > q.limit();
                        StringBuilder out =
                            new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
                        for (AuditEntry e : truncated ? entries.subList(0, q.limit()) : entries) {
                          JsonObject j = json(e);
                          for (int i = 0; i < COLUMNS.size(); i++) {
                            out.append(i == 0 ? "" : ",")
                                .append(csvField(j.getValue(COLUMNS.get(i))));
                          }
                          out.append("\r\n");
                        }
                        ctx.response()
                            .putHeader("Content-Type", "text/csv; charset=utf-8")
                            .putHeader(
                                "Content-Disposition",
                                "attachment; filename=\"toegangslog-"
                                    + q.filter().orgId()
                                    + ".csv\"")
                            .putHeader("X-Truncated", String.valueOf(truncated))
                            .end(out.toString());
                      })
                  .onFailure(ctx::fail);
            });
  }

  /**
   * {@code GET /api/audit/feed}: JSON lines, oldest first, for a SIEM that polls with the last id
   * it saw.
   */
  public void feed(RoutingContext ctx) {
    read(ctx, "jsonl", "after", 0, MAX_FEED, MAX_FEED)
        .onSuccess(
            q -> {
              if (q == null) {
                return;
              }
              log.feed(q.filter(), q.cursor(), q.limit())
                  .onSuccess(
                      entries -> {
                        StringBuilder out = new StringBuilder();
                        entries.forEach(e -> out.append(json(e).encode()).append('\n'));
                        long next =
                            entries.isEmpty() ? q.cursor() : entries.get(entries.size() - 1).id();
                        ctx.response()
                            .putHeader("Content-Type", "application/x-ndjson; charset=utf-8")
                            .putHeader("X-Next-After", String.valueOf(next))
                            .end(out.toString());
                      })
                  .onFailure(ctx::fail);
            });
  }

  /**
   * Checks the caller and the parameters, and writes the read's own row. Resolves with null when
   * the request was answered with a refusal already (nothing written to the access log then).
   */
  private Future<Query> read(
      RoutingContext ctx,
      String format,
      String cursorName,
      long cursorDefault,
      int limitDefault,
      int limitMax) {
    StaffSession s = ctx.get(StaffSession.KEY);
    boolean platform = Roles.platformAdmin(s);
    if (!Roles.orgAdmin(s) && !platform) {
      ConsoleApi.refuse(
          ctx,
          403,
          "forbidden",
          "Alleen een organisatiebeheerder of platformbeheerder ziet het "
              + "toegangslog. / Only an organisation or platform admin can view the access log.");
      return Future.succeededFuture();
    }
    String asked = ctx.request().getParam("org");
    asked = asked == null || asked.isBlank() ? null : asked.trim();
    if (!platform && asked != null && !asked.equals(s.orgId())) {
      // Not a bad parameter but an attempt on another organisation: refused, and written to the
      // admin audit trail.
      String other = asked.matches(ORG_ID) ? asked : null;
      return adminAudit
          .refused(
              new AdminAudit.Actor(s.user().id(), s.user().username(), s.role(), s.orgId()),
              AdminAudit.Action.READ_ACCESS_LOG,
              new AdminAudit.Target(null, null, other),
              "other_organisation",
              new JsonObject().put("format", format))
          .<Query>map(
              v -> {
                ConsoleApi.refuse(
                    ctx,
                    403,
                    "other_organisation",
                    "Je ziet alleen het toegangslog van je eigen "
                        + "organisatie. / You can only view your own organisation's access log.");
                return null;
              })
          .onFailure(ctx::fail);
    }
    if (platform && asked == null) {
      ConsoleApi.refuse(
          ctx, 400, "invalid_field", "Kies een organisatie (org). / Choose an organisation (org).");
      return Future.succeededFuture();
    }
    String org = platform ? asked : s.orgId();
    Query q;
    try {
      if (!org.matches(ORG_ID)) {
        throw new BadParameter("org", "Onbekende organisatie. / Unknown organisation.");
      }
      q =
          new Query(
              filter(ctx, org),
              number(ctx, cursorName, cursorDefault, 0, Long.MAX_VALUE),
              (int) number(ctx, "limit", limitDefault, 1, limitMax));
    } catch (BadParameter e) {
      ConsoleApi.refuse(ctx, 400, "invalid_field", e.getMessage());
      return Future.succeededFuture();
    }
    Future<Boolean> exists =
        platform
            ? staff.organisationName(org).map(n -> n.isPresent())
            : Future.succeededFuture(true);
    return exists
        .compose(
            known -> {
              if (!known) {
                ConsoleApi.refuse(
                    ctx,
                    404,
                    "unknown_organisation",
                    "Onbekende organisatie. / Unknown organisation.");
                return Future.<Query>succeededFuture();
              }
              AuditContext who = AuditContext.staff(s.user().id(), s.role(), org);
              return log.recordLogRead(who, q.filter(), format).map(q);
            })
        .onFailure(ctx::fail);
  }

  private static AuditFilter filter(RoutingContext ctx, String org) {
    Long staffId = param(ctx, "staff") == null ? null : number(ctx, "staff", 0, 1, Long.MAX_VALUE);
    UUID conversation = null;
    String c = param(ctx, "conversation");
    if (c != null) {
      try {
        conversation = UUID.fromString(c);
      } catch (IllegalArgumentException e) {
        throw new BadParameter(
            "conversation",
            "Het gespreksnummer is geen geldig id (zoals "
                + "123e4567-e89b-12d3-a456-426614174000). / conversation is not a valid id.");
      }
    }
    OffsetDateTime from = moment(param(ctx, "from"), "from", false);
    OffsetDateTime to = moment(param(ctx, "to"), "to", true);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new BadParameter("to", "De einddatum ligt vóór de begindatum. / to lies before from.");
    }
    AuditAction action = null;
    String a = param(ctx, "action");
    if (a != null) {
      action =
          AuditAction.fromCode(a)
              .orElseThrow(
                  () ->
                      new BadParameter(
                          "action",
                          "Onbekende handeling. / "
                              + "Unknown action (read_transcript, export_transcript, delete_on_request, retention_shred, "
                              + "read_audit_log)."));
    }
    return new AuditFilter(org, staffId, conversation, from, to, action);
  }

  private static String param(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * A date (whole day in Europe/Amsterdam; {@code to} means the end of that day) or an ISO-8601
   * moment.
   */
  private static OffsetDateTime moment(String value, String name, boolean end) {
    if (value == null) {
      return null;
    }
    try {
      if (value.length() == 10) {
        LocalDate day = LocalDate.parse(value);
        if (day.getYear() < 2000 || day.getYear() > 9998) {
          throw new DateTimeException("year");
        }
        return (end ? day.plusDays(1) : day).atStartOfDay(ZONE).toOffsetDateTime();
      }
      return OffsetDateTime.parse(value);
    } catch (DateTimeException e) {
      throw new BadParameter(
          name,
          name
              + ": geen geldige datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2026-12-07. / "
              + name
              + " is not a valid date; use YYYY-MM-DD or an ISO-8601 moment.");
    }
  }

  private static long number(RoutingContext ctx, String name, long fallback, long min, long max) {
    String value = param(ctx, name);
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
      throw new BadParameter(
          name,
          name
              + " moet een heel getal zijn"
              + (max < Long.MAX_VALUE ? " van " + min + " tot en met " + max : "")
              + ". / "
              + name
              + " must be a whole number"
              + (max < Long.MAX_VALUE ? " from " + min + " to " + max : "")
              + ".");
    }
  }

  /** One entry as the JSON answer and the feed show it; the CSV has the same fields as columns. */
  static JsonObject json(AuditEntry e) {
    return new JsonObject()
        .put("id", e.id())
        .put("at", e.at().toInstant().toString())
        .put("staffId", e.staffId())
        .put("staffName", e.staffName())
        .put("role", e.role())
        .put("organisation", e.orgId())
        .put("conversationId", e.conversationId() == null ? null : e.conversationId().toString())
        .put("action", e.action())
        .put("reason", e.reason())
        .put("afterSeq", e.afterSeq())
        .put("lastSeq", e.lastSeq())
        .put("messageCount", e.messageCount())
        .put("detail", e.detail());
  }

  /**
   * RFC 4180: every text field quoted, quotes doubled; a field a spreadsheet would run as a formula
   * (starting with = + - @, tab or carriage return) gets a leading apostrophe. Numbers unquoted,
   * null empty, the detail as its JSON.
   */
  static String csvField(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof Number) {
      return value.toString();
    }
    String v = value instanceof JsonObject o ? o.encode() : value.toString();
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    return "\"" + v.replace("\"", "\"\"") + "\"";
  }
}
