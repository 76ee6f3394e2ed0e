package nl.veiligpraten.retention;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.HelpPoints;

/**
 * Transcript retention in days per organisation, from {@code retentionDays} of the queue help
 * points in {@code help-points.yaml}. An organisation that staffs several queues (Veilig Thuis
 * staffs its own and the general triage) gets the shortest of their values: keeping less is the
 * safe side.
 */
public record RetentionPolicy(Map<String, Integer> daysByOrganisation) {

  public RetentionPolicy {
    daysByOrganisation = Collections.unmodifiableMap(new TreeMap<>(daysByOrganisation));
    daysByOrganisation.forEach(
        (org, days) -> {
          if (days == null || days < 1) {
            throw new IllegalArgumentException("retention of " + org + " must be at least 1 day");
          }
        });
  }

  /** Derives the policy from the routing configuration's help points. */
  public static RetentionPolicy from(HelpPoints helpPoints) {
    Map<String, Integer> days = new TreeMap<>();
    for (HelpPoint h : helpPoints.byId().values()) {
      if (h.kind() == HelpPoint.Kind.QUEUE && h.retentionDays() != null) {
        String org = h.staffedBy() == null ? h.id() : h.staffedBy();
        days.merge(org, h.retentionDays(), Math::min);
      }
    }
    return new RetentionPolicy(days);
  }

  /**
   * Retention of an organisation, empty when the configuration names none (its transcripts are then
   * kept).
   */
  public Optional<Integer> days(String orgId) {
    return Optional.ofNullable(daysByOrganisation.get(orgId));
  }
}
