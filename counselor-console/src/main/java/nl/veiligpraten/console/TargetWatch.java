package nl.veiligpraten.console;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.veiligpraten.assignment.SupervisorRepository;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.SupervisorAlert;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells an organisation's supervisors about every chat that is about to miss its first-response
 * target, before it does: once it has waited {@link #ALERT_SHARE} of its target without a first
 * answer (queued, or assigned to someone who has not answered). Each chat is alerted once,
 * cluster-wide (an atomic UPDATE marks it), so no chat passes its target unseen by a supervisor.
 */
final class TargetWatch {

  private static final Logger LOG = LoggerFactory.getLogger(TargetWatch.class);

  /** Share of the target after which the supervisors are alerted (leaves them time to act). */
  static final double ALERT_SHARE = 0.8;

  private static final long PERIOD_MS = 500;

  private final Vertx vertx;
  private final SupervisorRepository supervisor;
  private final List<SupervisorRepository.Watch> watches = new ArrayList<>();
  private long timer = -1;
  private boolean running;

  TargetWatch(Vertx vertx, SupervisorRepository supervisor, HelpPointDirectory helpPoints) {
    this.vertx = vertx;
    this.supervisor = supervisor;
    for (HelpPointDirectory.Info info : helpPoints.queues().values()) {
      for (Map.Entry<Integer, Integer> t : info.targetSeconds().entrySet()) {
        watches.add(
            new SupervisorRepository.Watch(
                info.id(), t.getKey(), t.getValue() * ALERT_SHARE, t.getValue()));
      }
    }
  }

  void start() {
    timer = vertx.setPeriodic(PERIOD_MS, t -> sweep());
  }

  void stop() {
    vertx.cancelTimer(timer);
  }

  private void sweep() {
    if (running || watches.isEmpty()) {
      return;
    }
    running = true;
    supervisor
        .dueAlerts(watches)
        .onComplete(
            ar -> {
              running = false;
              if (ar.failed()) {
                LOG.warn("target watch failed: {}", ar.cause().getClass().getName());
                return;
              }
              for (SupervisorRepository.DueAlert a : ar.result()) {
                BusNotes.publish(
                    vertx.eventBus(),
                    a.orgId(),
                    new SupervisorAlert.Target(
                        a.conversationId(),
                        a.helpPoint(),
                        a.priority(),
                        a.status(),
                        a.waitedSeconds(),
                        a.targetSeconds()));
              }
            });
  }
}
