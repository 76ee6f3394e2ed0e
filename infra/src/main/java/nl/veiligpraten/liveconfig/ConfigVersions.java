package nl.veiligpraten.liveconfig;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import nl.veiligpraten.routing.config.ConfigTexts;

/**
 * The routing configuration (help points, questionnaire, routing rules) as versions in PostgreSQL
 * (issue 21). The highest version is the live one on every node; each version holds all three files
 * as YAML text, who stored it and why. Versions are only ever added: a rollback stores an older
 * version's texts as a new version. Callers validate texts with {@code RoutingConfig.parse} before
 * storing them, so a stored version always loads.
 *
 * <p>Storing a version sends {@code NOTIFY vp_routing_config_changed} in the same transaction;
 * {@link ConfigWatch} applies it on every node.
 */
public final class ConfigVersions {

  /** PostgreSQL notification channel of new configuration versions. */
  public static final String CHANNEL = "vp_routing_config_changed";

  private final Pool pool;

  public ConfigVersions(Pool pool) {
    this.pool = pool;
  }

  /** How a version came about. */
  public enum Kind {
    SEED,
    EDIT,
    IMPORT,
    ROLLBACK;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Who stored a version: a staff account (id and user name). */
  public record Author(long id, String name) {}

  /**
   * A version without its texts. {@code authorId} is null for the seed; {@code restoredFrom} only
   * for rollbacks.
   */
  public record Info(
      int version,
      OffsetDateTime at,
      Long authorId,
      String authorName,
      String kind,
      String reason,
      Integer restoredFrom) {}

  /** A version with its three file texts. */
  public record Version(Info info, ConfigTexts texts) {}

  /** Another version was stored after the one an edit was based on: nothing was stored. */
  public static final class StaleVersionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StaleVersionException(int base) {
      super("version " + base + " is not the latest any more", null, false, false);
    }
  }

  /**
   * Stores {@code seed} as version 1 when there is no version yet; resolves with whether it did.
   */
  public Future<Boolean> seedIfEmpty(ConfigTexts seed, String reason) {
    return pool.preparedQuery(ConfigVersionQueries.SEED)
        .execute(Tuple.of(reason, seed.helpPoints(), seed.questionnaire(), seed.rules()))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The latest version number, 0 when there is none. */
  public Future<Integer> latestNumber() {
    return pool.query(ConfigVersionQueries.LATEST_NUMBER)
        .execute()
        .map(
            rows -> {
              Integer v = rows.iterator().next().getInteger(0);
              return v == null ? 0 : v;
            });
  }

  /** The live version. */
  public Future<Optional<Version>> latest() {
    return pool.query(ConfigVersionQueries.LATEST)
        .execute()
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(version(rows.iterator().next())));
  }

  public Future<Optional<Version>> get(int version) {
    return pool.preparedQuery(ConfigVersionQueries.ONE)
        .execute(Tuple.of(version))
        .map(
            rows ->
                rows.size() == 0 ? Optional.empty() : Optional.of(version(rows.iterator().next())));
  }

  /** The newest {@code limit} versions, newest first. */
  public Future<List<Info>> history(int limit) {
    return pool.preparedQuery(ConfigVersionQueries.HISTORY)
        .execute(Tuple.of(limit))
        .map(
            rows -> {
              List<Info> out = new ArrayList<>();
              rows.forEach(r -> out.add(info(r)));
              return out;
            });
  }

  /**
   * Stores {@code texts} as version {@code base + 1} if {@code base} is still the latest, runs
   * {@code alsoInTx} (the admin audit row) in the same transaction and announces the version to
   * every node at commit. Fails with {@link StaleVersionException} (nothing stored) when another
   * version came after {@code base}.
   */
  public Future<Info> store(
      int base,
      ConfigTexts texts,
      Kind kind,
      Author author,
      String reason,
      Integer restoredFrom,
      Function<SqlConnection, Future<Void>> alsoInTx) {
    return pool.withTransaction(
        conn ->
            conn.preparedQuery(ConfigVersionQueries.NEXT)
                .execute(
                    Tuple.from(
                        Arrays.asList(
                            base,
                            author.id(),
                            author.name(),
                            kind.code(),
                            reason,
                            restoredFrom,
                            texts.helpPoints(),
                            texts.questionnaire(),
                            texts.rules())))
                .compose(
                    rows -> {
                      if (rows.size() == 0) {
                        return Future.failedFuture(new StaleVersionException(base));
                      }
                      Info info = info(rows.iterator().next());
                      return alsoInTx
                          .apply(conn)
                          .compose(
                              v ->
                                  conn.preparedQuery(ConfigVersionQueries.NOTIFY)
                                      .execute(Tuple.of(String.valueOf(info.version()))))
                          .map(info);
                    }));
  }

  private static Info info(Row r) {
    return new Info(
        r.getInteger("version"),
        r.getOffsetDateTime("created_at"),
        r.getLong("author_id"),
        r.getString("author_name"),
        r.getString("action"),
        r.getString("reason"),
        r.getInteger("restored_from"));
  }

  private static Version version(Row r) {
    return new Version(
        info(r),
        new ConfigTexts(
            r.getString("help_points"),
            r.getString("questionnaire"),
            r.getString("routing_rules")));
  }
}
