package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import nl.veiligpraten.assignment.AssignmentRepository;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.ConversationNote;
import nl.veiligpraten.infra.bus.QueueNote;
import nl.veiligpraten.infra.bus.StaffUserNote;
import nl.veiligpraten.infra.bus.SupervisorAlert;
import nl.veiligpraten.referral.ReferralRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs auto-assignment: whenever a queue changes (and every two seconds, so a lost notification
 * only delays) it assigns queued chats, one transaction each, to the least-loaded available
 * counselor until no chat or no capacity is left. Also returns the chats of counselors whose
 * console is gone longer than the grace period to the head of the queue, and finishes referral
 * hand-overs interrupted between consent and move. Every node may run this at once: PostgreSQL
 * serialises the assignments.
 */
final class AutoAssigner {

  private static final Logger LOG = LoggerFactory.getLogger(AutoAssigner.class);

  /** How often every node looks for chats of gone counselors and for unanswered assignments. */
  private static final long REQUEUE_EVERY_MS = 1_000;

  private final Vertx vertx;
  private final AssignmentRepository assignments;
  private final long graceSeconds;
  private final int[] reassignAfterSeconds;
  private boolean sweeping;
  private long ticks;
  private final Set<String> running = new HashSet<>();
  private final Set<String> again = new HashSet<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long sweepTimer = -1;
  private long requeueTimer = -1;

  private final ReferralRepository referrals;
  private final TranscriptService<?> transcripts;

  AutoAssigner(Vertx vertx, ConsoleServices services, TranscriptService<?> transcripts) {
    this.vertx = vertx;
    this.assignments = services.assignments();
    this.graceSeconds = services.liveness().counselorGraceSeconds();
    this.reassignAfterSeconds = services.reassignAfterSeconds().clone();
    this.referrals = services.referrals();
    this.transcripts = transcripts;
  }

  Future<Void> start() {
    sweepTimer =
        vertx.setPeriodic(
            2_000,
            t -> assignments.organisationsWithQueue().onSuccess(orgs -> orgs.forEach(this::run)));
    requeueTimer = vertx.setPeriodic(REQUEUE_EVERY_MS, t -> requeue());
    return assignments
        .organisations()
        .map(
            orgs -> {
              orgs.forEach(this::watch);
              return null;
            });
  }

  /**
   * Listens to an organisation's queue notifications (also for organisations created later).
   * Node-local on purpose: every node runs an assigner, the node where a visitor queued or a
   * counselor freed capacity reacts at once, and the two-second sweep covers the rest, so no
   * cluster-wide subscription per organisation is needed.
   */
  void watch(String orgId) {
    consumers.add(
        BusNotes.onLocalQueue(
            vertx.eventBus(),
            orgId,
            note -> {
              // Every kind named, so a new queue note is a compile error here until someone decides
              // whether it can free
              // a chat or a counselor.
              boolean mayAssign =
                  switch (note) {
                    case QUEUED, LEFT, REQUEUED, CAPACITY, CHANGED, STAFFING -> true;
                    case TAKEN -> false;
                  };
              if (mayAssign) {
                run(orgId);
              }
            }));
  }

  /**
   * Assigns chats of the organisation until nothing more can be assigned; coalesces concurrent
   * triggers.
   */
  void run(String orgId) {
    // A node without cluster quorum hands out no chats (same rule as a manual take).
    if (orgId == null
        || !nl.veiligpraten.infra.cluster.ClusterHealth.of(vertx).acceptsAssignments()) {
      return;
    }
    if (!running.add(orgId)) {
      again.add(orgId);
      return;
    }
    again.remove(orgId);
    assignments
        .autoAssign(orgId)
        .onComplete(
            ar -> {
              running.remove(orgId);
              if (ar.failed()) {
                LOG.warn("auto-assignment failed: {}", ar.cause().getClass().getName());
                return;
              }
              AssignmentRepository.Result r = ar.result();
              if (r.assigned()) {
                announce(vertx, orgId, r);
                run(orgId);
              } else if (again.remove(orgId)) {
                run(orgId);
              }
            });
  }

