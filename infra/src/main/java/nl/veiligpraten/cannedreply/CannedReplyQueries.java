package nl.veiligpraten.cannedreply;

/** SQL of canned replies: platform defaults ({@code org_id} null) and each organisation's own. */
final class CannedReplyQueries {

  private CannedReplyQueries() {}

  static final String OF =
      "SELECT id, org_id, title, body FROM canned_reply WHERE org_id IS NULL OR org_id = $1 "
          + "ORDER BY org_id NULLS FIRST, id";

  static final String INSERT =
      "INSERT INTO canned_reply (org_id, title, body) VALUES ($1, $2, $3) RETURNING id";

  /**
   * Only the organisation's own: a platform default or another organisation's reply matches
   * nothing.
   */
  static final String DELETE = "DELETE FROM canned_reply WHERE id = $1 AND org_id = $2";
}
