package nl.veiligpraten.conversation;

/** SQL of batched message appends (see {@link MessageWriter}), with positional array parameters. */
final class MessageQueries {

  private MessageQueries() {}

  /**
   * Row locks in id order, so two batches that share conversations cannot deadlock each other. NO
   * KEY UPDATE serialises appenders just the same but does not block the foreign-key checks of the
   * message inserts; now() is the transaction's timestamp, the created_at every row of the batch
   * gets by default.
   */
  static final String LOCK_BATCH =
      "SELECT id, next_seq, status, counselor_id, org_id, now() AS at FROM conversation "
          + "WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE";

  /**
   * One unique-index probe per key. LATERAL ... LIMIT 1 keeps the planner from turning this into a
   * hash join that scans the whole message table for every batch.
   */
  static final String RESENDS_IN_BATCH =
      "SELECT k.c AS conversation_id, k.s AS sender, k.id AS client_id, m.seq "
          + "FROM unnest($1::uuid[], $2::text[], $3::text[]) AS k(c, s, id), "
          + "LATERAL (SELECT seq FROM message WHERE conversation_id = k.c AND sender = k.s AND client_id = k.id LIMIT 1) m";

  static final String INSERT_BATCH =
      "INSERT INTO message (conversation_id, seq, sender, staff_id, client_id, body) "
          + "SELECT c, s, snd, NULLIF(st, 0), cid, b "
          + "FROM unnest($1::uuid[], $2::int8[], $3::text[], $4::int8[], $5::text[], $6::bytea[]) AS t(c, s, snd, st, cid, b)";

  /**
   * Primary-key probes via = ANY (a join with unnest could be planned as a scan of every
   * conversation). $3: the conversations that got a counselor message in this batch; the first one
   * sets first_reply_at, whose trigger records the statistics event (V54).
   */
  static final String BUMP_BATCH =
      "UPDATE conversation SET next_seq = ($2::int8[])[array_position($1::uuid[], id)], "
          + "first_reply_at = CASE WHEN first_reply_at IS NULL AND id = ANY ($3::uuid[]) THEN now() "
          + "ELSE first_reply_at END WHERE id = ANY ($1::uuid[])";
}