  /**
   * Tells the visitor, the counselor's consoles and the organisation's queue watchers about an
   * assignment.
   */
  static void announce(Vertx vertx, String orgId, AssignmentRepository.Result r) {
    // The counselor's skills go along so the visitor's page can say in which language the counselor
    // writes.
    BusNotes.publish(
        vertx.eventBus(),
        r.conversationId(),
        new ConversationNote.Assigned(r.staffName(), r.staffId(), r.staffSkills()));
    BusNotes.publish(
        vertx.eventBus(), r.staffId(), new StaffUserNote.ChatAssigned(r.conversationId()));
    BusNotes.publish(vertx.eventBus(), orgId, QueueNote.TAKEN);
  }

  private void requeue() {
    if (sweeping || !nl.veiligpraten.infra.cluster.ClusterHealth.of(vertx).acceptsAssignments()) {
      return;
    }
    sweeping = true;
    Future<?> gone =
        assignments
            .requeueAbandoned(graceSeconds)
            .onSuccess(
                list ->
                    list.forEach(
                        q -> {
                          LOG.info(
                              "chat returned to the queue after its counselor's console was gone for {} s",
                              graceSeconds);
                          requeued(
                              q,
                              new SupervisorAlert.CounselorGone(
                                  q.conversationId(),
                                  q.helpPoint(),
                                  q.priority(),
                                  q.counselorId()));
                        }))
            .onFailure(e -> LOG.warn("requeue sweep failed: {}", e.getClass().getName()));
    Future<?> unanswered =
        gone.transform(ignored -> assignments.reassignUnanswered(reassignAfterSeconds))
            .onSuccess(
                list ->
                    list.forEach(
                        q -> {
                          int after = reassignAfterSeconds[q.priority()];
                          LOG.info(
                              "unanswered P{} chat returned to the head of the queue after {} s without a first message",
                              q.priority(),
                              after);
                          requeued(
                              q,
                              new SupervisorAlert.UnansweredAssignment(
                                  q.conversationId(),
                                  q.helpPoint(),
                                  q.priority(),
                                  q.counselorId(),
                                  q.counselorName(),
                                  after));
                        }))
            .onFailure(
                e -> LOG.warn("unanswered-assignment sweep failed: {}", e.getClass().getName()));
    unanswered.onComplete(ar -> sweeping = false);
    // Finish referral hand-overs that were consented but interrupted (both steps are idempotent),
    // every 5 s.
    if (++ticks % 5 != 0) {
      return;
    }
    referrals
        .stalled(10)
        .onSuccess(
            list ->
                list.forEach(
                    r ->
                        referrals
                            .handOver(r, transcripts)
                            .onSuccess(
                                moved -> {
                                  if (moved) {
                                    LOG.info("finished an interrupted referral hand-over");
                                    BusNotes.publish(
                                        vertx.eventBus(),
                                        r.conversationId(),
                                        new ConversationNote.Referred());
                                    BusNotes.publish(vertx.eventBus(), r.toOrg(), QueueNote.QUEUED);
                                  }
                                })))
        .onFailure(e -> LOG.warn("referral sweep failed: {}", e.getClass().getName()));
  }

  /**
   * Tells the old owner's console, the visitor, the queue (the auto-assigner runs on it) and the
   * supervisors.
   */
  private void requeued(AssignmentRepository.Requeued q, SupervisorAlert alert) {
    BusNotes.publish(vertx.eventBus(), q.conversationId(), new ConversationNote.Requeued());
    BusNotes.publish(vertx.eventBus(), q.orgId(), QueueNote.REQUEUED);
    BusNotes.publish(vertx.eventBus(), q.orgId(), alert);
  }

  void stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(requeueTimer);
    consumers.forEach(MessageConsumer::unregister);
  }
}
