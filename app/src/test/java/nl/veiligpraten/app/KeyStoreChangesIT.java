package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.infra.crypto.KeyId;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.retention.KeyStoreChanges;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared key store seen from a running node while another "node" (a second store instance on
 * the same file, as the {@code keys} command or a node on another host is) creates, rotates and
 * destroys versions under the lock: the running node uses a new version at once and stops opening
 * transcripts of a destroyed one, although it had their data keys and plaintext cached. ({@code
 * ./bench ha} does the same across three real nodes.)
 */
@DisplayName("Organisation keys changed elsewhere reach a running node through the change notice")
class KeyStoreChangesIT {

  @TempDir static Path dataDir;
  static RunningApp app;

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

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  static OrganisationKeyStore reopenFromDisk() {
    // The test app runs in demo mode without a configured passphrase: its store uses the published
    // demo passphrase.
    return OrganisationKeyStore.openOrCreate(
        app.keyStore().file(), Launcher.DEMO_PASSPHRASE.toCharArray(), false);
  }

  static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  @DisplayName(
      "a rotation elsewhere is used for the next chat here, and a version destroyed elsewhere stops opening "
          + "the transcripts it wrapped here too, cached keys and remembered plaintext included")
  void changesElsewhereReachTheNode() throws Exception {
    var transcripts = app.transcripts();
    UUID old = UUID.randomUUID();
    await(
        transcripts
            .conversations()
            .create(old, Secrets.sha256(Secrets.token()), Secrets.sha256(Secrets.token())));
    assertTrue(await(transcripts.route(old, "csg", "csg", 2, "test", "{}")).isPresent());
    await(transcripts.append(old, "csg", "visitor", null, "m-1", "vertrouwelijk"));
    AuditContext staff = AuditContext.staff(1, "counselor", "csg");
    assertEquals(
        1, await(transcripts.readForStaff(old, "csg", 0, 10, staff)).size(), "readable before");

    try (OrganisationKeyStore elsewhere = reopenFromDisk()) {
      KeyStoreChanges changes = new KeyStoreChanges(app.vertx(), app.pool(), elsewhere);
      assertEquals(new KeyId("csg", 2), await(changes.rotate("csg")));
      waitFor(
          "the node uses csg#v2",
          () -> new KeyId("csg", 2).equals(app.keyStore().currentKeyId("csg")));
      assertEquals(new KeyId("kc_new_org", 1), await(changes.create("kc_new_org")));
      waitFor(
          "the node knows the new organisation",
          () -> app.keyStore().organisations().contains("kc_new_org"));

      assertTrue(await(changes.destroy(new KeyId("csg", 1))));
      waitFor(
          "the node dropped csg#v1",
          () -> !app.keyStore().keyIds("csg").contains(new KeyId("csg", 1)));
      // The node had this conversation's data key cached and its last message in memory: both must
      // be gone.
      waitFor(
          "the transcript is unreadable on the node",
          () -> {
            try {
              await(transcripts.readForStaff(old, "csg", 0, 10, staff));
              return false;
            } catch (Exception e) {
              return true;
            }
          });
      ExecutionException unreadable =
          assertThrows(
              ExecutionException.class,
              () -> await(transcripts.readForStaff(old, "csg", 0, 10, staff)));
      assertTrue(unreadable.getCause().getMessage() != null);
    }
  }
}
