package nl.veiligpraten.liveconfig;

/** SQL of the stored routing configuration versions. */
final class ConfigVersionQueries {

  private ConfigVersionQueries() {}

  private static final String INFO =
      "version, created_at, author_id, author_name, action, reason, restored_from";
  private static final String ALL = INFO + ", help_points, questionnaire, routing_rules";

  static final String LATEST_NUMBER = "SELECT max(version) FROM routing_config_version";

  static final String LATEST =
      "SELECT " + ALL + " FROM routing_config_version ORDER BY version DESC LIMIT 1";

  static final String ONE = "SELECT " + ALL + " FROM routing_config_version WHERE version = $1";

  static final String HISTORY =
      "SELECT " + INFO + " FROM routing_config_version ORDER BY version DESC LIMIT $1";

  /** Version 1 from the YAML files, only into an empty table (every node may try at once). */
  static final String SEED =
      "INSERT INTO routing_config_version (version, author_name, action, reason, help_points, "
          + "questionnaire, routing_rules) VALUES (1, 'seed', 'seed', $1, $2, $3, $4) ON CONFLICT DO NOTHING";

  /**
   * The next version after {@code $1}, only while {@code $1} is the latest: an edit based on an
   * older version (another admin saved meanwhile) inserts nothing; two at once meet on the primary
   * key and the second inserts nothing.
   */
  static final String NEXT =
      "INSERT INTO routing_config_version (version, author_id, author_name, action, reason, "
          + "restored_from, help_points, questionnaire, routing_rules) SELECT $1 + 1, $2, $3, $4, $5, $6, $7, $8, $9 "
          + "WHERE EXISTS (SELECT 1 FROM routing_config_version WHERE version = $1) "
          + "AND NOT EXISTS (SELECT 1 FROM routing_config_version WHERE version > $1) "
          + "ON CONFLICT DO NOTHING RETURNING "
          + INFO;

  /**
   * Change notice to every node, delivered by PostgreSQL at commit (payload: the version number
   * only).
   */
  static final String NOTIFY = "SELECT pg_notify('" + ConfigVersions.CHANNEL + "', $1)";
}
