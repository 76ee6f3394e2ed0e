package nl.veiligpraten.infra.db;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Pipelined batches for database writes: items that arrive while {@code maxInFlight} batches are
 * being written wait and go together into the next batch. Under load one statement set and one
 * commit (one WAL flush) serve many items; when the system is idle an item is written at once,
 * without a timer or any added delay. The batch function answers each item itself (see {@link
 * Reply}); this class only decides what goes into which batch and when.
 *
 * <p>Thread-safe: items may be submitted from any event loop.
 *
 * @param <T> item type
 */
public final class PipelinedBatches<T> {

  private final int maxBatch;
  private final int maxInFlight;
  private final Function<List<T>, Future<?>> writeBatch;
  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private final java.util.concurrent.atomic.AtomicLong batchesWritten =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong itemsWritten =
      new java.util.concurrent.atomic.AtomicLong();
  private int inFlight;

  /**
   * @param maxBatch most items in one batch
   * @param maxInFlight batches written at the same time (more than one lets the next batch's
   *     statements overlap the previous batch's commit flush)
   * @param writeBatch writes one batch and answers its items; the returned future only signals that
   *     it is done
   */
  public PipelinedBatches(int maxBatch, int maxInFlight, Function<List<T>, Future<?>> writeBatch) {
    if (maxBatch < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException("maxBatch and maxInFlight must be positive");
    }
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.writeBatch = writeBatch;
  }

  /** Queues an item; it is written in the next batch that starts. */
  public void submit(T item) {
    List<T> batch;
    synchronized (this) {
      waiting.add(item);
      batch = takeBatchIfIdleSlot();
    }
    if (batch != null) {
      write(batch);
    }
  }

  /**
   * Fallback after a failed batch: writes each item alone, one after the other in batch order, so
   * an item that makes the whole statement fail only fails itself. Completes when all are done
   * (never fails).
   */
  public static <T> Future<Void> eachAlone(List<T> batch, Function<T, Future<?>> writeOne) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : batch) {
      chain = chain.transform(ignored -> writeOne.apply(item).<Void>mapEmpty().otherwiseEmpty());
    }
    return chain;
  }

  /** Items waiting for a batch slot (metrics). */
  public synchronized int waiting() {
    return waiting.size();
  }

  /** Batches started so far (metrics: items / batches is the mean batch size). */
  public long batches() {
    return batchesWritten.get();
  }

  /** Items handed to batches so far. */
  public long items() {
    return itemsWritten.get();
  }

  private List<T> takeBatchIfIdleSlot() {
    if (inFlight >= maxInFlight || waiting.isEmpty()) {
      return null;
    }
    inFlight++;
    List<T> batch = new ArrayList<>(Math.min(maxBatch, waiting.size()));
    while (batch.size() < maxBatch && !waiting.isEmpty()) {
      batch.add(waiting.poll());
    }
    return batch;
  }

  private void write(List<T> batch) {
    batchesWritten.incrementAndGet();
    itemsWritten.addAndGet(batch.size());
    Future<?> done;
    try {
      done = writeBatch.apply(batch);
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onComplete(
        ar -> {
          List<T> next;
          synchronized (this) {
            inFlight--;
            next = takeBatchIfIdleSlot();
          }
          if (next != null) {
            write(next);
          }
        });
  }
}
