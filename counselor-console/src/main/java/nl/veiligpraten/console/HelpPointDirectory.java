package nl.veiligpraten.console;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import nl.veiligpraten.routing.Priority;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.OpeningHours;
import nl.veiligpraten.routing.config.RoutingConfig;

/**
 * What the console needs from help-points.yaml: which organisation staffs each queue, its display
 * name, and the target first-response time per priority (supervisor alerts). Replaced as one
 * snapshot when an admin's change to the configuration is applied (issue 21), so a reader never
 * sees half of a change.
 */
public final class HelpPointDirectory {

  /** One help point with a counselor queue. */
  public record Info(
      String id,
      String orgId,
      String name,
      Map<Integer, Integer> targetSeconds,
      OpeningHours openingHours) {}

  /** Opening hours in the help points' time zone. */
  static final ZoneId ZONE = OpeningHours.ZONE;

  private record State(
      Map<String, Info> queues, java.util.Set<String> all, String consentNl, String consentEn) {}

  private volatile State state;

  public HelpPointDirectory(Map<String, Info> queues, String consentNl, String consentEn) {
    this(queues, queues.keySet(), consentNl, consentEn);
  }

  /** With {@code all}: every configured help point id, cards included (override targets). */
  public HelpPointDirectory(
      Map<String, Info> queues, java.util.Set<String> all, String consentNl, String consentEn) {
    this.state = new State(Map.copyOf(queues), java.util.Set.copyOf(all), consentNl, consentEn);
  }

  /** Uses a new configuration from now on. Never blocks. */
  public void replace(RoutingConfig config) {
    this.state = from(config).state;
  }

  public static HelpPointDirectory from(RoutingConfig config) {
    Map<String, Info> out = new LinkedHashMap<>();
    for (HelpPoint h : config.helpPoints().byId().values()) {
      if (h.kind() != HelpPoint.Kind.QUEUE) {
        continue;
      }
      Map<Integer, Integer> targets = new LinkedHashMap<>();
      for (Map.Entry<Priority, Integer> e : h.targetFirstResponseSeconds().entrySet()) {
        targets.put(e.getKey().ordinal(), e.getValue());
      }
      out.put(
          h.id(),
          new Info(
              h.id(),
              h.staffedBy() == null ? h.id() : h.staffedBy(),
              h.name(),
              targets,
              h.openingHours()));
    }
    var consent = config.questionnaire().consent();
    return new HelpPointDirectory(
        out, config.helpPoints().byId().keySet(), consent.nl(), consent.en());
  }

  /** Whether the id is a configured help point (queue or card). */
  public boolean known(String helpPointId) {
    return helpPointId != null && state.all().contains(helpPointId);
  }

  public Map<String, Info> queues() {
    return state.queues();
  }

  public Optional<Info> queue(String helpPointId) {
    return Optional.ofNullable(helpPointId == null ? null : state.queues().get(helpPointId));
  }

  /** Whether the help point is open at the given moment (no configured hours = always open). */
  public boolean openAt(String helpPointId, ZonedDateTime when) {
    Optional<Info> info = queue(helpPointId);
    if (info.isEmpty()
        || info.get().openingHours() == null
        || info.get().openingHours().alwaysOpen()) {
      return info.isPresent();
    }
    return info.get().openingHours().isOpenAt(when);
  }

  public boolean openNow(String helpPointId) {
    return openAt(helpPointId, ZonedDateTime.now(ZONE));
  }

  /**
   * Target first response in seconds for a priority at a help point; empty when none is configured.
   */
  public Optional<Integer> target(String helpPointId, int priority) {
    return queue(helpPointId).map(i -> i.targetSeconds().get(priority));
  }

  /** The consent question with the receiving organisation's name filled in (Dutch, English). */
  public String[] consentQuestion(String organisationName) {
    State s = state;
    return new String[] {
      s.consentNl().replace("{organisation}", organisationName),
      s.consentEn().replace("{organisation}", organisationName)
    };
  }
}
