package nl.veiligpraten.routing.config;

import nl.veiligpraten.routing.Priority;

import java.util.List;
import java.util.Map;

/**
 * A routing target from {@code help-points.yaml}: an organisation with a counselor queue in this service
 * ({@link Kind#QUEUE}) or a static info card with configured contact data ({@link Kind#CARD}).
 *
 * <p>All contact data, hours and age limits come from configuration; nothing here is a default.
 *
 * @param retentionDays             transcript retention for queue organisations, {@code null} for cards
 * @param targetFirstResponseSeconds SLA per priority for queue organisations, empty for cards
 * @param staffedBy                 for the general triage queue: the organisation whose counselors staff it
 * @param verify                    field names whose values must be checked by the organisation before go-live
 */
public record HelpPoint(
        String id,
        Kind kind,
        String name,
        LocalizedText description,
        String phone,
        String chatUrl,
        String url,
        OpeningHours openingHours,
        Integer ageMin,
        Integer ageMax,
        Integer retentionDays,
        Map<Priority, Integer> targetFirstResponseSeconds,
        String staffedBy,
        List<String> verify) {

    /** Queue = counselors of the organisation chat in this service; card = static contact information. */
    public enum Kind {
        QUEUE, CARD;

        /** Lower-case form used in YAML and JSON. */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public HelpPoint {
        targetFirstResponseSeconds = Map.copyOf(targetFirstResponseSeconds);
        verify = List.copyOf(verify);
    }
}
