package nl.veiligpraten.console;

import io.vertx.sqlclient.Pool;
import nl.veiligpraten.assignment.AssignmentRepository;
import nl.veiligpraten.assignment.StaffNotes;
import nl.veiligpraten.assignment.SupervisorRepository;
import nl.veiligpraten.conversation.ConversationCrypto;
import nl.veiligpraten.conversation.ConversationRepository;
import nl.veiligpraten.presence.LivenessSettings;
import nl.veiligpraten.referral.ReferralRepository;
import nl.veiligpraten.routeaction.RouteActionRepository;
import nl.veiligpraten.routing.Priority;
import nl.veiligpraten.routing.PriorityAgeing;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.staff.TotpSealer;

/**
 * The console's collaborators beyond the transcript: assignment, referrals, counselor-only notes
 * and help-point configuration, wired once by the launcher.
 *
 * @param liveness socket silence, client heartbeat, presence lease and counselor grace
 * @param labels words for the codes the console shows
 * @param routeActions suicide-risk marks (U1) and route overrides
 * @param reassignAfterSeconds per priority P0..P3: an assigned chat without a first counselor
 *     message this long goes back to the head of the queue ({@code help-points.yaml})
 * @param totpSealer seals and opens staff TOTP secrets under the server key
 */
public record ConsoleServices(
    AssignmentRepository assignments,
    ReferralRepository referrals,
    StaffNotes<?> notes,
    HelpPointDirectory helpPoints,
    LivenessSettings liveness,
    ConsoleLabels labels,
    RouteActionRepository routeActions,
    SupervisorRepository supervisor,
    int[] reassignAfterSeconds,
    TotpSealer totpSealer) {

  /**
   * Uses a new configuration version from now on (issue 21): help point names, queues, hours and
   * targets, and the words of questions and rules. Assignment weights and reassignment times stay
   * as read at start-up.
   */
  public void apply(RoutingConfig config) {
    helpPoints.replace(config);
    labels.replace(config);
  }

  /**
   * Wires the services from the pool, the conversation store and crypto, and the routing
   * configuration.
   */
  public static <K> ConsoleServices create(
      Pool pool,
      ConversationRepository conversations,
      ConversationCrypto<K> crypto,
      RoutingConfig config,
      LivenessSettings liveness,
      TotpSealer totpSealer) {
    return new ConsoleServices(
        new AssignmentRepository(pool, PriorityAgeing.fromConfig(config)),
        new ReferralRepository(pool),
        new StaffNotes<>(pool, conversations, crypto),
        HelpPointDirectory.from(config),
        liveness,
        new ConsoleLabels(config),
        new RouteActionRepository(pool),
        new SupervisorRepository(pool),
        java.util.Arrays.stream(Priority.values())
            .mapToInt(p -> config.helpPoints().reassignAfterSeconds().get(p))
            .toArray(),
        totpSealer);
  }
}
