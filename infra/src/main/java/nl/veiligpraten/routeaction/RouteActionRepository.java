package nl.veiligpraten.routeaction;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A counselor's routing actions on a live conversation: marking a counselor rule (U1, suicide risk:
 * P0) and overriding the suggested route with a coded reason. Both change intake codes only (never
 * text) and are refused (empty result, nothing changed) unless the chat is live in the staff
 * member's organisation and, for a counselor, held by them.
 */
public final class RouteActionRepository {

  private final Pool pool;

  public RouteActionRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * The result of marking a rule: the chat's help point and whether the rule was not recorded
   * before.
   */
  public record Marked(String helpPoint, boolean fresh) {}

  /**
   * Records a counselor rule and sets the chat to P0.
   *
   * @param staffIdOrNull the counselor who must hold the chat, or null for a supervisor of the
   *     organisation
   */
  public Future<Optional<Marked>> markRule(
      UUID conversationId, String orgId, Long staffIdOrNull, String rule) {
    return pool.preparedQuery(RouteActionQueries.MARK_RULE)
        .execute(Tuple.of(conversationId, orgId, staffIdOrNull, rule))
        .map(
            rows -> {
              if (rows.rowCount() == 0) {
                return Optional.empty();
              }
              Row row = rows.iterator().next();
              return Optional.of(
                  new Marked(
                      row.getString("help_point"), Boolean.TRUE.equals(row.getBoolean("fresh"))));
            });
  }

  /**
   * Records an override of the suggested route and its {@code overridden} statistics event in one
   * transaction.
   *
   * @param reason a code of {@code OverrideReason}
   * @param toHelpPoint the route the counselor chose instead
   * @param toOrgOrNull the organisation of that route when it is a queue
   * @return the help point the chat was at, or empty when refused
   */
  public Future<Optional<String>> override(
      UUID conversationId,
      String orgId,
      Long staffIdOrNull,
      String reason,
      String toHelpPoint,
      String toOrgOrNull) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(RouteActionQueries.OVERRIDE)
                .execute(Tuple.of(conversationId, orgId, staffIdOrNull, reason, toHelpPoint))
                .compose(
                    rows -> {
                      if (rows.rowCount() == 0) {
                        return Future.succeededFuture(Optional.<String>empty());
                      }
                      String helpPoint = rows.iterator().next().getString("help_point");
                      return conn.preparedQuery(RouteActionQueries.STAT_OVERRIDDEN)
                          .execute(Tuple.of(conversationId, reason, toOrgOrNull, toHelpPoint))
                          .map(v -> Optional.of(helpPoint));
                    }));
  }

  /** A live chat marked with a counselor rule. */
  public record MarkedChat(UUID conversationId, String helpPoint, int priority, String status) {}

  /** Live chats of the organisation marked with {@code rule} (for the supervisor board). */
  public Future<List<MarkedChat>> marked(String orgId, String rule) {
    return pool.preparedQuery(RouteActionQueries.MARKED)
        .execute(Tuple.of(orgId, rule))
        .map(
            rows -> {
              List<MarkedChat> out = new ArrayList<>();
              rows.forEach(
                  r ->
                      out.add(
                          new MarkedChat(
                              r.getUUID("id"),
                              r.getString("help_point"),
                              r.getShort("priority") == null ? 0 : r.getShort("priority"),
                              r.getString("status"))));
              return out;
            });
  }
}
