package nl.veiligpraten.routeaction;

/** SQL of the counselor's routing actions on a live conversation (suicide risk, route override). */
final class RouteActionQueries {

  private RouteActionQueries() {}

  /**
   * Rule U1 on a live chat of the organisation: priority P0 and the rule recorded once in the
   * intake codes (so the visitor gets the card again after a reconnect and the intake card shows
   * it). $3 = the holding counselor, or NULL for a supervisor of the organisation. Returns whether
   * the rule was new.
   */
  static final String MARK_RULE =
      "UPDATE conversation SET priority = 0, intake = CASE "
          + "WHEN coalesce(intake -> 'counselorRules', '[]'::jsonb) ? $4 THEN intake "
          + "ELSE jsonb_set(intake, '{counselorRules}', coalesce(intake -> 'counselorRules', '[]'::jsonb) "
          + "|| jsonb_build_array($4::text)) END "
          + "WHERE id = $1 AND org_id = $2 AND status IN ('queued', 'assigned') AND ($3::bigint IS NULL OR counselor_id = $3) "
          + "RETURNING help_point, NOT (coalesce((SELECT c.intake -> 'counselorRules' FROM conversation c WHERE c.id = $1), "
          + "'[]'::jsonb) ? $4) AS fresh";

  /**
   * Records an override in the intake codes (codes only: reason, help point, the route it
   * replaced). Only the counselor holding the chat, or a supervisor of the organisation ($3 NULL).
   */
  static final String OVERRIDE =
      "UPDATE conversation SET intake = jsonb_set(intake, '{overrides}', "
          + "coalesce(intake -> 'overrides', '[]'::jsonb) || jsonb_build_array(jsonb_build_object('reason', $4::text, "
          + "'helpPoint', $5::text, 'replaced', coalesce(intake ->> 'rule', 'none'), 'at', now()))) "
          + "WHERE id = $1 AND org_id = $2 AND status = 'assigned' AND ($3::bigint IS NULL OR counselor_id = $3) "
          + "RETURNING help_point";

  /**
   * The statistics hook of V30 in the same transaction: an {@code overridden} event with codes
   * only.
   */
  static final String STAT_OVERRIDDEN = "SELECT stat_emit($1, 'overridden', $2, $3, $4)";

  /**
   * Live chats of the organisation a counselor marked with a rule (the supervisor board's standing
   * alerts).
   */
  static final String MARKED =
      "SELECT id, help_point, priority, status FROM conversation WHERE org_id = $1 "
          + "AND status IN ('queued', 'assigned') AND intake -> 'counselorRules' ? $2 ORDER BY created_at";
}
