package nl.veiligpraten.app;

import static nl.veiligpraten.app.PrivacySupport.await;
import static nl.veiligpraten.app.PrivacySupport.count;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.conversation.BouncyCastleConversationCrypto;
import nl.veiligpraten.infra.crypto.CryptoException;
import nl.veiligpraten.infra.crypto.DataKey;
import nl.veiligpraten.infra.crypto.KeyId;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.retention.RetentionJob;
import nl.veiligpraten.retention.RetentionPolicy;
import nl.veiligpraten.retention.RetentionSettings;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Retention: expired transcripts are crypto-shredded so that neither the database nor a dump taken "
        + "before the shred can decrypt them, while other conversations still decrypt")
class ShredIT {

  @TempDir static Path dataDir;
  static RunningApp app;

  /** A clock the test moves forward. */
  static final class TestClock extends Clock {
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  }

  /** One wrapped-key row and one sealed message, as a database dump would hold them. */
  record Dumped(
      UUID conversationId,
      String orgId,
      String keyId,
      byte[] wrapped,
      long seq,
      String sender,
      byte[] body) {}

  @BeforeAll
  static void setUp() throws Exception {
    app = TestApp.start(dataDir);
  }

  @AfterAll
  static void tearDown() {
    if (app != null) {
      app.stopBlocking();
    }
  }

  static UUID conversation(String org, String helpPoint, boolean close) throws Exception {
    UUID id = UUID.randomUUID();
    var transcripts = app.transcripts();
    await(
        transcripts
            .conversations()
            .create(id, Secrets.sha256(Secrets.token()), Secrets.sha256(Secrets.token())));
    assertTrue(await(transcripts.route(id, org, helpPoint, 2, "test", "{}")).isPresent());
    for (int i = 1; i <= 3; i++) {
      await(
          transcripts.append(id, org, "visitor", null, "m-" + i, "vertrouwelijk " + id + " " + i));
    }
    if (close) {
      await(transcripts.conversations().closeByVisitor(id, "visitor_left"));
    }
    return id;
  }

