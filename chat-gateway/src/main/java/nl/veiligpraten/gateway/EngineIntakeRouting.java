package nl.veiligpraten.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
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
      helpPoints.put(h.id(), card(h));
    }
    JsonArray questions = new JsonArray();
    for (Questionnaire.Question q : config.questionnaire().questions()) {
      questions.add(question(q, q.text()));
    }
    Questionnaire qn = config.questionnaire();
    return new JsonObject().put("rulesVersion", config.rules().version()).put("helpPoints", helpPoints)
        .put("questions", questions).put("talkNow", text(qn.talkNow())).put("skip", text(qn.skip()))
        .put("emergencyNumber", RoutingEngine.EMERGENCY_NUMBER).put("timeZone", OpenHours.ZONE.getId());
  }

  @Override
  public Optional<JsonObject> nextQuestion(JsonObject answersJson, String afterOrNull) {
    Answers answers;
    try {
      answers = Answers.parse(answersJson.getMap());
    } catch (InvalidAnswersException e) {
      throw new InvalidIntakeException(e.field(), new JsonArray(e.allowed()), e.getMessage());
    }
    Questionnaire qn = config.questionnaire();
    List<Questionnaire.Question> all = qn.questions();
    int from = 0;
    if (afterOrNull != null) {
      Optional<Questionnaire.Question> after = qn.question(afterOrNull);
      if (after.isEmpty()) {
        throw new InvalidIntakeException("after", new JsonArray(all.stream().map(Questionnaire.Question::id).toList()),
            "Unknown question.");
      }
      from = all.indexOf(after.get()) + 1;
    }
    List<Questionnaire.Question> visible = qn.visibleQuestions(answers);
    for (int i = from; i < all.size(); i++) {
      Questionnaire.Question q = all.get(i);
      if (visible.contains(q)) {
        return Optional.of(question(q, qn.textFor(q, answers)).put("index", visible.indexOf(q) + 1)
            .put("total", visible.size()));
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean isOpenNow(String helpPoint) {
    return config.helpPoints().find(helpPoint).map(h -> OpenHours.isOpen(h.openingHours(), ZonedDateTime.now()))
        .orElse(false);
  }

  @Override
  public JsonObject card(String helpPoint) {
    return config.helpPoints().find(helpPoint).map(EngineIntakeRouting::card)
        .orElseGet(() -> new JsonObject().put("id", helpPoint));
  }

  private static JsonObject card(HelpPoint h) {
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
    card.put("openingHours", OpenHours.toJson(h.openingHours()))
        .put("openNow", OpenHours.isOpen(h.openingHours(), ZonedDateTime.now()));
    return card;
  }

  private static JsonObject question(Questionnaire.Question q, LocalizedText text) {
    JsonArray options = new JsonArray();
    q.answers().forEach(a -> options.add(new JsonObject().put("code", a.code()).put("text", text(a.text()))));
    return new JsonObject().put("id", q.id()).put("type", q.type().name().toLowerCase(java.util.Locale.ROOT))
        .put("text", text(text)).put("answers", options);
  }

  private static JsonObject text(LocalizedText t) {
    return t == null ? new JsonObject()
        : new JsonObject().put("nl", t.nl()).put("nl_easy", t.nlEasy()).put("en", t.en());
  }
}
