package nl.veiligpraten.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import nl.veiligpraten.console.ConsoleServices;
import nl.veiligpraten.infra.crypto.KeyId;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.liveconfig.ConfigVersions;
import nl.veiligpraten.liveconfig.ConfigWatch;
import nl.veiligpraten.routing.config.ConfigTexts;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's routing configuration from the versions stored in PostgreSQL (issue 21): the YAML
 * files (bundled, or from {@code VP_CONFIG_DIR}) seed an empty store; from then on the latest
 * stored version is what every node runs, and a new version is applied while the node runs, without
 * a restart.
 */
final class LiveConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(LiveConfiguration.class);

  /**
   * How often a node re-checks the latest version besides the change notice (a lost notice costs at
   * most this).
   */
  static final long POLL_MILLIS = 3_000;

  private LiveConfiguration() {}

  /**
   * Seeds an empty store with {@code files}, then puts the latest stored version into the intake
   * (the services built after this read it from there). Resolves with the version the node runs.
   */
  static Future<Integer> load(Vertx vertx, RunningApp.Builder app, ConfigTexts files) {
    ConfigVersions versions = new ConfigVersions(app.pool);
    return versions
        .seedIfEmpty(files, "seeded from the configuration files")
        .compose(
            seeded -> {
              if (seeded) {
                LOG.info("configuration store was empty: version 1 is the configuration files");
              }
              return versions.latest();
            })
        .compose(
            latest -> {
              ConfigVersions.Version live =
                  latest.orElseThrow(
                      () -> new IllegalStateException("configuration store has no version"));
              int number = live.info().version();
              if (!live.texts().equals(files)) {
                LOG.warn(
                    "the configuration files differ from stored configuration version {}, which this node runs; "
                        + "import the files (console, Admin > Configuration) to make them live",
                    number);
              }
              return vertx
                  .executeBlocking(
                      () -> RoutingConfig.parse(live.texts(), "version " + number), false)
                  .map(
                      config -> {
                        app.intake.replace(config);
                        return number;
                      });
            });
  }

  /**
   * Applies every later version to the visitor intake and the console on this node. A version whose
   * queues belong to an organisation whose key has not reached this node's key store yet (its own
   * change notice re-reads the shared file) waits until it has: a chat for that queue could not be
   * sealed here. The keys of the queues' organisations are recovered on a worker thread before the
   * swap, so the event loop only meets the key cache.
   */
  static ConfigWatch watch(
      Vertx vertx, RunningApp.Builder app, ConsoleServices console, int applied) {
    OrganisationKeyStore keys = app.keyStore;
    return ConfigWatch.start(
        vertx,
        app.db,
        new ConfigVersions(app.pool),
        applied,
        POLL_MILLIS,
        config -> {
          java.util.Set<String> orgs = new java.util.TreeSet<>();
          config.helpPoints().byId().values().stream()
              .filter(h -> h.kind() == HelpPoint.Kind.QUEUE)
              .forEach(h -> orgs.add(RoutingConfig.owner(h)));
          java.util.Set<String> missing = new java.util.TreeSet<>(orgs);
          missing.removeAll(keys.organisations());
          if (!missing.isEmpty()) {
            throw new ConfigWatch.NotReadyException("no key yet on this node for " + missing);
          }
          for (String org : orgs) {
            List<KeyId> ids = keys.keyIds(org);
            ids.forEach(keys::key);
          }
        },
        ready -> {
          app.intake.replace(ready.config());
          console.apply(ready.config());
        });
  }
}
