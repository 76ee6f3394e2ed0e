package nl.veiligpraten.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.crypto.KeyId;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.crypto.PassphraseSource;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.retention.KeyStoreChanges;

/**
 * {@code veilig-praten keys list | create ORG | rotate ORG | destroy ORG#vN}: the operator's
 * changes to the shared organisation key store while the nodes run. Same environment as a node
 * ({@code VP_DATA_DIR}, the passphrase, {@code DATABASE_URL}); the change runs under the
 * cluster-wide key-store lock in PostgreSQL and every node picks it up from the change notice
 * ({@link KeyStoreChanges}). Prints key ids only.
 */
public final class KeysCommand {

  private KeysCommand() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(System.getenv(), args));
  }

  static int run(Map<String, String> env, String[] args) throws Exception {
    if (args.length == 0
        || !(args.length == 1 && "list".equals(args[0])
            || args.length == 2
                && Arrays.asList("create", "rotate", "destroy").contains(args[0]))) {
      System.err.println("usage: keys list | create ORG | rotate ORG | destroy ORG#vN");
      return 2;
    }
    AppSettings settings = AppSettings.from(env, new String[] {"--no-demo"});
    Path keysDir = settings.dataDir().resolve("keys");
    PassphraseSource passphrase = OrganisationKeyStore.passphraseFrom(env, keysDir);
    OrganisationKeyStore store;
    try {
      store =
          OrganisationKeyStore.openOrCreate(
              keysDir.resolve("organisations.bcfks"), passphrase.value(), false);
    } finally {
      passphrase.wipe();
    }
    try (store) {
      if ("list".equals(args[0])) {
        for (String org : store.organisations()) {
          System.out.println(
              org + ": " + store.keyIds(org) + ", current " + store.currentKeyId(org));
        }
        return 0;
      }
      DbSettings db = settings.externalDb().orElse(null);
      if (db == null) {
        System.err.println(
            "keys "
                + args[0]
                + " needs the nodes' database (DATABASE_URL): the change is made under "
                + "its cluster-wide lock and announced through it");
        return 2;
      }
      Vertx vertx = Vertx.vertx();
      Pool pool = Database.pool(vertx, db, 1);
      try {
        KeyStoreChanges changes = new KeyStoreChanges(vertx, pool, store);
        Future<?> result =
            switch (args[0]) {
              case "create" -> changes.create(args[1]);
              case "rotate" -> changes.rotate(args[1]);
              default -> changes.destroy(KeyId.parse(args[1]));
            };
        Object value = result.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        System.out.println(args[0] + " " + args[1] + ": " + value);
        return 0;
      } finally {
        pool.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    }
  }
}
