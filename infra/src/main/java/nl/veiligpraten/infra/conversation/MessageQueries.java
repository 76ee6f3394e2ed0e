package nl.veiligpraten.infra.conversation;

/** SQL of batched message appends (see {@link MessageWriter}), with positional array parameters. */
final class MessageQueries {

  private MessageQueries() {
  }

  /**
   * Row locks in id order, so two batches that share conversations cannot deadlock each other. NO KEY UPDATE
   * serialises appenders just the same but does not block the foreign-key checks of the message inserts; now() is the
   * transaction's timestamp, the created_at every row of the batch gets by default.
   */
  static final String LOCK_BATCH = "SELECT id, next_seq, status, counselor_id, org_id, now() AS at FROM conversation "
      + "WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE";

  static final String RESENDS_IN_BATCH = "SELECT m.conversation_id, m.sender, m.client_id, m.seq FROM message m "
      + "JOIN unnest($1::uuid[], $2::text[], $3::text[]) AS k(c, s, id) "
      + "ON m.conversation_id = k.c AND m.sender = k.s AND m.client_id = k.id";

  static final String INSERT_BATCH = "INSERT INTO message (conversation_id, seq, sender, staff_id, client_id, body) "
      + "SELECT c, s, snd, NULLIF(st, 0), cid, b "
      + "FROM unnest($1::uuid[], $2::int8[], $3::text[], $4::int8[], $5::text[], $6::bytea[]) AS t(c, s, snd, st, cid, b)";

  static final String BUMP_BATCH = "UPDATE conversation c SET next_seq = t.n "
      + "FROM unnest($1::uuid[], $2::int8[]) AS t(id, n) WHERE c.id = t.id";
}
