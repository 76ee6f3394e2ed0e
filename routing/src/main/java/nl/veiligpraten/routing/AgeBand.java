package nl.veiligpraten.routing;

/**
 * One Q2 answer band with its inclusive age bounds, as configured in {@code questionnaire.yaml}.
 *
 * <p>All predicates are "certainly" predicates: they are true only if <em>every</em> age in the
 * band satisfies them. A band that straddles a limit therefore does not match, and an unknown age
 * matches nothing. That keeps age-gated routes (Sense, Halt, Kindertelefoon) from being offered to
 * someone who may be outside them.
 *
 * @param code the Q2 answer code, e.g. {@code 18-24}
 * @param min lowest age in the band (inclusive)
 * @param max highest age in the band (inclusive), {@code null} for an open upper end (e.g. {@code
 *     25plus})
 */
public record AgeBand(String code, int min, Integer max) {

  /** Every age in the band is below {@code limit}. */
  public boolean under(int limit) {
    return max != null && max < limit;
  }

  /** Every age in the band is at most {@code limit}. */
  public boolean atMost(int limit) {
    return max != null && max <= limit;
  }

  /** Every age in the band is at least {@code limit}. */
  public boolean atLeast(int limit) {
    return min >= limit;
  }

  /**
   * Every age in the band lies in {@code [low, high]}; {@code null} means unbounded on that side.
   */
  public boolean within(Integer low, Integer high) {
    return (low == null || atLeast(low)) && (high == null || atMost(high));
  }
}
