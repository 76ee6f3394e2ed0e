package nl.veiligpraten.infra.assignment;

/**
 * The priority-ageing constants of the routing module ({@code PriorityAgeing}: score = base score of the priority +
 * points per minute waited, highest first, P0 always first), handed to PostgreSQL so the queue is ordered the same
 * way in SQL as in the routing module.
 *
 * @param p1 base score of P1
 * @param p2 base score of P2
 * @param p3 base score of P3
 * @param pointsPerMinute ageing speed
 */
public record AgeingWeights(long p1, long p2, long p3, long pointsPerMinute) {

  /** The weights of a loaded routing configuration. */
  public static AgeingWeights of(nl.veiligpraten.routing.config.RoutingConfig config) {
    var ageing = config.rules().ageing();
    return new AgeingWeights(ageing.baseScore().get(nl.veiligpraten.routing.Priority.P1),
        ageing.baseScore().get(nl.veiligpraten.routing.Priority.P2),
        ageing.baseScore().get(nl.veiligpraten.routing.Priority.P3), ageing.pointsPerMinute());
  }

  /** The bundled routing-rules.yaml values. */
  public static AgeingWeights defaults() {
    return new AgeingWeights(300, 200, 100, 10);
  }
}
