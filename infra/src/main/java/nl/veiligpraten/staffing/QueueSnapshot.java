package nl.veiligpraten.staffing;

import java.util.List;
import java.util.Map;
import nl.veiligpraten.routing.wait.Staffing;

/**
 * The staffing view at one moment, for every organisation: who is present, recent handling times,
 * and how many queued chats a new chat of each priority would have before it; plus the number of
 * queued chats per help point. Organisations that are absent have nobody present (unknown = not
 * staffed).
 *
 * @param organisations per organisation id
 * @param queuedByHelpPoint queued chats per help point id
 * @param takenAtNanos {@link System#nanoTime()} when the query started
 */
public record QueueSnapshot(
    Map<String, OrgQueue> organisations, Map<String, Long> queuedByHelpPoint, long takenAtNanos) {

  /** Empty view: nobody staffed, nothing queued. */
  public static final QueueSnapshot EMPTY = new QueueSnapshot(Map.of(), Map.of(), Long.MIN_VALUE);

  public QueueSnapshot {
    organisations = Map.copyOf(organisations);
    queuedByHelpPoint = Map.copyOf(queuedByHelpPoint);
  }

  /**
   * One organisation's staffing and queue.
   *
   * @param presentSkills skills of the counselors present and available now, language skills
   *     included (issue 23)
   */
  public record OrgQueue(
      Staffing staffing, List<Long> aheadOfNew, java.util.Set<String> presentSkills) {
    public OrgQueue {
      aheadOfNew = List.copyOf(aheadOfNew);
      presentSkills = java.util.Set.copyOf(presentSkills);
    }

    /** Without skills (nobody's languages known). */
    public OrgQueue(Staffing staffing, List<Long> aheadOfNew) {
      this(staffing, aheadOfNew, java.util.Set.of());
    }

    /** Queued chats a chat of this priority (0..3) queued now would have before it. */
    public long aheadOfNew(int priority) {
      return aheadOfNew.get(Math.max(0, Math.min(3, priority)));
    }
  }

  /** The organisation's staffing; nobody when unknown. */
  public Staffing staffing(String orgId) {
    OrgQueue q = orgId == null ? null : organisations.get(orgId);
    return q == null ? Staffing.NOBODY : q.staffing();
  }

  /**
   * Skills of the organisation's counselors who are present and available now; none when unknown.
   */
  public java.util.Set<String> presentSkills(String orgId) {
    OrgQueue q = orgId == null ? null : organisations.get(orgId);
    return q == null ? java.util.Set.of() : q.presentSkills();
  }

  /** Queued chats a new chat of the priority would have before it at the organisation. */
  public long aheadOfNew(String orgId, int priority) {
    OrgQueue q = orgId == null ? null : organisations.get(orgId);
    return q == null ? 0 : q.aheadOfNew(priority);
  }

  /** Chats waiting in the help point's queue now. */
  public long queued(String helpPoint) {
    return queuedByHelpPoint.getOrDefault(helpPoint, 0L);
  }
}
