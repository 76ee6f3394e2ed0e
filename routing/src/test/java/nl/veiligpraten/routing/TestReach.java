package nl.veiligpraten.routing;

import java.time.ZonedDateTime;
import java.util.Set;
import java.util.stream.Collectors;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.OpeningHours;

/** Fixed reachability views for tests, so rule tests do not depend on the wall clock. */
public final class TestReach {

  /** Wednesday 9 December 2026, 12:00 in the Netherlands: every configured office is open. */
  public static final ZonedDateTime WEDNESDAY_NOON =
      ZonedDateTime.of(2026, 12, 9, 12, 0, 0, 0, OpeningHours.ZONE);

  /**
   * Wednesday noon with every queue staffed: rules tests see the table, N1 only adds where routes
   * are cards.
   */
  public static final Reachability NOON_STAFFED =
      new Reachability(
          WEDNESDAY_NOON.toInstant(),
          RoutingEngine.withDefaults().config().helpPoints().byId().values().stream()
              .filter(h -> h.kind() == HelpPoint.Kind.QUEUE)
              .map(HelpPoint::id)
              .collect(Collectors.toSet()));

  /** Sunday 03:00 with nobody staffed: the worst case for rule N1. */
  public static final Reachability NIGHT_UNSTAFFED =
      Reachability.nothingStaffed(
          ZonedDateTime.of(2026, 12, 13, 3, 0, 0, 0, OpeningHours.ZONE).toInstant());

  private TestReach() {}

  /** The engine's decision at Wednesday noon with every queue staffed. */
  public static Decision decide(RoutingEngine engine, Answers answers) {
    return engine.decide(answers, NOON_STAFFED);
  }

  /** Staffed set helper. */
  public static Reachability at(ZonedDateTime when, String... staffed) {
    return new Reachability(when.toInstant(), Set.of(staffed));
  }
}
