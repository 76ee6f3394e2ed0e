package nl.veiligpraten.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import nl.veiligpraten.routing.Answers;
import nl.veiligpraten.routing.Decision;
import nl.veiligpraten.routing.ExplainJson;
import nl.veiligpraten.routing.InvalidAnswersException;
import nl.veiligpraten.routing.RoutingEngine;
import nl.veiligpraten.routing.Suggestion;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.LocalizedText;
import nl.veiligpraten.routing.config.Questionnaire;
import nl.veiligpraten.routing.config.RoutingConfig;

/**
 * {@link IntakeRouting} over the pure routing engine. The explain endpoint, the visitor's suggestions and the
 * command-line {@code explain} all go through {@link ExplainJson} of the same {@link Decision}, so they cannot differ.
 */
public final class EngineIntakeRouting implements IntakeRouting {

  private final RoutingConfig config;
  private final RoutingEngine engine;

  public EngineIntakeRouting(RoutingConfig config) {
    this.config = config;
    this.engine = new RoutingEngine(config);
  }

  /** Loads and validates the three data files (bundled, overridden by files in {@code configDir}). */
  public static EngineIntakeRouting load(Path configDirOrNull) {
    return new EngineIntakeRouting(RoutingConfig.load(configDirOrNull));
  }

  public RoutingConfig config() {
    return config;
  }

  /** Help point id to the organisation that staffs its queue, for every help point with a counselor queue. */
  public Map<String, String> queueHelpPoints() {
    Map<String, String> out = new LinkedHashMap<>();
    config.helpPoints().byId().values().stream().filter(h -> h.kind() == HelpPoint.Kind.QUEUE)
        .forEach(h -> out.put(h.id(), h.staffedBy() == null ? h.id() : h.staffedBy()));
    return out;
  }

  @Override
  public JsonObject explain(JsonObject answers) {
    return new JsonObject(ExplainJson.toMap(decide(answers)));
  }

  private Decision decide(JsonObject answers) {
    try {
      return engine.decide(Answers.parse(answers.getMap()));
    } catch (InvalidAnswersException e) {
      throw new InvalidIntakeException(e.field(), new JsonArray(e.allowed()), e.getMessage());
    }
  }

  @Override
  public Optional<Route> route(String helpPoint, JsonObject answers) {
    Decision decision = decide(answers);
    HelpPoint target = config.helpPoints().find(helpPoint).orElseThrow(() -> new InvalidIntakeException("helpPoint",
        new JsonArray(config.helpPoints().byId().keySet().stream().sorted().toList()), "Unknown help point."));
    if (target.kind() != HelpPoint.Kind.QUEUE) {
      return Optional.empty();
    }
    Suggestion chosen = decision.suggestions().stream().filter(s -> s.helpPoint().equals(helpPoint)).findFirst()
        .orElse(null);
    int priority = decision.emergency() ? 0
        : (chosen != null ? chosen.priority() : decision.priority()).ordinal();
    JsonObject codes = new JsonObject().put("answers", answers.copy())
        .put("rule", chosen == null ? "chosen_by_visitor" : chosen.rule())
        .put("suggested", new JsonArray(decision.suggestions().stream().map(Suggestion::helpPoint).toList()))
        .put("emergency", decision.emergency());
    String org = target.staffedBy() == null ? target.id() : target.staffedBy();
    return Optional.of(new Route(helpPoint, org, priority, decision.rulesVersion(), codes));
  }

  @Override
  public JsonObject publicConfig() {
    JsonObject helpPoints = new JsonObject();
    for (HelpPoint h : config.helpPoints().byId().values()) {
      JsonObject card = new JsonObject().put("id", h.id()).put("kind", h.kind().code()).put("name", h.name())
          .put("description", text(h.description()));
      if (h.phone() != null) {
        card.put("phone", h.phone());
      }
      if (h.url() != null) {
        card.put("url", h.url());
      }
      if (h.chatUrl() != null) {
        card.put("chatUrl", h.chatUrl());
      }
      helpPoints.put(h.id(), card);
    }
    JsonArray questions = new JsonArray();
    for (Questionnaire.Question q : config.questionnaire().questions()) {
      JsonArray options = new JsonArray();
      q.answers().forEach(a -> options.add(new JsonObject().put("code", a.code()).put("text", text(a.text()))));
      questions.add(new JsonObject().put("id", q.id()).put("type", q.type().name().toLowerCase())
          .put("text", text(q.text())).put("answers", options));
    }
    Questionnaire qn = config.questionnaire();
    return new JsonObject().put("rulesVersion", config.rules().version()).put("helpPoints", helpPoints)
        .put("questions", questions).put("talkNow", text(qn.talkNow())).put("skip", text(qn.skip()))
        .put("emergencyNumber", RoutingEngine.EMERGENCY_NUMBER);
  }

  private static JsonObject text(LocalizedText t) {
    return t == null ? new JsonObject()
        : new JsonObject().put("nl", t.nl()).put("nl_easy", t.nlEasy()).put("en", t.en());
  }
}
