package nl.veiligpraten.staffing;

import io.vertx.core.Future;

/**
 * One event loop's cached staffing view: frames are built from a snapshot at most {@code
 * maxAgeMillis} old, and concurrent requests share one read, so a burst of visitors costs one set
 * of queries, not one per visitor. Not thread-safe: use one instance per verticle (its futures
 * complete on the caller's event loop).
 */
public final class StaffingView {

  private final StaffingRepository repository;
  private final long maxAgeNanos;
  private QueueSnapshot last = QueueSnapshot.EMPTY;
  private Future<QueueSnapshot> inflight;
  private long inflightStarted;

  /**
   * When staffing last changed ({@link #changed()}); snapshots read before it are stale whatever
   * their age.
   */
  private long changedAt = System.nanoTime() - Long.MAX_VALUE / 2;

  public StaffingView(StaffingRepository repository, long maxAgeMillis) {
    this.repository = repository;
    this.maxAgeNanos = maxAgeMillis * 1_000_000L;
  }

  /**
   * A snapshot no older than the configured age, and read after the last staffing change this view
   * was told of.
   */
  public Future<QueueSnapshot> current() {
    long oldest = System.nanoTime() - maxAgeNanos;
    return takenAfter(changedAt - oldest > 0 ? changedAt : oldest);
  }

  /**
   * Someone came, went or changed availability (a bus note, sent after the change was committed):
   * the cached snapshot may say "nobody there" for up to the configured age after a counselor came
   * online, so frames built from now on wait for a snapshot read after this moment.
   */
  public void changed() {
    changedAt = System.nanoTime();
  }

  /**
   * A snapshot whose read started after {@code nanoTime} (so it sees every change committed before
   * then).
   */
  public Future<QueueSnapshot> takenAfter(long nanoTime) {
    if (last.takenAtNanos() - nanoTime >= 0 && last != QueueSnapshot.EMPTY) {
      return Future.succeededFuture(last);
    }
    if (inflight != null) {
      if (inflightStarted - nanoTime >= 0) {
        return inflight;
      }
      return inflight.transform(ar -> takenAfter(nanoTime));
    }
    inflightStarted = System.nanoTime();
    Future<QueueSnapshot> read = repository.snapshot();
    inflight = read;
    return read.andThen(
        ar -> {
          if (inflight == read) {
            inflight = null;
          }
          if (ar.succeeded()) {
            last = ar.result();
          }
        });
  }

  /** The last snapshot read, however old (empty before the first read). */
  public QueueSnapshot last() {
    return last;
  }
}
