package nl.veiligpraten.retention;

/**
 * SQL of crypto-shredding. Every statement is idempotent: running it twice, or on two nodes at
 * once, is harmless.
 */
final class ShredQueries {

  private ShredQueries() {}

  /** Step 1 of retention: wrapped keys of one organisation for conversations closed before $2. */
  static final String DELETE_EXPIRED_KEYS =
      "WITH victims AS ("
          + "SELECT k.conversation_id FROM conversation_key k JOIN conversation c ON c.id = k.conversation_id "
          + "WHERE k.org_id = $1 AND c.status = 'closed' AND c.closed_at < $2 LIMIT $3) "
          + "DELETE FROM conversation_key k USING victims v WHERE k.conversation_id = v.conversation_id AND k.org_id = $1 "
          + "RETURNING k.conversation_id";

  /**
   * Step 2: closed conversations whose last wrapped key is gone are deleted with their sealed
   * messages, in separate statements of one transaction. The statistics link goes first, so the
   * statistics trigger does not count this as a visitor's deletion; the statistics events stay and
   * point to nothing. One audit row per conversation.
   */
  static final String KEYLESS_VICTIMS =
      "SELECT c.id FROM conversation c WHERE c.status = 'closed' "
          + "AND c.org_id IS NOT NULL AND c.closed_at < $1 "
          + "AND NOT EXISTS (SELECT 1 FROM conversation_key k WHERE k.conversation_id = c.id) "
          + "LIMIT $2 FOR UPDATE SKIP LOCKED";

  static final String UNLINK_STATISTICS =
      "DELETE FROM stat_case_link WHERE conversation_id = ANY($1)";

  static final String DELETE_MESSAGES = "DELETE FROM message WHERE conversation_id = ANY($1)";

  static final String DELETE_CONVERSATIONS =
      "WITH done AS (DELETE FROM conversation WHERE id = ANY($1) "
          + "RETURNING id, org_id) INSERT INTO audit_log (role, org_id, conversation_id, action) "
          + "SELECT 'system', org_id, id, 'retention_shred' FROM done RETURNING conversation_id";

  /**
   * Delete on request takes the conversation row lock first (the same lock appends take), so a
   * message committed concurrently is either refused (closed) or already visible to the DELETE
   * below - never left behind.
   */
  static final String ERASE_LOCK = "SELECT id FROM conversation WHERE id = $1 FOR UPDATE";

  static final String ERASE_KEYS = "DELETE FROM conversation_key WHERE conversation_id = $1";

  /**
   * Delete on request: messages first, then the row (statistics record a 'deleted' event on it).
   */
  static final String ERASE_MESSAGES = "DELETE FROM message WHERE conversation_id = $1";

  static final String ERASE_CONVERSATION =
      "DELETE FROM conversation WHERE id = $1 RETURNING org_id, counselor_id";

  static final String AUDIT_ERASE =
      "INSERT INTO audit_log (role, org_id, conversation_id, action) "
          + "VALUES ('visitor', $1, $2, 'delete_on_request')";

  // ---- KEK epochs

  static final String REGISTER_KEK =
      "INSERT INTO kek_version (key_id, org_id, created_at, superseded_at) "
          + "VALUES ($1, $2, $3, $4) ON CONFLICT (key_id) DO NOTHING";

  static final String KEK_CREATED = "SELECT created_at FROM kek_version WHERE key_id = $1";

  static final String SUPERSEDE_KEK =
      "UPDATE kek_version SET superseded_at = $2 WHERE key_id = $1 " + "AND superseded_at IS NULL";

  /** Superseded versions of an organisation that no wrapped key refers to any more. */
  static final String UNUSED_KEKS =
      "SELECT v.key_id FROM kek_version v WHERE v.org_id = $1 AND v.destroyed_at IS NULL "
          + "AND v.superseded_at IS NOT NULL AND v.superseded_at < $2 "
          + "AND NOT EXISTS (SELECT 1 FROM conversation_key k WHERE k.key_id = v.key_id) ORDER BY v.key_id";

  static final String DESTROYED_KEK = "UPDATE kek_version SET destroyed_at = $2 WHERE key_id = $1";

  /** Only one node at a time changes the key store (transaction-scoped, released at commit). */
  static final String KEY_STORE_LOCK = "SELECT pg_try_advisory_xact_lock(751300) AS locked";

  /**
   * The same lock, waited for: an operator's key change queues behind a running retention
   * maintenance.
   */
  static final String KEY_STORE_WAIT_LOCK = "SELECT pg_advisory_xact_lock(751300)";

  /** Change notice to every node, delivered by PostgreSQL at commit (payload: key ids only). */
  static final String KEY_STORE_NOTIFY = "SELECT pg_notify('" + KeyStoreChanges.CHANNEL + "', $1)";
}
