package nl.veiligpraten.gateway;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.abuse.AddressHasher;
import nl.veiligpraten.infra.abuse.KeyedLimiter;
import nl.veiligpraten.routing.wait.WaitEstimator;
import nl.veiligpraten.staffing.StaffingRepository;
import nl.veiligpraten.staffing.StaffingView;

/**
 * The visitor side of one node: several {@link VisitorVerticle} instances, each on its own event
 * loop, sharing one port (Vert.x hands new connections to the instances in turn). Visitor sockets
 * are the many, independent connections of a node, so they are spread over the cores; a configured
 * port 0 becomes Vert.x's shared random port so that every instance binds the same one.
 */
public final class VisitorListener {

  /** Vert.x binds every server that asks for this negative port to one shared random port. */
  private static final int SHARED_RANDOM_PORT = -1;

  private final GatewaySettings settings;
  private final Pool pool;
  private final TranscriptService<?> transcripts;
  private final IntakeRouting intake;
  private final ResumeGuard resume;
  private final Set<VisitorConnection> connections = ConcurrentHashMap.newKeySet();
  private final List<VisitorVerticle> instances = new CopyOnWriteArrayList<>();

  /** Open TCP connections over every instance: the listener's connection cap counts these. */
  private final AtomicInteger openConnections = new AtomicInteger();

  private final StaffingRepository staffing;

  /** Node-wide: one address key and one set of counters for every event loop. */
  private final AddressHasher hasher;

  private final KeyedLimiter newConversations;
  private final KeyedLimiter p0Claims;

  public VisitorListener(
      GatewaySettings settings,
      Pool pool,
      TranscriptService<?> transcripts,
      IntakeRouting intake,
      ResumeGuard resume,
      StaffingRepository staffing) {
    this.resume = resume;
    this.settings = settings;
    this.pool = pool;
    this.transcripts = transcripts;
    this.intake = intake;
    this.staffing = staffing;
    this.hasher = new AddressHasher(java.time.Clock.systemUTC(), settings.abuse().keyRotation());
    this.newConversations =
        new KeyedLimiter(settings.abuse().newPerAddress(), settings.abuse().newGlobal());
    this.p0Claims = new KeyedLimiter(settings.abuse().p0PerAddress(), settings.abuse().p0Global());
  }

  /** The queue control of one verticle instance (its own staffing cache, the node's limits). */
  QueueControl queueControl() {
    WaitEstimator estimator =
        new WaitEstimator(settings.waits().minSamples(), settings.waits().maxSeconds());
    return new QueueControl(
        new StaffingView(staffing, settings.waits().snapshotMillis()),
        staffing,
        new QueueWaits(intake, estimator),
        hasher,
        newConversations,
        p0Claims);
  }

  /** Deploys {@code count} instances (at least one) on event loops. */
  public Future<String> deploy(Vertx vertx, int count) {
    int port = settings.port() == 0 ? SHARED_RANDOM_PORT : settings.port();
    return vertx.deployVerticle(
        () -> {
          VisitorVerticle instance =
              new VisitorVerticle(
                  settings,
                  pool,
                  transcripts,
                  intake,
                  connections,
                  port,
                  openConnections,
                  resume,
                  queueControl());
          instances.add(instance);
          return instance;
        },
        new DeploymentOptions()
            .setThreadingModel(ThreadingModel.EVENT_LOOP)
            .setInstances(Math.max(1, count)));
  }

  public int actualPort() {
    return instances.get(0).actualPort();
  }

  /** Instances deployed (one per event loop used). */
  public int instanceCount() {
    return instances.size();
  }

  /** Open visitor sockets of this node (metrics gauge). */
  public int connectionCount() {
    return connections.size();
  }

  /** Stops accepting on every instance and closes every visitor socket with "going away". */
  public Future<Void> drain() {
    connections.forEach(VisitorConnection::goingAway);
    List<Future<Void>> closed = new ArrayList<>();
    instances.forEach(i -> closed.add(i.stopListening()));
    return Future.join(closed).mapEmpty();
  }
}
