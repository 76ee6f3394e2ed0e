package nl.veiligpraten.assignment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.db.Migrations;
import nl.veiligpraten.routing.Priority;
import nl.veiligpraten.routing.PriorityAgeing;
import nl.veiligpraten.routing.config.RuleSet;
import nl.veiligpraten.staffing.QueueSnapshot;
import nl.veiligpraten.staffing.StaffingRepository;

/**
 * The queue order in PostgreSQL is {@link PriorityAgeing}'s order: random queues (priorities P0..P3
 * and none, chats that lost their counselor, queue times on a coarse grid so that scores and queue
 * times tie, at random microseconds, and a little after {@code now} as from a clock ahead; random
 * ids; chats in other states that must not count) with random ageing constants are stored in a real
 * PostgreSQL, and at the same {@code now} every statement that orders the queue agrees with the
 * comparator: the console's queue list, the locked head that take-next and auto-assignment walk,
 * each chat's place (the visitor's position) and the number of chats before a new chat of each
 * priority (the wait estimate).
 *
 * <p>jqwik uses {@code @Label}, not JUnit's {@code @DisplayName}.
 */
@Label("The queue order in PostgreSQL agrees with PriorityAgeing")
class QueueOrderAgreementIT {

  private static final int TRIES = 100;

  /**
   * The new chat of the wait estimate has no id; it comes after every chat it ties with (even one
   * with this id).
   */
  private static final UUID LAST_ID = new UUID(-1L, -1L);

  private static Path dir;
  private static EmbeddedDatabase db;
  private static Vertx vertx;
  private static Pool pool;
  private static final AtomicInteger ORGS = new AtomicInteger();
  private static final AtomicInteger EXECUTED = new AtomicInteger();

