package nl.veiligpraten.app;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import nl.veiligpraten.audit.DatabaseRoles;
import nl.veiligpraten.infra.cluster.ClusterSettings;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.db.DbSettings;

/**
 * The environment variables the service reads, found by running every settings reader against a map
 * that records the names it is asked for. Deployment manifests are checked against this set, so a
 * misspelt or retired variable in a manifest fails a test instead of being silently ignored in
 * production.
 */
public final class EnvironmentNames {

  /**
   * Environments that take every branch of the readers (a reader may skip names once an earlier one
   * decides).
   */
  private static final List<Map<String, String>> VARIANTS =
      List.of(
          Map.of(),
          Map.of("PGHOST", "db.internal"),
          Map.of("VP_MIGRATION_USER", "owner"),
          Map.of("VP_CLUSTER_JOIN", "kubernetes"));

  private EnvironmentNames() {}

  /** Every variable name that {@code Main} and {@code Launcher} hand to a settings reader. */
  public static Set<String> read() {
    Set<String> names = new TreeSet<>();
    for (Map<String, String> variant : VARIANTS) {
      Recording env = new Recording(variant);
      ignoringRefusal(() -> ClusterSettings.from(env, true));
      ignoringRefusal(() -> AppSettings.from(env, new String[0]));
      ignoringRefusal(() -> DbSettings.external(env));
      ignoringRefusal(
          () -> DatabaseRoles.migrationSettings(env, new DbSettings("h", 5432, "d", "u", "")));
      // With no passphrase configured this reads its three names and refuses before touching the
      // directory.
      ignoringRefusal(
          () -> OrganisationKeyStore.passphraseFrom(env, Path.of("/nonexistent-veilig-praten")));
      names.addAll(env.requested);
    }
    return names;
  }

  private static void ignoringRefusal(Runnable reader) {
    try {
      reader.run();
    } catch (RuntimeException refused) {
      // A variant may be incomplete on purpose (e.g. kubernetes without a service name): the names
      // read until the
      // refusal are what counts here.
    }
  }

  /** A map that remembers every key it was asked for. */
  private static final class Recording extends HashMap<String, String> {
    private static final long serialVersionUID = 1L;

    final Set<String> requested = new TreeSet<>();

    Recording(Map<String, String> values) {
      super(values);
    }

    @Override
    public String get(Object key) {
      requested.add(String.valueOf(key));
      return super.get(key);
    }

    @Override
    public String getOrDefault(Object key, String fallback) {
      requested.add(String.valueOf(key));
      return super.getOrDefault(key, fallback);
    }

    @Override
    public boolean containsKey(Object key) {
      requested.add(String.valueOf(key));
      return super.containsKey(key);
    }
  }
}
