package nl.veiligpraten.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What the gateway needs from the routing core: explain a set of answers, and turn the visitor's
 * choice into a queue entry. Implemented over {@code nl.veiligpraten.routing} by {@link
 * EngineIntakeRouting}.
 */
public interface IntakeRouting {

  /**
   * The explain JSON for these answers ({@code rulesVersion, priority, emergency, suggestions,
   * alsoOffer}) at this moment, with the queues staffed now.
   *
   * @param staffedNow ids of the queue help points with someone online who can take a chat now
   *     (from the caller's staffing view, e.g. {@code QueueWaits.staffedQueues}); a queue not
   *     listed counts as NOT staffed (unknown = not staffed), so rule N1 never relies on it
   */
  JsonObject explain(JsonObject answers, java.util.Set<String> staffedNow);

  /**
   * The queue entry for a chosen help point, or empty when that help point has no counselor queue
   * (an info card). The stored route (suggestions, also-offers) is the one the visitor saw with the
   * queues {@code staffedNow}.
   *
   * @throws InvalidIntakeException when the answers or the help point are not valid
   */
  Optional<Route> route(String helpPoint, JsonObject answers, java.util.Set<String> staffedNow);

  /** Questionnaire, help points and texts the page needs (no secrets). */
  JsonObject publicConfig();

  /**
   * The languages this start offers the visitor (issue 23: reviewed ones in production, all in a
   * demo).
   */
  default java.util.List<nl.veiligpraten.routing.config.Lang> languages() {
    return java.util.List.of(
        nl.veiligpraten.routing.config.Lang.NL,
        nl.veiligpraten.routing.config.Lang.NL_EASY,
        nl.veiligpraten.routing.config.Lang.EN);
  }

  /**
   * The page's own texts and languages, {@code {languages: [{code, label, locale, dir, reviewed}],
   * texts: {key: {nl, nl_easy, en, ...}}}}, in the offered languages only.
   */
  default JsonObject pageTexts() {
    return new JsonObject()
        .put("languages", new io.vertx.core.json.JsonArray())
        .put("texts", new JsonObject());
  }

  /**
   * An object whose identity changes when a new configuration version is applied (issue 21), so
   * callers can keep what they derived from {@link #publicConfig} until then.
   */
  default Object snapshot() {
    return this;
  }

  /**
   * The next question to show after question {@code afterOrNull} (null = from the start), given the
   * answers so far (visibility and text variants depend on earlier answers); empty when the intake
   * is complete.
   *
   * @throws InvalidIntakeException when the answers or {@code afterOrNull} are not valid
   */
  default Optional<JsonObject> nextQuestion(JsonObject answers, String afterOrNull) {
    return Optional.empty();
  }

  /** Whether a help point is open at this moment according to its configured opening hours. */
  default boolean isOpenNow(String helpPoint) {
    return true;
  }

  /**
   * What to offer when the chosen help point cannot be reached now (closed by its hours, or its
   * queue unstaffed): {@code {helpPoint, emergency, reachableNow, channels, openNow, opensAt,
   * hoursKnown, openNowOptions: [...]}} from the routing engine, so the page and the engine never
   * disagree. {@code openNowOptions} is never empty. {@code staffedNow} as in {@link #explain}.
   */
  default JsonObject unavailableOptions(
      String helpPoint, JsonObject answers, java.util.Set<String> staffedNow) {
    return new JsonObject().put("helpPoint", helpPoint).put("openNowOptions", new JsonArray());
  }

  /**
   * The public card of one help point (name, description, contact data, opening hours), as in
   * {@link #publicConfig}; its {@code reachableNow} and {@code openChannels} count its queue only
   * when it is in {@code staffedNow}.
   */
  default JsonObject card(String helpPoint, java.util.Set<String> staffedNow) {
    return new JsonObject().put("id", helpPoint);
  }

  /**
   * Help reachable now for a visitor whose chosen help point {@code exceptHelpPoint} is closed: the
   * cards of their own suggestions and also-offers that are open now (a queue open now, or a phone
   * line with known hours that are open now), then general triage, then the queues open around the
   * clock. Never a help point with unknown hours. {@code staffedNow} as in {@link #explain}.
   *
   * @throws InvalidIntakeException when the answers are not valid
   */
  default io.vertx.core.json.JsonArray openAlternatives(
      JsonObject answers, String exceptHelpPoint, java.util.Set<String> staffedNow) {
    return new io.vertx.core.json.JsonArray();
  }

  /**
   * The visitor-side frame content of a counselor-triggered rule (U1: suicide risk): {@code rule,
   * priority, helpPoint, why, card}; empty when the rule is unknown or not counselor-triggered.
   */
  default Optional<JsonObject> counselorRule(String ruleId) {
    return Optional.empty();
  }

  /** Help points with a counselor queue: who staffs each, its cap and its overflow queue. */
  default java.util.Map<String, QueuePoint> queuePoints() {
    return java.util.Map.of();
  }

  /**
   * Cards of the phone lines open now that are always worth offering when a chat cannot start at
   * once: the lines of the queue organisations that are open day and night, plus those of {@code
   * suggested} help points that are open now. In configuration order; cards as in {@link
   * #card(String, java.util.Set)}.
   */
  default java.util.List<JsonObject> phoneLinesOpenNow(
      java.util.Collection<String> suggested, java.util.Set<String> staffedNow) {
    return java.util.List.of();
  }

  /** A help point with a counselor queue. */
  record QueuePoint(String helpPoint, String name, String orgId, int cap, String overflowTo) {}

  /** A routing decision ready to be queued. */
  record Route(
      String helpPoint, String orgId, int priority, String rulesVersion, JsonObject intakeCodes) {}

  /** Answers or a choice the routing core refuses; carries the field and the allowed codes. */
  final class InvalidIntakeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final JsonArray allowed;

    public InvalidIntakeException(String field, JsonArray allowed, String message) {
      super(message, null, false, false);
      this.field = field;
      this.allowed = allowed;
    }

    public JsonObject toJson() {
      return new JsonObject()
          .put("error", "invalid_answer")
          .put("field", field)
          .put("allowed", allowed)
          .put("message", getMessage());
    }
  }
}
