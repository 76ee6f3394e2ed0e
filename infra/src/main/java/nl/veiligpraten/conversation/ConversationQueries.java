package nl.veiligpraten.conversation;

/** SQL of the conversation aggregate, in one place, with positional parameters. */
final class ConversationQueries {

  private ConversationQueries() {}

  static final String COLUMNS =
      "id, status, org_id, help_point, priority, rules_version, intake::text AS intake, "
          + "counselor_id, next_seq, outcome, created_at, queued_at, assigned_at, closed_at, "
          + "(SELECT display_name FROM staff_user u WHERE u.id = counselor_id) AS counselor_name";

  static final String INSERT =
      "INSERT INTO conversation (id, resume_hash, resume_code_hash, status) VALUES ($1, $2, $3, 'intake')";

  static final String BY_RESUME_CODE_HASH =
      "SELECT " + COLUMNS + " FROM conversation WHERE resume_code_hash = $1";

  static final String BY_RESUME_HASH =
      "SELECT " + COLUMNS + " FROM conversation WHERE resume_hash = $1";

  static final String BY_ID = "SELECT " + COLUMNS + " FROM conversation WHERE id = $1";

  static final String ROUTE =
      "UPDATE conversation SET status = 'queued', org_id = $2, help_point = $3, priority = $4, "
          + "rules_version = $5, intake = $6, queued_at = now() "
          + "WHERE id = $1 AND status = 'intake' RETURNING "
          + COLUMNS;

  static final String INSERT_KEY =
      "INSERT INTO conversation_key (conversation_id, org_id, key_id, wrapped) "
          + "VALUES ($1, $2, $3, $4) ON CONFLICT (conversation_id, org_id) DO NOTHING";

  static final String KEY_FOR =
      "SELECT key_id, wrapped FROM conversation_key WHERE conversation_id = $1 AND org_id = $2";

  static final String MESSAGES_AFTER =
      "SELECT seq, sender, staff_id, client_id, body, created_at FROM message "
          + "WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3";

  static final String QUEUE_OF_ORG =
      "SELECT "
          + COLUMNS
          + " FROM conversation WHERE org_id = $1 AND status = 'queued' "
          + "ORDER BY priority, queued_at LIMIT $2";

  static final String TAKE =
      "UPDATE conversation SET status = 'assigned', counselor_id = $2, assigned_at = now() "
          + "WHERE id = $1 AND org_id = $3 AND status = 'queued' RETURNING "
          + COLUMNS;

  static final String TAKE_OLDEST =
      "UPDATE conversation SET status = 'assigned', counselor_id = $1, assigned_at = now() "
          + "WHERE id = (SELECT id FROM conversation WHERE org_id = $2 AND status = 'queued' "
          + "ORDER BY priority, queued_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING "
          + COLUMNS;

  static final String CLOSE_BY_COUNSELOR =
      "UPDATE conversation SET status = 'closed', outcome = $3, closed_at = now() "
          + "WHERE id = $1 AND counselor_id = $2 AND status = 'assigned' RETURNING "
          + COLUMNS;

  /**
   * The visitor ends the chat. A chat a counselor held keeps its counselor and waits for their
   * outcome ({@code outcome_pending}; the SET expression reads the row before the update).
   */
  static final String CLOSE_BY_VISITOR =
      "UPDATE conversation SET status = 'closed', outcome = $2, closed_at = now(), "
          + "outcome_pending = (status = 'assigned') WHERE id = $1 AND status <> 'closed' RETURNING "
          + COLUMNS;

  static final String ASSIGNED_TO =
      "SELECT "
          + COLUMNS
          + " FROM conversation WHERE counselor_id = $1 AND status = 'assigned' "
          + "ORDER BY assigned_at";

  static final String VISITOR_LEFT =
      "UPDATE conversation SET visitor_left_at = now() WHERE id = $1";

  static final String VISITOR_BACK =
      "UPDATE conversation SET visitor_left_at = NULL, visitor_paused = false " + "WHERE id = $1";

  static final String VISITOR_PAUSED =
      "UPDATE conversation SET visitor_paused = true WHERE id = $1 "
          + "AND status IN ('intake', 'queued', 'assigned')";

