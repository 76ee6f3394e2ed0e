package nl.veiligpraten.infra.web;

import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Lets one socket write syscall carry several WebSocket frames. Vert.x flushes every frame written
 * outside the connection's own read at once, so the acknowledgements of one group commit (answered
 * from the database connection's callbacks, often a dozen for the same counselor) each cost a
 * system call and a wake-up of the peer. Netty's {@link FlushConsolidationHandler} turns such a
 * flush into a task queued on the connection's own event loop, so every frame written before that
 * task runs leaves in one write; flushes during a read still wait for the end of the read, as
 * before. The delay is one pass of the event loop's task queue, not a timer.
 *
 * <p>Reaches the Netty channel through Vert.x's connection implementation (no public API for the
 * pipeline): if a later Vert.x changes that class, {@link #install} does nothing and frames are
 * flushed one by one as before.
 */
public final class FlushCoalescing {

  /**
   * Flush at once after this many frames, whatever happens, so a burst never waits for the task
   * queue.
   */
  static final int MAX_FRAMES_PER_FLUSH = 64;

  private static final String NAME = "vp-flush-coalescing";

  private FlushCoalescing() {}

  /** Installs flush coalescing on the connection of an upgraded WebSocket; true when installed. */
  public static boolean install(HttpConnection connection) {
    if (!(connection instanceof ConnectionBase base)) {
      return false;
    }
    var pipeline = base.channel().pipeline();
    if (pipeline.get(NAME) == null) {
      // First in the pipeline, next to the socket: it sees every flush of every handler above it.
      pipeline.addFirst(NAME, new FlushConsolidationHandler(MAX_FRAMES_PER_FLUSH, true));
    }
    return true;
  }
}
