package nl.veiligpraten.referral;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import nl.veiligpraten.conversation.TranscriptService;

/**
 * Referrals to another organisation. Nothing is shared before the visitor's yes is committed:
 * {@link #decide} records the consent first; only then is the data key wrapped for the receiving
 * organisation and the chat moved into its queue. On no, the conversation is not touched.
 */
public final class ReferralRepository {

  private final Pool pool;

  public ReferralRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Offers a referral; empty when the staff member does not hold the chat or an offer is already
   * open.
   */
  public Future<Optional<Referral>> offer(
      UUID conversationId, String fromOrg, String toOrg, String toHelpPoint, long fromStaff) {
    return one(
        pool.preparedQuery(ReferralQueries.OFFER)
            .execute(
                Tuple.of(
                    UUID.randomUUID(), conversationId, fromOrg, toOrg, toHelpPoint, fromStaff)));
  }

  public Future<Optional<Referral>> byId(UUID id) {
    return one(pool.preparedQuery(ReferralQueries.BY_ID).execute(Tuple.of(id)));
  }

  /** The open offer of a conversation, if any (asked again when the visitor reconnects). */
  public Future<Optional<Referral>> openFor(UUID conversationId) {
    return one(pool.preparedQuery(ReferralQueries.OPEN_FOR).execute(Tuple.of(conversationId)));
  }

  /**
   * Records the visitor's answer to an open offer of their own conversation; empty when there is
   * none.
   */
  public Future<Optional<Referral>> decide(UUID referralId, UUID conversationId, boolean accept) {
    return one(
        pool.preparedQuery(ReferralQueries.DECIDE)
            .execute(Tuple.of(referralId, conversationId, accept)));
  }

  /**
   * After consent: wraps the data key for the receiving organisation, then moves the chat to its
   * queue. Both steps are idempotent, so a retry after a failure finishes the handover.
   */
  public Future<Boolean> handOver(Referral referral, TranscriptService<?> transcripts) {
    return transcripts
        .shareWith(referral.conversationId(), referral.fromOrg(), referral.toOrg())
        .compose(
            v ->
                pool.preparedQuery(ReferralQueries.MOVE)
                    .execute(
                        Tuple.of(
                            referral.conversationId(),
                            referral.toOrg(),
                            referral.toHelpPoint(),
                            referral.fromOrg())))
        .map(rows -> rows.rowCount() == 1);
  }

  /**
   * Consented referrals older than {@code seconds} whose chat has not moved yet (to finish the
   * hand-over).
   */
  public Future<List<Referral>> stalled(long seconds) {
    return pool.preparedQuery(ReferralQueries.STALLED)
        .execute(Tuple.of((double) seconds))
        .map(
            rows -> {
              List<Referral> out = new ArrayList<>();
              rows.forEach(r -> out.add(Referral.from(r)));
              return out;
            });
  }

  /** Referrals an organisation sent or received, newest first. */
  public Future<List<Referral>> ofOrganisation(String orgId, int limit) {
    return pool.preparedQuery(ReferralQueries.OF_ORG)
        .execute(Tuple.of(orgId, limit))
        .map(
            rows -> {
              List<Referral> out = new ArrayList<>();
              rows.forEach(r -> out.add(Referral.from(r)));
              return out;
            });
  }

  private static Future<Optional<Referral>> one(Future<RowSet<Row>> rows) {
    return rows.map(
        set ->
            set.rowCount() == 0
                ? Optional.empty()
                : Optional.of(Referral.from(set.iterator().next())));
  }
}