  /**
   * $1 = queue grace, $2 = pause grace (a visitor who paused on purpose keeps the place longer).
   */
  static final String ABANDON_EXPIRED =
      "UPDATE conversation SET status = 'closed', outcome = 'abandoned', "
          + "closed_at = now() WHERE status IN ('intake', 'queued') AND visitor_left_at < now() - make_interval(secs => "
          + "CASE WHEN visitor_paused THEN $2::float8 ELSE $1::float8 END) RETURNING "
          + COLUMNS;

  static final String QUEUE_POSITION =
      "SELECT count(*) FROM conversation c, conversation me WHERE me.id = $1 "
          + "AND c.org_id = me.org_id AND c.status = 'queued' "
          + "AND (c.priority < me.priority OR (c.priority = me.priority AND c.queued_at <= me.queued_at))";

  /**
   * Issue 19: the visitor leaves a message instead of queueing. $7 = the keyed hash of the new
   * message code, which replaces the resume code (the message code is the only way back to the
   * thread).
   */
  static final String TO_INBOX =
      "UPDATE conversation SET status = 'inbox', org_id = $2, help_point = $3, "
          + "priority = $4, rules_version = $5, intake = $6, queued_at = now(), resume_code_hash = $7 "
          + "WHERE id = $1 AND status = 'intake' RETURNING "
          + COLUMNS;

  /**
   * A new message code for a thread that is already in the inbox (a retried leave whose code was
   * never shown).
   */
  static final String INBOX_NEW_CODE =
      "UPDATE conversation SET resume_code_hash = $2 WHERE id = $1 "
          + "AND status = 'inbox' RETURNING "
          + COLUMNS;

  /**
   * The organisation's open message threads, oldest first, with who wrote last and when (no text).
   */
  static final String INBOX_OF_ORG =
      "SELECT "
          + COLUMNS
          + ", visitor_left_at IS NULL AS visitor_here, "
          + "(SELECT m.sender FROM message m WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1) AS last_from, "
          + "(SELECT m.created_at FROM message m WHERE m.conversation_id = c.id ORDER BY m.seq DESC LIMIT 1) AS last_at "
          + "FROM conversation c WHERE org_id = $1 AND status = 'inbox' ORDER BY priority, queued_at LIMIT $2";

  /** A counselor of the organisation turns a thread into a live chat (the visitor is back). */
  static final String INBOX_TAKE =
      "UPDATE conversation SET status = 'assigned', counselor_id = $2, "
          + "assigned_at = now() WHERE id = $1 AND org_id = $3 AND status = 'inbox' RETURNING "
          + COLUMNS;

  /**
   * Threads without a message for $1 seconds are closed ('inbox_expired'): the code stops working
   * and retention (crypto-shredding after the organisation's retention) starts. Idempotent, safe on
   * every node at once.
   */
  static final String INBOX_EXPIRE =
      "UPDATE conversation c SET status = 'closed', outcome = 'inbox_expired', "
          + "closed_at = now() WHERE status = 'inbox' AND greatest(queued_at, (SELECT max(m.created_at) FROM message m "
          + "WHERE m.conversation_id = c.id)) < now() - make_interval(secs => $1::float8) RETURNING "
          + COLUMNS;

  /**
   * Issue 19: a new reload ticket (its hash) replaces the old one; none for a closed conversation.
   */
  static final String SET_RELOAD =
      "UPDATE conversation SET reload_hash = $2 WHERE id = $1 AND status <> 'closed'";

  /**
   * Consumes a reload ticket (single use: the hash is cleared whether or not it may still be used)
   * and says whether it was usable: a chat is open (queued or with a counselor) and its visitor
   * line is up or dropped less than $2 seconds ago.
   */
  static final String TAKE_RELOAD =
      "UPDATE conversation SET reload_hash = NULL WHERE reload_hash = $1 RETURNING "
          + COLUMNS
          + ", (status IN ('queued', 'assigned') AND (visitor_left_at IS NULL OR visitor_left_at > now() - "
          + "make_interval(secs => $2::float8))) AS usable";

  /** "Gesprek stoppen", quick exit: the ticket is revoked at once. */
  static final String REVOKE_RELOAD = "UPDATE conversation SET reload_hash = NULL WHERE id = $1";

  /**
   * A reload resumed the chat: the page gets a new resume token (the old one went with the old
   * page's memory).
   */
  static final String ROTATE_RESUME = "UPDATE conversation SET resume_hash = $2 WHERE id = $1";
}