  /**
   * Runs the job until it also did the key-store step (the app's own scheduled run may hold the
   * lock briefly).
   */
  static RetentionJob.Report run(RetentionJob job) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        RetentionJob.Report report = await(job.runOnce());
        if (report.keyStoreMaintained()) {
          return report;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof IllegalStateException)) {
          throw e;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the key-store step never got the lock");
  }

  static List<Dumped> dump(UUID id) throws Exception {
    List<Dumped> out = new ArrayList<>();
    for (Row r :
        await(
            app.pool()
                .preparedQuery(
                    "SELECT k.conversation_id, k.org_id, k.key_id, k.wrapped, m.seq, "
                        + "m.sender, m.body FROM conversation_key k JOIN message m ON m.conversation_id = k.conversation_id "
                        + "WHERE k.conversation_id = $1 ORDER BY m.seq")
                .execute(Tuple.of(id)))) {
      out.add(
          new Dumped(
              r.getUUID(0),
              r.getString(1),
              r.getString(2),
              r.getBuffer(3).getBytes(),
              r.getLong(4),
              r.getString(5),
              r.getBuffer(6).getBytes()));
    }
    return out;
  }

  /**
   * Decrypts a dumped message with whatever keys the store holds now (as an attacker with the store
   * would).
   */
  static String decrypt(OrganisationKeyStore store, Dumped d) {
    BouncyCastleConversationCrypto crypto = new BouncyCastleConversationCrypto(store);
    DataKey key = crypto.unwrap(d.conversationId(), d.orgId(), d.keyId(), d.wrapped());
    return new String(
        crypto.open(key, d.conversationId(), d.seq(), d.sender(), d.body()),
        StandardCharsets.UTF_8);
  }

  static OrganisationKeyStore reopenFromDisk() {
    // The test app runs in demo mode without a configured passphrase: its store uses the published
    // demo passphrase.
    return OrganisationKeyStore.openOrCreate(
        app.keyStore().file(), Launcher.DEMO_PASSPHRASE.toCharArray(), false);
  }

  @Test
  @DisplayName(
      "CSG's 30-day retention shreds its closed chats, destroys the KEK version they used so a pre-shred "
          + "dump is useless, leaves Veilig Thuis (90 days) and newer chats readable, and is idempotent")
  void shredsExpiredConversations() throws Exception {
    TestClock clock = new TestClock();
    Instant t0 = clock.instant();
    RetentionPolicy configured = RetentionPolicy.from(RoutingConfig.load(null).helpPoints());
    assertEquals(30, configured.days("csg").orElseThrow());
    assertEquals(90, configured.days("veilig_thuis").orElseThrow());
    // The two organisations under test, with their configured retention (fewer slow key-store
    // saves).
    RetentionPolicy policy =
        new RetentionPolicy(
            Map.of(
                "csg",
                configured.days("csg").orElseThrow(),
                "veilig_thuis",
                configured.days("veilig_thuis").orElseThrow()));
    RetentionJob job =
        new RetentionJob(
            app.vertx(),
            app.pool(),
            app.keyStore(),
            policy,
            new RetentionSettings(
                Duration.ofHours(1), Duration.ZERO, Duration.ofDays(7), Duration.ofHours(1), 2),
            clock);

    run(job); // registers the current KEK versions (csg#v1, ...) at t0
    UUID a1 = conversation("csg", "csg", true);
    UUID a2 = conversation("csg", "csg", true);
    UUID b1 = conversation("veilig_thuis", "veilig_thuis", true);
    assertEquals("csg#v1", dump(a1).get(0).keyId());

    clock.now.set(t0.plus(Duration.ofDays(8)));
    RetentionJob.Report epoch = run(job);
    assertTrue(epoch.rotated().contains("csg#v2"), epoch.toString());
    assertTrue(epoch.shredded().isEmpty(), "nothing expired yet");
    UUID a3 = conversation("csg", "csg", false); // newer chat under csg#v2, still open
    assertEquals("csg#v2", dump(a3).get(0).keyId());

    // The "dump taken before the shred": wrapped keys and sealed messages exactly as the database
    // holds them.
    List<Dumped> dumpA1 = dump(a1);
    assertEquals(3, dumpA1.size());
    assertTrue(
        decrypt(app.keyStore(), dumpA1.get(0)).startsWith("vertrouwelijk " + a1),
        "before the shred the dump decrypts with the key store");

    long statEvents = count(app, "SELECT count(*) FROM stat_event");
    clock.now.set(t0.plus(Duration.ofDays(31)));
    RetentionJob.Report shred = run(job);
    assertEquals(
        statEvents,
        count(app, "SELECT count(*) FROM stat_event"),
        "statistics events are kept, and a retention shred is not counted as a visitor's deletion");
    assertEquals(
        java.util.Set.of(a1, a2), java.util.Set.copyOf(shred.shredded()), shred.toString());
    assertTrue(shred.destroyed().contains("csg#v1"), shred.toString());
    assertFalse(shred.destroyed().contains("veilig_thuis#v1"), "B1 (90 days) still uses it");

    for (UUID id : List.of(a1, a2)) {
      assertEquals(0L, count(app, "SELECT count(*) FROM message WHERE conversation_id = $1", id));
      assertEquals(
          0L, count(app, "SELECT count(*) FROM conversation_key WHERE conversation_id = $1", id));
      assertEquals(
          0L, count(app, "SELECT count(*) FROM conversation WHERE id = $1", id), "the row is gone");
      assertEquals(
          0L,
          count(app, "SELECT count(*) FROM stat_case_link WHERE conversation_id = $1", id),
          "nothing links the kept statistics events to the conversation any more");
      assertEquals(
          1L,
          count(
              app,
              "SELECT count(*) FROM audit_log WHERE conversation_id = $1 "
                  + "AND action = 'retention_shred' AND role = 'system'",
              id));
      ExecutionException gone =
          assertThrows(
              ExecutionException.class,
              () ->
                  await(
                      app.transcripts()
                          .readForStaff(
                              id, "csg", 0, 10, AuditContext.staff(1, "counselor", "csg"))));
      assertTrue(gone.getCause().getClass().getSimpleName().contains("TranscriptAccess"));
    }

    // The pre-shred dump no longer decrypts: its KEK version is gone, in memory and on disk.
    CryptoException live =
        assertThrows(CryptoException.class, () -> decrypt(app.keyStore(), dumpA1.get(0)));
    assertTrue(
        live.getMessage().contains("csg#v1 is not in the organisation key store"),
        live.getMessage());
    try (OrganisationKeyStore disk = reopenFromDisk()) {
      assertTrue(
          disk.key(KeyId.parse("csg#v1")).isEmpty(), "csg#v1 is gone from the key store file");
      assertTrue(disk.key(KeyId.parse("csg#v2")).isPresent());
      for (Dumped d : dumpA1) {
        assertThrows(CryptoException.class, () -> decrypt(disk, d));
      }
    }

    // Other conversations still decrypt, through the service and from the database.
    AuditContext csg = AuditContext.staff(1, "counselor", "csg");
    assertEquals(3, await(app.transcripts().readForStaff(a3, "csg", 0, 10, csg)).size());
    assertEquals(
        3,
        await(
                app.transcripts()
                    .readForStaff(
                        b1,
                        "veilig_thuis",
                        0,
                        10,
                        AuditContext.staff(2, "counselor", "veilig_thuis")))
            .size());
    assertTrue(decrypt(app.keyStore(), dump(b1).get(2)).endsWith(b1 + " 3"));

    // Idempotent: a second run at the same time (e.g. on another node) changes nothing.
    RetentionJob.Report again = run(job);
    assertTrue(
        again.shredded().isEmpty()
            && again.destroyed().isEmpty()
            && again.keysDeletedFor().isEmpty()
            && again.rotated().isEmpty(),
        again.toString());

    // 91 days: Veilig Thuis's chat goes too; csg#v2 stays because the open chat a3 still uses it.
    clock.now.set(t0.plus(Duration.ofDays(91)));
    List<Dumped> dumpB1 = dump(b1);
    RetentionJob.Report later = run(job);
    assertEquals(List.of(b1), later.shredded());
    assertTrue(later.destroyed().contains("veilig_thuis#v1"), later.toString());
    assertFalse(later.destroyed().contains("csg#v2"), later.toString());
    assertThrows(CryptoException.class, () -> decrypt(app.keyStore(), dumpB1.get(0)));
    assertEquals(3, await(app.transcripts().readForStaff(a3, "csg", 0, 10, csg)).size());
  }
}
