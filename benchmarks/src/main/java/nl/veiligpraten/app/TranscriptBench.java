package nl.veiligpraten.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.conversation.BouncyCastleConversationCrypto;
import nl.veiligpraten.conversation.ConversationRepository;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.db.Migrations;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.staff.StaffRepository;

/**
 * Benchmark command (not part of the test run): cost per message of encrypt+persist ({@link
 * TranscriptService#append}) against plain persist (the same repository transaction storing the
 * plaintext bytes) in the same run, against a throw-away embedded PostgreSQL. Prints microseconds
 * per message and the ratio, once with one message at a time (latency, dominated by the commit) and
 * once with many in flight (throughput).
 *
 * <pre>
 * mvn -B -q -o install -DskipTests
 * java -cp "app/target/veilig-praten.jar:app/target/lib/*" nl.veiligpraten.app.TranscriptBench [messages] [rounds]
 * </pre>
 */
public final class TranscriptBench {

  private static final int BODY_BYTES = 200;
  private static final int CONVERSATIONS = 64;

  private TranscriptBench() {}

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path dir = Files.createTempDirectory("vp-bench");
    EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    Vertx vertx = Vertx.vertx();
    try (OrganisationKeyStore keys =
        OrganisationKeyStore.openOrCreate(
            dir.resolve("keys.bcfks"), Secrets.token().toCharArray(), true)) {
      Migrations.migrateBlocking(db.settings());
      Pool pool = Database.pool(vertx, db.settings(), 16);
      await(new StaffRepository(pool).createOrganisation("csg", "Bench"));
      keys.ensureOrganisation("csg");
      ConversationRepository repo = new ConversationRepository(pool);
      TranscriptService<?> transcripts =
          new TranscriptService<>(repo, new BouncyCastleConversationCrypto(keys));
      String body = "x".repeat(BODY_BYTES);
      byte[] plain = body.getBytes(StandardCharsets.UTF_8);

      System.out.printf(
          "Transcript persist benchmark: %d messages of %d B per measurement, %d rounds, "
              + "embedded PostgreSQL (fsync on)%n",
          messages, BODY_BYTES, rounds);
      for (int inFlight : new int[] {1, CONVERSATIONS}) {
        List<UUID> convs = conversations(transcripts, repo, CONVERSATIONS);
        // Warm-up: JIT, prepared statements, cached data keys.
        run(transcripts, repo, convs, Math.min(messages, 500), inFlight, body, plain, true);
        run(transcripts, repo, convs, Math.min(messages, 500), inFlight, body, plain, false);
        // Plain and encrypted alternate in small chunks, so load from other processes hits both
        // alike.
        int chunk = Math.max(inFlight, 64);
        double[] p = new double[rounds];
        double[] e = new double[rounds];
        for (int r = 0; r < rounds; r++) {
          double plainUs = 0;
          double encUs = 0;
          for (int done = 0; done < messages; done += chunk) {
            int k = Math.min(chunk, messages - done);
            plainUs += run(transcripts, repo, convs, k, inFlight, body, plain, false) * k;
            encUs += run(transcripts, repo, convs, k, inFlight, body, plain, true) * k;
          }
          p[r] = plainUs / messages;
          e[r] = encUs / messages;
        }
        double pm = median(p);
        double em = median(e);
        System.out.printf(
            "  %-28s plain persist %8.1f us/msg   encrypt+persist %8.1f us/msg   ratio %.3f%n",
            inFlight == 1 ? "one at a time (latency):" : inFlight + " in flight (throughput):",
            pm,
            em,
            em / pm);
      }
      pool.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      db.close();
    }
  }

  private static List<UUID> conversations(
      TranscriptService<?> transcripts, ConversationRepository repo, int n) throws Exception {
    List<UUID> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      UUID id = UUID.randomUUID();
      await(repo.create(id, Secrets.sha256(Secrets.token()), Secrets.sha256(Secrets.token())));
      await(transcripts.route(id, "csg", "csg", 2, "bench", "{}"));
      out.add(id);
    }
    return out;
  }

  /**
   * Stores {@code n} messages with {@code inFlight} outstanding at a time; returns microseconds per
   * message.
   */
  private static double run(
      TranscriptService<?> transcripts,
      ConversationRepository repo,
      List<UUID> convs,
      int n,
      int inFlight,
      String body,
      byte[] plain,
      boolean encrypted)
      throws Exception {
    String tag = Secrets.code(8);
    long start = System.nanoTime();
    List<Future<?>> batch = new ArrayList<>(inFlight);
    for (int i = 0; i < n; i++) {
      UUID id = convs.get(i % convs.size());
      String clientId = tag + "-" + i;
      batch.add(
          encrypted
              ? transcripts.append(id, "csg", "visitor", null, clientId, body)
              : repo.append(id, "visitor", null, clientId, seq -> plain.clone()));
      if (batch.size() == inFlight) {
        await(Future.all(batch));
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      await(Future.all(batch));
    }
    return (System.nanoTime() - start) / 1000.0 / n;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
