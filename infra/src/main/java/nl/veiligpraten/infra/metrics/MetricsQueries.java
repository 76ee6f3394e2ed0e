package nl.veiligpraten.infra.metrics;

/**
 * SQL of the metrics poller: aggregates of structured columns only, never message or intake
 * content.
 */
final class MetricsQueries {

  private MetricsQueries() {}

  static final String QUEUES =
      """
      SELECT help_point, count(*)::int AS waiting,
             coalesce(extract(epoch FROM max(now() - queued_at)), 0)::float8 AS oldest_wait
      FROM conversation
      WHERE status = 'queued' AND help_point IS NOT NULL
      GROUP BY help_point
      """;
}
