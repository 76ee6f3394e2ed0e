package nl.veiligpraten.infra.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import nl.veiligpraten.infra.cluster.ClusterHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Micrometer registry, scraped as Prometheus text on the console listener's {@code
 * /metrics}. Every tag is a structured code (listener, help point, sender role): no ids, addresses
 * or text.
 *
 * <ul>
 *   <li>{@code vp_connections{listener}}: open WebSockets per listener
 *   <li>{@code vp_queue_length{help_point}}, {@code vp_queue_oldest_wait_seconds{help_point}}: from
 *       PostgreSQL every 5 s, so they are the cluster-wide truth, not this node's view
 *   <li>{@code vp_messages_persisted_total{sender}}, {@code
 *       vp_message_persist_failures_total{sender}}: message rate
 *   <li>{@code vp_message_persist_seconds}: seal + transaction + commit latency (histogram)
 *   <li>{@code vp_appends_in_flight}: appends not yet committed (graceful shutdown waits for 0)
 *   <li>{@code vp_message_batches_total}, {@code vp_message_batch_items_total}, {@code
 *       vp_message_batch_waiting}: group commit (items / batches = mean batch size)
 *   <li>{@code vp_eventbus_messages_total{direction}}, {@code vp_eventbus_errors_total}: bus
 *       notifications and the failures Vert.x reports to us (uncaught handler exceptions)
 *   <li>{@code vp_cluster_members}, {@code vp_cluster_quorum}, {@code vp_ready}
 * </ul>
 */
public final class NodeMetrics implements AppendListener {

  private static final Logger LOG = LoggerFactory.getLogger(NodeMetrics.class);

  private static final Map<Vertx, NodeMetrics> REGISTRY = new ConcurrentHashMap<>();

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, QueueFigures> queues = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final java.util.List<Object> sources = new java.util.concurrent.CopyOnWriteArrayList<>();
  // Counters cached per sender value (the code check runs once per value): a registry lookup or a
  // regex per
  // message showed up in the benchmark profile. The sender is one of three fixed values, so the
  // maps stay tiny.
  private final Map<String, Counter> persisted = new ConcurrentHashMap<>();
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final Timer persist;
  private final Counter busOut;
  private final Counter busIn;
  private final Counter busErrors;
  private long queueTimer = -1;

  /** Latest figures of one help point's queue. */
  private static final class QueueFigures {
    volatile int waiting;
    volatile double oldestWait;
  }

