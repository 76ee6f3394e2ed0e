package nl.veiligpraten.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.List;
import nl.veiligpraten.console.ConsoleVerticle;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.gateway.VisitorListener;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.db.EmbeddedDatabase;

/**
 * Handle of a started process; {@link #stop()} drains the listeners, closes Vert.x and stops
 * embedded PostgreSQL.
 */
public final class RunningApp {

  private final Vertx vertx;
  private final AppSettings settings;
  private final EmbeddedDatabase embedded;
  private final DbSettings db;
  private final Pool pool;
  private final VisitorListener visitor;
  private final ConsoleVerticle console;
  private final TranscriptService<?> transcripts;
  private final OrganisationKeyStore keyStore;
  private final List<String> demoLogins;
  private final long sweepTimer;
  private final nl.veiligpraten.infra.metrics.ManagementServer management;
  private final nl.veiligpraten.staff.TotpSealer totpSealer;
  private final nl.veiligpraten.liveconfig.ConfigWatch configWatch;

  private RunningApp(Builder b) {
    this.vertx = b.vertx;
    this.settings = b.settings;
    this.embedded = b.embedded;
    this.db = b.db;
    this.pool = b.pool;
    this.visitor = b.visitor;
    this.console = b.console;
    this.transcripts = b.transcripts;
    this.keyStore = b.keyStore;
    this.demoLogins = b.demoLogins;
    this.sweepTimer = b.sweepTimer;
    this.management = b.management;
    this.totpSealer = b.totpSealer;
    this.configWatch = b.configWatch;
  }

  /** The configuration version this node runs (issue 21). */
  public int configVersion() {
    return configWatch.applied();
  }

  /** Seals and opens staff TOTP secrets (tests check the stored form and the start-up sealing). */
  public nl.veiligpraten.staff.TotpSealer totpSealer() {
    return totpSealer;
  }

  /** Port of the management listener ({@code /metrics}, {@code /health/*}; loopback by default). */
  public int managementPort() {
    return management.actualPort();
  }

  public Vertx vertx() {
    return vertx;
  }

  public AppSettings settings() {
    return settings;
  }

  public DbSettings db() {
    return db;
  }

  public EmbeddedDatabase embedded() {
    return embedded;
  }

  public Pool pool() {
    return pool;
  }

  public TranscriptService<?> transcripts() {
    return transcripts;
  }

  public OrganisationKeyStore keyStore() {
    return keyStore;
  }

  public int visitorPort() {
    return visitor.actualPort();
  }

  public int consolePort() {
    return console.actualPort();
  }

  /** The console verticle (tests enumerate its route table). */
  public ConsoleVerticle console() {
    return console;
  }

  public List<String> demoLogins() {
    return demoLogins;
  }

  public String visitorUrl() {
    return "http://" + settings.visitorHost() + ":" + visitorPort() + "/";
  }

  public String consoleUrl() {
    return "http://" + settings.consoleHost() + ":" + consolePort() + "/";
  }

  /**
   * Graceful stop: tell clients to reconnect elsewhere, close listeners, Vert.x, then the embedded
   * database.
   */
  public Future<Void> stop() {
    // Readiness turns false first so load balancers stop sending new visitors while we drain.
    nl.veiligpraten.infra.cluster.ClusterHealth.of(vertx).markDraining();
    vertx.cancelTimer(sweepTimer);
    return Future.join(visitor.drain(), console.drain(), management.close(), configWatch.close())
        .transform(ar -> NodeWiring.awaitWritesFinished(vertx, 5_000))
        .transform(
            ar -> {
              NodeWiring.detach(vertx);
              nl.veiligpraten.infra.metrics.NodeEndpoints.forget(vertx);
              return vertx.close();
            })
        .transform(
            ar -> {
              if (embedded != null) {
                embedded.close();
              }
              return Future.<Void>succeededFuture();
            });
  }

  /** Blocking stop for tests and shutdown hooks. */
  public void stopBlocking() {
    try {
      stop()
          .toCompletionStage()
          .toCompletableFuture()
          .get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  static final class Builder {
    nl.veiligpraten.infra.web.CodeHasher codeHasher;
    nl.veiligpraten.staff.TotpSealer totpSealer;
    final Vertx vertx;
    final AppSettings settings;
    EmbeddedDatabase embedded;
    DbSettings db;
    Pool pool;
    VisitorListener visitor;
    ConsoleVerticle console;
    TranscriptService<?> transcripts;
    OrganisationKeyStore keyStore;
    nl.veiligpraten.gateway.EngineIntakeRouting intake;

    /**
     * The configuration files that seed an empty configuration store, and the stored version the
     * node runs.
     */
    nl.veiligpraten.routing.config.ConfigTexts seedTexts;

    int configVersion;
    nl.veiligpraten.liveconfig.ConfigWatch configWatch;
    List<String> demoLogins = List.of();
    long sweepTimer;
    nl.veiligpraten.infra.metrics.ManagementServer management;

    Builder(Vertx vertx, AppSettings settings) {
      this.vertx = vertx;
      this.settings = settings;
    }

    RunningApp build() {
      return new RunningApp(this);
    }

    /**
     * Undo a half-finished start: stop the embedded database (on a fresh thread) and close Vert.x.
     */
    void abort() {
      EmbeddedDatabase db = embedded;
      if (db != null) {
        Thread stopper = new Thread(db::close, "vp-abort");
        stopper.start();
      }
      vertx.close();
    }
  }
}