  @BeforeContainer
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("vp-queue-order");
    db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    Migrations.migrateBlocking(db.settings());
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db.settings(), 4);
  }

  @AfterContainer
  static void tearDown() throws Exception {
    await(pool.close());
    await(vertx.close());
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    // At least every declared try ran (jqwik does not fall back to a smaller exhaustive
    // generation); more when a
    // failure was shrunk.
    assertTrue(EXECUTED.get() >= TRIES, "tries run: " + EXECUTED.get());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * One generated chat: its state, priority (null = none), whether it lost its counselor, its queue
   * time.
   */
  record Chat(UUID id, String status, Priority priority, boolean head, Duration waited) {
    PriorityAgeing.Queued queued(Instant now) {
      return new PriorityAgeing.Queued(id, priority, head, now.minus(waited));
    }
  }

  /**
   * Random ageing constants; the gaps between base scores are whole minutes of ageing, so scores
   * tie on the grid.
   */
  @Provide
  Arbitrary<RuleSet.AgeingSettings> weights() {
    return Combinators.combine(
            Arbitraries.longs().between(0, 1000),
            Arbitraries.longs().between(1, 40),
            Arbitraries.longs().between(1, 40),
            Arbitraries.longs().between(1, 30))
        .as(
            (p3, gap2, gap1, perMinute) ->
                new RuleSet.AgeingSettings(
                    Map.of(
                        Priority.P3,
                        p3,
                        Priority.P2,
                        p3 + gap2 * perMinute,
                        Priority.P1,
                        p3 + (gap2 + gap1) * perMinute),
                    perMinute));
  }

  @Provide
  Arbitrary<List<Chat>> queues() {
    Arbitrary<Duration> waited =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                6,
                Arbitraries.integers().between(0, 240).map(half -> Duration.ofSeconds(30L * half))),
            net.jqwik.api.Tuple.of(
                3,
                Arbitraries.longs()
                    .between(0, Duration.ofDays(30).toNanos() / 1000)
                    .map(micros -> Duration.ofNanos(micros * 1000))),
            net.jqwik.api.Tuple.of(
                1,
                Arbitraries.longs()
                    .between(1, 120_000_000L)
                    .map(micros -> Duration.ofNanos(-micros * 1000))));
    Arbitrary<Chat> chat =
        Combinators.combine(
                Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2())),
                Arbitraries.integers()
                    .between(0, 10)
                    .map(i -> i == 0 ? "intake" : i == 1 ? "closed" : "queued"),
                Arbitraries.of(Priority.class).injectNull(0.1),
                Arbitraries.integers().between(0, 4).map(i -> i == 0),
                waited)
            .as(Chat::new);
    return chat.list().ofMaxSize(40).uniqueElements(Chat::id);
  }

  @Provide
  Arbitrary<Instant> moments() {
    Instant base = Instant.parse("2026-01-01T00:00:00Z");
    return Arbitraries.longs()
        .between(0, Duration.ofDays(365).toNanos() / 1000)
        .map(micros -> base.plusNanos(micros * 1000));
  }

  @Property(tries = TRIES)
  @Label(
      "queue list, locked head, each chat's place and the chats before a new one all follow PriorityAgeing")
  void sqlOrderIsPriorityAgeingOrder(
      @ForAll("weights") RuleSet.AgeingSettings settings,
      @ForAll("queues") List<Chat> chats,
      @ForAll("moments") Instant now)
      throws Exception {
    EXECUTED.incrementAndGet();
    PriorityAgeing order = new PriorityAgeing(settings);
    String org = "qo" + ORGS.incrementAndGet();
    store(org, chats, now);
    OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);

    Comparator<PriorityAgeing.Queued> byOrder = order.queueOrder(now);
    List<PriorityAgeing.Queued> queued =
        new ArrayList<>(
            chats.stream()
                .filter(c -> c.status().equals("queued"))
                .map(c -> c.queued(now))
                .toList());
    queued.sort(byOrder);
    List<UUID> expected = queued.stream().map(PriorityAgeing.Queued::id).toList();

    // The console's queue list and the supervisor's board.
    AssignmentRepository assignments = new AssignmentRepository(pool, order);
    List<UUID> listed = await(assignments.queue(org, 500, at)).stream().map(QueueItem::id).toList();
    assertEquals(expected, listed, "queue list");

    // The locked head that take-next and auto-assignment walk, first to last.
    List<UUID> head = new ArrayList<>();
    for (Row r :
        await(
            pool.withTransaction(
                conn ->
                    conn.preparedQuery(AssignmentQueries.QUEUE_HEAD_LOCKED)
                        .execute(QueueOrderQueries.bind(Tuple.of(org, 500), order, at))))) {
      head.add(r.getUUID("id"));
    }
    assertEquals(expected, head, "locked queue head");

    // Each chat's place (the position the visitor sees).
    StaffingRepository staffing = new StaffingRepository(pool, order, 3600, 50);
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(
          i,
          await(staffing.place(expected.get(i), at)).orElseThrow().ahead(),
          "place of " + expected.get(i));
    }

    // The chats before a new chat of each priority (the wait estimate).
    QueueSnapshot snapshot = await(staffing.snapshot(at));
    for (Priority p : Priority.values()) {
      PriorityAgeing.Queued fresh = new PriorityAgeing.Queued(LAST_ID, p, false, now);
      long before = queued.stream().filter(q -> byOrder.compare(q, fresh) <= 0).count();
      assertEquals(before, snapshot.aheadOfNew(org, p.ordinal()), "before a new " + p);
    }
  }

  private static void store(String org, List<Chat> chats, Instant now) throws Exception {
    // Ids repeat across tries (jqwik tries edge cases such as all-zero ids), so each try starts
    // from no chats.
    await(pool.query("DELETE FROM conversation").execute());
    await(
        pool.preparedQuery("INSERT INTO organisation (id, name) VALUES ($1, $1)")
            .execute(Tuple.of(org)));
    if (chats.isEmpty()) {
      return;
    }
    List<Tuple> rows = new ArrayList<>();
    for (Chat c : chats) {
      byte[] resume =
          ByteBuffer.allocate(16)
              .putLong(c.id().getMostSignificantBits())
              .putLong(c.id().getLeastSignificantBits())
              .array();
      rows.add(
          Tuple.of(
              c.id(),
              Buffer.buffer(resume),
              c.status(),
              org,
              c.priority() == null ? null : (short) c.priority().ordinal(),
              c.head(),
              OffsetDateTime.ofInstant(now.minus(c.waited()), ZoneOffset.UTC)));
    }
    await(
        pool.preparedQuery(
                "INSERT INTO conversation (id, resume_hash, status, org_id, help_point, priority, "
                    + "queue_head, queued_at) VALUES ($1, $2, $3, $4, 'triage', $5, $6, $7)")
            .executeBatch(rows));
  }
}