  public NodeMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    persist =
        Timer.builder("vp_message_persist")
            .description("Seal, store and commit one message")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    Gauge.builder("vp_appends_in_flight", inFlight, AtomicInteger::get).register(registry);
    busErrors =
        Counter.builder("vp_eventbus_errors")
            .description("Uncaught failures in event-bus and socket handlers")
            .register(registry);
    busOut = Counter.builder("vp_eventbus_messages").tag("direction", "out").register(registry);
    busIn = Counter.builder("vp_eventbus_messages").tag("direction", "in").register(registry);
  }

  public static void register(Vertx vertx, NodeMetrics metrics) {
    REGISTRY.put(vertx, metrics);
  }

  public static void unregister(Vertx vertx) {
    NodeMetrics metrics = REGISTRY.remove(vertx);
    if (metrics != null) {
      metrics.stop(vertx);
      metrics.registry.close();
    }
  }

  /** The metrics of the node owning this Vert.x, or empty when none were registered. */
  public static java.util.Optional<NodeMetrics> of(Vertx vertx) {
    return java.util.Optional.ofNullable(REGISTRY.get(vertx));
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Counts bus traffic and uncaught handler failures of this Vert.x; polls queue figures from
   * PostgreSQL.
   */
  public void start(Vertx vertx, Pool pool, ClusterHealth health) {
    vertx
        .eventBus()
        .addOutboundInterceptor(
            ctx -> {
              busOut.increment();
              ctx.next();
            });
    vertx
        .eventBus()
        .addInboundInterceptor(
            ctx -> {
              busIn.increment();
              ctx.next();
            });
    vertx.exceptionHandler(
        e -> {
          busErrors.increment();
          // Counted and logged: a failure nobody sees is a visitor waiting in silence. The class
          // and the first frame
          // of the stack only; exception messages may carry data from a frame or the database.
          StackTraceElement[] at = e.getStackTrace();
          LOG.error(
              "uncaught failure in a handler: {} at {}",
              e.getClass().getName(),
              at.length > 0 ? at[0] : "?");
        });
    Gauge.builder("vp_cluster_members", health, ClusterHealth::members).register(registry);
    Gauge.builder("vp_cluster_quorum", health, ClusterHealth::quorum).register(registry);
    Gauge.builder("vp_cluster_in_quorum", health, h -> h.inQuorum() ? 1 : 0).register(registry);
    pollQueues(pool);
    queueTimer = vertx.setPeriodic(5_000, id -> pollQueues(pool));
  }

  public void stop(Vertx vertx) {
    if (queueTimer >= 0) {
      vertx.cancelTimer(queueTimer);
      queueTimer = -1;
    }
  }

  /** A gauge of open connections of one listener. */
  public void connections(String listener, Supplier<Number> count) {
    // strongReference: Micrometer holds the state object weakly, and a method-reference supplier
    // has no other owner.
    Gauge.builder("vp_connections", count, s -> s.get().doubleValue())
        .strongReference(true)
        .tag("listener", listener)
        .description("Open WebSockets")
        .register(registry);
  }

  /**
   * Group-commit figures: batches written, items in them, items waiting for the next batch, batches
   * written again with a resend lookup.
   */
  public void appendBatches(
      Supplier<Number> batches,
      Supplier<Number> items,
      Supplier<Number> waiting,
      Supplier<Number> lookupRetries) {
    functionCounter("vp_message_batches", batches, "Message append batches (transactions)");
    functionCounter("vp_message_batch_items", items, "Messages written in those batches");
    functionCounter(
        "vp_message_batch_lookup_retries",
        lookupRetries,
        "Batches written again with a resend lookup (a stored client id was in them)");
    Gauge.builder("vp_message_batch_waiting", waiting, w -> w.get().doubleValue())
        .strongReference(true)
        .description("Appends waiting for the next batch")
        .register(registry);
  }

  /** Transcript reads by where they were answered from: this node's memory or PostgreSQL. */
  public void transcriptReads(Supplier<Number> memory, Supplier<Number> database) {
    functionCounter(
        "vp_transcript_reads", memory, "Message reads answered from memory", "source", "memory");
    functionCounter(
        "vp_transcript_reads",
        database,
        "Message reads that went to PostgreSQL",
        "source",
        "database");
  }

  /**
   * A counter whose value is read from {@code source}, which is kept reachable from this object.
   */
  private void functionCounter(
      String name, Supplier<Number> source, String description, String... tags) {
    // Micrometer holds function-counter state weakly; a method-reference supplier has no other
    // owner.
    sources.add(source);
    FunctionCounter.builder(name, source, b -> b.get().doubleValue())
        .tags(tags)
        .description(description)
        .register(registry);
  }

  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public void started() {
    inFlight.incrementAndGet();
  }

  @Override
  public void finished(String sender, long nanos, boolean committed) {
    inFlight.decrementAndGet();
    if (committed) {
      persist.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
      persisted
          .computeIfAbsent(
              sender, s -> registry.counter("vp_messages_persisted", "sender", code(s)))
          .increment();
    } else {
      failures
          .computeIfAbsent(
              sender, s -> registry.counter("vp_message_persist_failures", "sender", code(s)))
          .increment();
    }
  }

  /** Text exposition for Prometheus. */
  public String scrape() {
    return registry.scrape();
  }

  private void pollQueues(Pool pool) {
    pool.query(MetricsQueries.QUEUES)
        .execute()
        .onSuccess(
            rows -> {
              queues
                  .values()
                  .forEach(
                      q -> {
                        q.waiting = 0;
                        q.oldestWait = 0;
                      });
              for (Row row : rows) {
                QueueFigures figures =
                    queues.computeIfAbsent(code(row.getString("help_point")), this::newQueue);
                figures.waiting = row.getInteger("waiting");
                figures.oldestWait = row.getDouble("oldest_wait");
              }
            });
  }

  private QueueFigures newQueue(String helpPoint) {
    QueueFigures figures = new QueueFigures();
    Gauge.builder("vp_queue_length", figures, f -> f.waiting)
        .tag("help_point", helpPoint)
        .register(registry);
    Gauge.builder("vp_queue_oldest_wait_seconds", figures, f -> f.oldestWait)
        .tag("help_point", helpPoint)
        .register(registry);
    return figures;
  }

  /** Tag values are codes from our own configuration; anything else collapses to "other". */
  private static String code(String value) {
    return value != null && CODE.matcher(value).matches() ? value : "other";
  }

  private static final java.util.regex.Pattern CODE =
      java.util.regex.Pattern.compile("[a-z0-9_-]{1,40}");
}
