package nl.veiligpraten.infra.cluster;

import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Whether this node may take on new work. A node that sees fewer cluster members than the quorum
 * may be on the minority side of a network split: it must not hand out new assignments (its
 * counselors would miss the notifications of visitors on the other side) and its readiness probe
 * reports "not ready" so a load balancer sends new visitors elsewhere. Existing chats keep working:
 * every message still goes through PostgreSQL.
 *
 * <p>One instance per Vert.x instance (tests run several nodes in one JVM); {@link #of(Vertx)}
 * returns a single-node "always in quorum" health when nothing was registered.
 */
public final class ClusterHealth {

  private static final Map<Vertx, ClusterHealth> REGISTRY = new ConcurrentHashMap<>();

  private final boolean clustered;
  private final int quorum;
  private final IntSupplier members;
  private volatile boolean draining;

  public ClusterHealth(boolean clustered, int quorum, IntSupplier members) {
    this.clustered = clustered;
    this.quorum = quorum;
    this.members = members;
  }

  public static void register(Vertx vertx, ClusterHealth health) {
    REGISTRY.put(vertx, health);
  }

  public static void unregister(Vertx vertx) {
    REGISTRY.remove(vertx);
  }

  /** The health of the node that owns this Vert.x instance. */
  public static ClusterHealth of(Vertx vertx) {
    ClusterHealth health = REGISTRY.get(vertx);
    // A fresh instance, not a shared one: draining one unregistered node must not drain another.
    return health != null ? health : new ClusterHealth(false, 1, () -> 1);
  }

  public boolean clustered() {
    return clustered;
  }

  public int quorum() {
    return quorum;
  }

  /**
   * Members this node currently sees, itself included (1 when not clustered or when the view is
   * unavailable).
   */
  public int members() {
    try {
      return members.getAsInt();
    } catch (RuntimeException e) {
      // The cluster manager is shutting down: we are effectively alone.
      return 1;
    }
  }

  public boolean inQuorum() {
    return !clustered || members() >= quorum;
  }

  /**
   * The hook the console's {@code take} checks: false in a minority partition and while draining.
   */
  public boolean acceptsAssignments() {
    return inQuorum() && !draining;
  }

  public boolean draining() {
    return draining;
  }

  /** Set at the start of a graceful shutdown; readiness turns false at once. */
  public void markDraining() {
    draining = true;
  }
}
