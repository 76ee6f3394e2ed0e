package nl.veiligpraten.app;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import nl.veiligpraten.audit.DatabaseRoles;
import nl.veiligpraten.console.ConsoleServices;
import nl.veiligpraten.console.ConsoleSettings;
import nl.veiligpraten.console.ConsoleVerticle;
import nl.veiligpraten.conversation.BouncyCastleConversationCrypto;
import nl.veiligpraten.conversation.ConversationRepository;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.gateway.EngineIntakeRouting;
import nl.veiligpraten.gateway.GatewaySettings;
import nl.veiligpraten.gateway.QueueSweep;
import nl.veiligpraten.gateway.ResumeGuard;
import nl.veiligpraten.gateway.VisitorListener;
import nl.veiligpraten.infra.cluster.ClusterHealth;
import nl.veiligpraten.infra.cluster.ClusterSettings;
import nl.veiligpraten.infra.cluster.HazelcastSetup;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.crypto.PassphraseSource;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.db.Migrations;
import nl.veiligpraten.infra.metrics.ManagementServer;
import nl.veiligpraten.infra.metrics.NodeEndpoints;
import nl.veiligpraten.infra.web.CodeHasher;
import nl.veiligpraten.retention.KeyStoreChanges;
import nl.veiligpraten.retention.RetentionJob;
import nl.veiligpraten.retention.RetentionPolicy;
import nl.veiligpraten.retention.RetentionSettings;
import nl.veiligpraten.routing.PriorityAgeing;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staffing.StaffingRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one process: database (embedded or external), schema migrations, the organisation key
 * store, the routing configuration, and the visitor and console listeners. Every blocking step
 * (starting PostgreSQL, Flyway, opening the key store) runs on a worker thread.
 */
public final class Launcher {

  private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

  private Launcher() {}

  /** Starts everything; the returned handle stops it again. */
  public static Future<RunningApp> start(AppSettings settings) {
    return start(settings, ClusterSettings.disabled());
  }

  /** Starts one node; with {@code cluster.enabled()} Vert.x joins the Hazelcast cluster first. */
  public static Future<RunningApp> start(AppSettings settings, ClusterSettings cluster) {
    try {
      // A production cluster needs event-bus TLS or the operator's private-network statement (issue
      // 20, finding 10).
      cluster.requireSafeFor(settings.demo());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    VertxOptions options = new VertxOptions().setPreferNativeTransport(false);
    // A node's presence rows carry a name that survives its restart, so a restart clears exactly
    // its own.
    settings =
        settings.withLiveness(
            settings
                .liveness()
                .withDefaultNodeId(
                    cluster.enabled()
                        ? cluster.host() + ":" + cluster.hazelcastPort()
                        : "standalone"));
    if (!cluster.enabled()) {
      Vertx vertx = Vertx.vertx(options);
      ClusterHealth.register(vertx, new ClusterHealth(false, 1, () -> 1));
      return startOn(vertx, settings);
    }
    AppSettings named = settings;
    return HazelcastSetup.start(options, cluster).compose(vertx -> startOn(vertx, named));
  }

  static Future<RunningApp> startOn(Vertx vertx, AppSettings settings) {
    RunningApp.Builder app = new RunningApp.Builder(vertx, settings);
    return vertx
        .executeBlocking(
            () -> {
              DbSettings db;
              DbSettings owner;
              if (settings.externalDb().isPresent()) {
                db = settings.externalDb().get();
                owner = DatabaseRoles.migrationSettings(System.getenv(), db);
              } else {
                // Owner-only data directory: the database, the key store and the demo logins live
                // under it.
                EmbeddedDatabase.privateDirectory(settings.dataDir());
                EmbeddedDatabase embedded =
                    EmbeddedDatabase.start(
                        settings.dataDir().resolve("postgres"), settings.embeddedDbPort());
                app.embedded = embedded;
                owner = embedded.settings();
                db = DatabaseRoles.ensureEmbeddedAppRole(owner, settings.dataDir());
              }
              app.db = db;
              // Migrations run as the owner; the pool uses a role that cannot UPDATE or DELETE the
              // access log.
              Migrations.migrateBlocking(owner);
              if (!DatabaseRoles.grantAppPrivileges(owner, db.user())) {
                LOG.warn(
                    "VP_MIGRATION_USER is not set: the application's database user owns the tables and could re-grant "
                        + "itself UPDATE/DELETE on audit_log; set a separate migration user in production");
              }
              // A demo offers every language; production only those a native speaker of the
              // organisation marked reviewed.
              app.intake =
                  EngineIntakeRouting.load(
                      settings.configDir().orElse(null), settings.clock(), settings.demo());
              // The files seed an empty configuration store; the latest stored version is what runs
              // (issue 21).
              app.seedTexts = RoutingConfig.texts(settings.configDir().orElse(null));
              app.keyStore = openKeyStore(settings);
              // Every organisation that owns a queue help point gets its key-encryption key now, in
              // production too: a
              // queue of an organisation without a key could not seal its first message (issue 25).
              // Demo organisations
              // are kept for old demo data directories.
              java.util.Set<String> keyed =
                  new java.util.TreeSet<>(app.intake.queueHelpPoints().values());
              if (settings.demo()) {
                keyed.addAll(DemoData.ORGANISATIONS.keySet());
              }
              for (String org : keyed) {
                app.keyStore.ensureOrganisation(org);
              }
              // The server key behind the resume-code HMAC lives in the key store too, never in the
              // database.
              app.codeHasher = CodeHasher.fromKeyStore(app.keyStore);
              // Staff TOTP secrets are sealed under a key derived from the same server key (issue
              // 20, finding 6).
              app.totpSealer = nl.veiligpraten.staff.TotpSealer.fromKeyStore(app.keyStore);
              app.keyStore.save();
              // Recovering a key store entry runs a deliberately slow KDF: do it for every key now,
              // on this worker
              // thread, so the event loop only ever sees the in-memory cache.
              for (String org : app.keyStore.organisations()) {
                app.keyStore.keyIds(org).forEach(app.keyStore::key);
              }
              return db;
            },
            false)
        .compose(
            db -> {
              Pool pool = Database.pool(vertx, db, 32);
              app.pool = pool;
              NodeEndpoints.useHealthPool(vertx, Database.healthPool(vertx, db));
              return Database.ping(pool);
            })
        .compose(v -> LiveConfiguration.load(vertx, app, app.seedTexts))
        .compose(
            version -> {
              app.configVersion = version;
              StaffRepository staff = new StaffRepository(app.pool);
              return (settings.demo()
                      ? DemoData.ensure(vertx, staff, settings.dataDir())
                      : Future.succeededFuture(List.<String>of()))
                  .compose(logins -> queueOrganisations(staff, app.intake).map(logins))
                  // TOTP secrets from before sealing are sealed now; idempotent, so every node may
                  // do it.
                  .compose(
                      logins ->
                          staff
                              .sealPlainTotpSecrets(app.totpSealer)
                              .map(
                                  sealedCount -> {
                                    if (sealedCount > 0) {
                                      LOG.info(
                                          "sealed the plain TOTP secrets of {} staff accounts",
                                          sealedCount);
                                    }
                                    return logins;
                                  }));
            })
        .compose(
            logins -> {
              app.demoLogins = logins;
              ConversationRepository conversations = new ConversationRepository(app.pool);
              TranscriptService<?> transcripts =
                  new TranscriptService<>(
                      conversations, new BouncyCastleConversationCrypto(app.keyStore));
              app.transcripts = transcripts;
              GatewaySettings gateway =
                  new GatewaySettings(
                      settings.visitorHost(),
                      settings.visitorPort(),
                      settings.visitorOrigins(),
                      GatewaySettings.DEFAULT_MAX_FRAME_BYTES,
                      10,
                      30,
                      settings.security().helloTimeout(),
                      Duration.ofSeconds(settings.queueGraceSeconds()),
                      settings.neutralExitUrl(),
                      app.intake.queueHelpPoints(),
                      settings.security().visitor(),
                      settings.abuse(),
                      settings.waits(),
                      settings.liveness());
              ConsoleSettings console =
                  new ConsoleSettings(
                      settings.consoleHost(),
                      settings.consolePort(),
                      settings.consoleOrigins(),
                      settings.security().sessions(),
                      64 * 1024,
                      settings.security().console(),
                      settings.security().totpRequired(settings.demo()),
                      Duration.ofSeconds(settings.transferOfferSeconds()),
                      settings.security().login(),
                      settings.security().sso());
              StaffingRepository staffing =
                  new StaffingRepository(
                      app.pool,
                      PriorityAgeing.fromConfig(app.intake.config()),
                      settings.waits().windowSeconds(),
                      settings.waits().samples());
              app.visitor =
                  new VisitorListener(
                      gateway,
                      app.pool,
                      transcripts,
                      app.intake,
                      new ResumeGuard(app.codeHasher, settings.security().resume()),
                      staffing);
              // A platform admin's new organisation gets its key-encryption key at once, under the
              // cluster-wide key-store
              // lock, announced to every node (issue 21); the same mechanism as the operator's
              // "keys create".
              KeyStoreChanges keyChanges = new KeyStoreChanges(vertx, app.pool, app.keyStore);
              ConsoleServices consoleServices =
                  ConsoleServices.create(
                      app.pool,
                      conversations,
                      new BouncyCastleConversationCrypto(app.keyStore),
                      app.intake.config(),
                      settings.liveness(),
                      app.totpSealer);
              app.console =
                  new ConsoleVerticle(
                      console,
                      app.pool,
                      transcripts,
                      consoleServices,
                      org -> keyChanges.create(org).map(Object::toString));
              // New configuration versions, stored by an admin on any node, are applied here within
              // seconds.
              app.configWatch =
                  LiveConfiguration.watch(vertx, app, consoleServices, app.configVersion);
              app.console.configApplied(app.configWatch::applied);
              DeploymentOptions options =
                  new DeploymentOptions().setThreadingModel(ThreadingModel.EVENT_LOOP);
              // Visitor sockets are spread over the event loops; the console (few sockets, per-node
              // presence and the
              // auto-assigner) is one instance.
              return app.visitor
                  .deploy(vertx, settings.visitorInstances())
                  .compose(id -> vertx.deployVerticle(app.console, options));
            })
        .map(
            id -> {
              ConversationRepository conversations = app.transcripts.conversations();
              long grace = settings.queueGraceSeconds();
              // Every node runs the sweep; each expired row is closed by exactly one UPDATE, so
              // this is safe in a cluster.
              app.sweepTimer =
                  vertx.setPeriodic(
                      QueueSweep.intervalMillis(grace),
                      t ->
                          QueueSweep.run(
                                  vertx,
                                  conversations,
                                  grace,
                                  settings.liveness().pauseGraceSeconds())
                              .onFailure(
                                  e -> LOG.warn("queue sweep failed: {}", e.getClass().getName()))
                              .transform(
                                  ignored ->
                                      QueueSweep.expireInbox(
                                          vertx, conversations, QueueSweep.INBOX_OPEN_SECONDS))
                              .onFailure(
                                  e ->
                                      LOG.warn("inbox expiry failed: {}", e.getClass().getName())));
              startRetention(vertx, app);
              // Shared key store: re-read on every change notice (and a cheap stat every 2 s);
              // versions destroyed elsewhere
              // must stop unlocking transcripts here too, so cached data keys and remembered
              // plaintext go.
              KeyStoreChanges.watch(vertx, app.db, app.keyStore, 2_000, app.transcripts::forgetAll);
              NodeWiring.attach(app);
              return app;
            })
        .compose(
            built ->
                ManagementServer.start(vertx, app.pool, settings.management())
                    .map(
                        management -> {
                          app.management = management;
                          LOG.info(
                              "management listener (/metrics, /health) on {}:{}",
                              settings.management().host(),
                              management.actualPort());
                          return app.build();
                        }))
        .recover(
            e -> {
              LOG.error("start-up failed: {}", e.getMessage());
              app.abort();
              return Future.failedFuture(e);
            });
  }

  /**
   * Makes sure every organisation that staffs a queue help point has its row (after the demo data,
   * which only seeds an empty database): conversations and staff refer to it, so a configured queue
   * works from the first start.
   */
  private static Future<Void> queueOrganisations(
      StaffRepository staff, EngineIntakeRouting intake) {
    Map<String, String> names = new java.util.TreeMap<>();
    intake
        .queueHelpPoints()
        .forEach(
            (helpPoint, org) -> {
              // The organisation's name is the name of its own help point when it has one, else its
              // id.
              var own = intake.config().helpPoints().byId().get(org);
              names.merge(org, own != null ? own.name() : org, (a, b) -> a);
            });
    Future<Void> all = Future.succeededFuture();
    for (Map.Entry<String, String> org : names.entrySet()) {
      all = all.compose(v -> staff.createOrganisation(org.getKey(), org.getValue()));
    }
    return all;
  }

  /**
   * Retention by crypto-shredding on every node, and dropping cached data keys of shredded
   * conversations.
   */
  private static void startRetention(Vertx vertx, RunningApp.Builder app) {
    TranscriptService<?> transcripts = app.transcripts;
    vertx
        .eventBus()
        .<String>consumer(
            nl.veiligpraten.infra.bus.Addresses.PRIVACY_SHREDDED,
            m -> transcripts.forget(java.util.UUID.fromString(m.body())));
    RetentionPolicy policy = RetentionPolicy.from(app.intake.config().helpPoints());
    LOG.info("transcript retention in days per organisation: {}", policy.daysByOrganisation());
    new RetentionJob(
            vertx, app.pool, app.keyStore, policy, RetentionSettings.DEFAULT, Clock.systemUTC())
        .schedule();
  }

  /**
   * Published on purpose: only demo instances use it, and only when no passphrase is configured.
   */
  static final String DEMO_PASSPHRASE = "veilig-praten-demo-only-not-for-real-conversations";

  /**
   * Store-level PBKDF2 iterations of a key store under the published demo passphrase (see
   * openKeyStore).
   */
  static final int DEMO_STORE_KDF_ITERATIONS = 1_000;

  private static OrganisationKeyStore openKeyStore(AppSettings settings) {
    Map<String, String> env = new HashMap<>(System.getenv());
    Path keysDir = settings.dataDir().resolve("keys");
    // The passphrase is never written next to the data (issue 20, finding 5). Production needs one
    // configured.
    // Demo mode without one uses the published demo passphrase: demo data is not secret, and the
    // banner says the
    // instance must not hold real conversations. A development passphrase file from an older
    // version is still read
    // (so its store stays readable), never created.
    env.remove(OrganisationKeyStore.ENV_DEV_MODE);
    boolean configured =
        env.containsKey(OrganisationKeyStore.ENV_PASSPHRASE)
            || env.containsKey(OrganisationKeyStore.ENV_PASSPHRASE_FILE);
    int storeKdfIterations = OrganisationKeyStore.STORE_KDF_ITERATIONS;
    if (settings.demo() && !configured) {
      if (Files.exists(keysDir.resolve(OrganisationKeyStore.DEV_PASSPHRASE_FILE_NAME))) {
        env.put(OrganisationKeyStore.ENV_DEV_MODE, "true");
      } else {
        env.put(OrganisationKeyStore.ENV_PASSPHRASE, DEMO_PASSPHRASE);
        // A slow KDF over a passphrase printed in the source protects nothing; at 210,000
        // iterations the several
        // saves of a fresh start cost seconds per start (every IT boots a demo instance; issue 25).
        storeKdfIterations = DEMO_STORE_KDF_ITERATIONS;
        LOG.warn(
            "DEMO MODE: the key store uses the published demo passphrase; never keep real conversations here");
      }
    }
    PassphraseSource passphrase = OrganisationKeyStore.passphraseFrom(env, keysDir);
    if (passphrase.generatedForDev()) {
      LOG.warn("Key store passphrase: {}", passphrase.description());
    }
    try {
      return OrganisationKeyStore.openOrCreate(
          keysDir.resolve("organisations.bcfks"), passphrase.value(), true, storeKdfIterations);
    } finally {
      passphrase.wipe();
    }
  }
}
