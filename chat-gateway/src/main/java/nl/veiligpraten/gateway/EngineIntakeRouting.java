package nl.veiligpraten.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import nl.veiligpraten.routing.Answers;
import nl.veiligpraten.routing.Availability;
import nl.veiligpraten.routing.Channel;
import nl.veiligpraten.routing.ClosedChoice;
import nl.veiligpraten.routing.Decision;
import nl.veiligpraten.routing.ExplainJson;
import nl.veiligpraten.routing.InvalidAnswersException;
import nl.veiligpraten.routing.Reachability;
import nl.veiligpraten.routing.RoutingEngine;
import nl.veiligpraten.routing.Suggestion;
import nl.veiligpraten.routing.config.Condition;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.Lang;
import nl.veiligpraten.routing.config.LocalizedText;
import nl.veiligpraten.routing.config.Questionnaire;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.config.RuleSet;
import nl.veiligpraten.routing.config.VisitorTexts;

/**
 * {@link IntakeRouting} over the pure routing engine. The explain endpoint, the visitor's
 * suggestions and the command-line {@code explain} all go through {@link ExplainJson} of the same
 * {@link Decision}, so they cannot differ.
 *
 * <p>The engine is pure; this class supplies "now" (its clock) and the caller supplies which queues
 * are staffed now (the visitor verticle's per-event-loop staffing view, read without blocking
 * before the call): together the {@link Reachability} of every decision. A queue the caller does
 * not name counts as not staffed, so when staffing is unknown rule N1 offers a free line that is
 * open now.
 */
public final class EngineIntakeRouting implements IntakeRouting {

  /**
   * The configuration and its engine as one immutable snapshot, replaced as a whole when an admin's
   * change is applied (issue 21): a reader takes the reference once per call and never sees half of
   * a change.
   */
  private record State(RoutingConfig config, RoutingEngine engine) {}

  private volatile State state;

  /**
   * "Now" for opening hours; a fixed clock in tests, so they do not depend on the time of day they
   * run at.
   */
  private final Clock clock;

  /**
   * The languages this start offers the visitor (issue 23): the reviewed ones in production, all in
   * a demo. Texts sent to the page carry only these, so a production page neither shows nor
   * downloads unreviewed translations.
   */
  private final List<VisitorTexts.Language> languages;

  /**
   * The page's own texts as loaded at start (visitor-texts.yaml, bundled or from the config
   * directory). A stored configuration version (issue 21) holds the three routing files; the page
   * texts and languages stay these.
   */
  private final VisitorTexts visitorTexts;

  /** Production posture: only reviewed languages. */
  public EngineIntakeRouting(RoutingConfig config) {
    this(config, Clock.systemUTC());
  }

  /** Production posture: only reviewed languages. */
  public EngineIntakeRouting(RoutingConfig config, Clock clock) {
    this(config, clock, false);
  }

  /**
   * @param demo offer every language, reviewed or not (a demo start); otherwise only reviewed ones
   */
  public EngineIntakeRouting(RoutingConfig config, Clock clock, boolean demo) {
    this.state = new State(config, new RoutingEngine(config));
    this.clock = clock;
    this.languages = config.visitorTexts().offered(demo);
    this.visitorTexts = config.visitorTexts();
  }

  /**
   * The reachability view for this moment: the clock and the queues staffed now ({@code null} =
   * unknown = none).
   */
  public Reachability reachability(Set<String> staffedNow) {
    return new Reachability(clock.instant(), staffedNow == null ? Set.of() : staffedNow);
  }

  /** The engine, for callers that need more than the JSON. */
  public RoutingEngine engine() {
    return state.engine();
  }

  /**
   * Swaps in a new validated configuration: calls from now on use it, calls under way finish with
   * the one they started with. Never blocks.
   */
  public void replace(RoutingConfig config) {
    this.state = new State(config, new RoutingEngine(config));
  }

  /**
   * Loads and validates the three data files (bundled, overridden by files in {@code configDir}).
   */
  public static EngineIntakeRouting load(Path configDirOrNull) {
    return load(configDirOrNull, Clock.systemUTC());
  }

  /** As {@link #load(Path)}, with the clock that decides what is open now. */
  public static EngineIntakeRouting load(Path configDirOrNull, Clock clock) {
    return new EngineIntakeRouting(RoutingConfig.load(configDirOrNull), clock);
  }

  /** As {@link #load(Path, Clock)}; {@code demo} offers unreviewed languages too. */
  public static EngineIntakeRouting load(Path configDirOrNull, Clock clock, boolean demo) {
    return new EngineIntakeRouting(RoutingConfig.load(configDirOrNull), clock, demo);
  }

  @Override
  public List<Lang> languages() {
    return languages.stream().map(VisitorTexts.Language::lang).toList();
  }

  @Override
  public JsonObject pageTexts() {
    JsonArray langs = new JsonArray();
    languages.forEach(
        l ->
            langs.add(
                new JsonObject()
                    .put("code", l.lang().key())
                    .put("label", l.label())
                    .put("locale", l.locale())
                    .put("dir", l.dir())
                    .put("reviewed", l.reviewed())));
    JsonObject texts = new JsonObject();
    visitorTexts.texts().forEach((key, t) -> texts.put(key, text(t)));
    return new JsonObject().put("languages", langs).put("texts", texts);
  }

  /** The current time in the help points' time zone. */
  private ZonedDateTime now() {
    return ZonedDateTime.now(clock.withZone(OpenHours.ZONE));
  }

  @Override
  public Object snapshot() {
    return state;
  }

  public RoutingConfig config() {
    return state.config();
  }

  /**
   * Help point id to the organisation that staffs its queue, for every help point with a counselor
   * queue.
   */
  public Map<String, String> queueHelpPoints() {
    Map<String, String> out = new LinkedHashMap<>();
    config().helpPoints().byId().values().stream()
        .filter(h -> h.kind() == HelpPoint.Kind.QUEUE)
        .forEach(h -> out.put(h.id(), h.staffedBy() == null ? h.id() : h.staffedBy()));
    return out;
  }

  @Override
  public Map<String, QueuePoint> queuePoints() {
    Map<String, QueuePoint> out = new LinkedHashMap<>();
    config().helpPoints().byId().values().stream()
        .filter(h -> h.kind() == HelpPoint.Kind.QUEUE)
        .forEach(
            h ->
                out.put(
                    h.id(),
                    new QueuePoint(
                        h.id(),
                        h.name(),
                        h.staffedBy() == null ? h.id() : h.staffedBy(),
                        h.queueCap(),
                        h.overflowTo())));
    return out;
  }

  @Override
  public List<JsonObject> phoneLinesOpenNow(
      java.util.Collection<String> suggested, Set<String> staffedNow) {
    Reachability reach = reachability(staffedNow);
    ZonedDateTime now = now();
    return config().helpPoints().byId().values().stream()
        .filter(
            h -> h.phone() != null && h.openingHours() != null && h.openingHours().isOpenAt(now))
        .filter(
            h ->
                (h.kind() == HelpPoint.Kind.QUEUE && h.openingHours().alwaysOpen())
                    || suggested.contains(h.id()))
        .map(h -> card(h, reach))
        .toList();
  }

  @Override
  public JsonObject explain(JsonObject answers, Set<String> staffedNow) {
    return new JsonObject(ExplainJson.toMap(decide(answers, reachability(staffedNow))));
  }

  private Decision decide(JsonObject answers, Reachability reach) {
    try {
      return engine().decide(Answers.parse(plain(answers)), reach);
    } catch (InvalidAnswersException e) {
      throw new InvalidIntakeException(e.field(), new JsonArray(e.allowed()), e.getMessage());
    }
  }

  @Override
  public Optional<Route> route(String helpPoint, JsonObject answers, Set<String> staffedNow) {
    Decision decision = decide(answers, reachability(staffedNow));
    HelpPoint target =
        config()
            .helpPoints()
            .find(helpPoint)
            .orElseThrow(
                () ->
                    new InvalidIntakeException(
                        "helpPoint",
                        new JsonArray(
                            config().helpPoints().byId().keySet().stream().sorted().toList()),
                        "Unknown help point."));
    if (target.kind() != HelpPoint.Kind.QUEUE) {
      return Optional.empty();
    }
    Suggestion chosen =
        decision.suggestions().stream()
            .filter(s -> s.helpPoint().equals(helpPoint))
            .findFirst()
            .orElse(null);
    int priority =
        decision.emergency()
            ? 0
            : (chosen != null ? chosen.priority() : decision.priority()).ordinal();
    JsonObject codes =
        new JsonObject()
            .put("answers", answers.copy())
            .put("rule", chosen == null ? "chosen_by_visitor" : chosen.rule())
            .put(
                "suggested",
                new JsonArray(decision.suggestions().stream().map(Suggestion::helpPoint).toList()))
            // Kept with the case, so the counselor's intake card shows the also-offers the visitor
            // saw.
            .put(
                "alsoOffer",
                new JsonArray(decision.alsoOffer().stream().map(Suggestion::helpPoint).toList()))
            .put("emergency", decision.emergency());
    String org = target.staffedBy() == null ? target.id() : target.staffedBy();
    return Optional.of(new Route(helpPoint, org, priority, decision.rulesVersion(), codes));
  }

  @Override
  public JsonObject publicConfig() {
    JsonObject helpPoints = new JsonObject();
    // The page's static copy: no staffing is claimed here (the suggestions frame carries the live
    // cards).
    Reachability unstaffed = reachability(Set.of());
    for (HelpPoint h : config().helpPoints().byId().values()) {
      helpPoints.put(h.id(), card(h, unstaffed));
    }
    JsonArray questions = new JsonArray();
    for (Questionnaire.Question q : config().questionnaire().questions()) {
      questions.add(pageQuestion(q));
    }
    Questionnaire qn = config().questionnaire();
    return new JsonObject()
        .put("rulesVersion", config().rules().version())
        .put("helpPoints", helpPoints)
        .put("questions", questions)
        .put("talkNow", text(qn.talkNow()))
        .put("skip", text(qn.skip()))
        .put("emergencyNumber", RoutingEngine.EMERGENCY_NUMBER)
        .put("timeZone", OpenHours.ZONE.getId());
  }

  @Override
  public Optional<JsonObject> nextQuestion(JsonObject answersJson, String afterOrNull) {
    Answers answers;
    try {
      answers = Answers.parse(plain(answersJson));
    } catch (InvalidAnswersException e) {
      throw new InvalidIntakeException(e.field(), new JsonArray(e.allowed()), e.getMessage());
    }
    Questionnaire qn = config().questionnaire();
    List<Questionnaire.Question> all = qn.questions();
    int from = 0;
    if (afterOrNull != null) {
      Optional<Questionnaire.Question> after = qn.question(afterOrNull);
      if (after.isEmpty()) {
        throw new InvalidIntakeException(
            "after",
            new JsonArray(all.stream().map(Questionnaire.Question::id).toList()),
            "Unknown question.");
      }
      from = all.indexOf(after.get()) + 1;
    }
    List<Questionnaire.Question> visible = qn.visibleQuestions(answers);
    for (int i = from; i < all.size(); i++) {
      Questionnaire.Question q = all.get(i);
      if (visible.contains(q)) {
        // third-person variants replace question and answer texts (brief §4.1 v2)
        return Optional.of(
            question(q, qn.textFor(q, answers), qn.answersFor(q, answers))
                .put("index", visible.indexOf(q) + 1)
                .put("total", visible.size()));
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean isOpenNow(String helpPoint) {
    return config()
        .helpPoints()
        .find(helpPoint)
        .map(h -> OpenHours.isOpen(h.openingHours(), now()))
        .orElse(false);
  }

  /**
   * The options open now when the chosen help point cannot be reached (or, with {@code
   * exceptHelpPoint} null, for the visitor's route in general): decided by the routing engine
   * ({@link RoutingEngine#whenUnavailable}), the visitor's own suggestions and also-offers first,
   * completed by rule N1 with a free line open now, never empty. Queues count here when they are
   * open by their hours: whether one is staffed is added by the gateway's staffing view ({@code
   * QueueWaits.alternatives}), which drops an unstaffed queue unless it has a phone line. Cards as
   * in {@link #card(String, Set)}.
   */
  @Override
  public JsonArray openAlternatives(
      JsonObject answers, String exceptHelpPoint, Set<String> staffedNow) {
    Reachability byHours = new Reachability(clock.instant(), queuePointIds());
    Reachability now = reachability(staffedNow);
    java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
    engine()
        .whenUnavailable(decide(answers, byHours), exceptHelpPoint, byHours)
        .openNow()
        .forEach(s -> ids.add(s.helpPoint()));
    // and what is reachable with the staffing known here (N1: at least one free line open now)
    engine()
        .whenUnavailable(decide(answers, now), exceptHelpPoint, now)
        .openNow()
        .forEach(s -> ids.add(s.helpPoint()));
    JsonArray out = new JsonArray();
    ids.forEach(id -> out.add(card(id, staffedNow)));
    return out;
  }

  private Set<String> queuePointIds() {
    Set<String> ids = new java.util.HashSet<>();
    config().helpPoints().byId().values().stream()
        .filter(h -> h.kind() == HelpPoint.Kind.QUEUE)
        .forEach(h -> ids.add(h.id()));
    return ids;
  }

  @Override
  public JsonObject unavailableOptions(
      String helpPoint, JsonObject answers, Set<String> staffedNow) {
    return new JsonObject(
        ExplainJson.toMap(closedChoice(answers, helpPoint, reachability(staffedNow))));
  }

  private ClosedChoice closedChoice(JsonObject answers, String chosen, Reachability reach) {
    if (config().helpPoints().find(chosen).isEmpty()) {
      throw new InvalidIntakeException(
          "helpPoint",
          new JsonArray(config().helpPoints().byId().keySet().stream().sorted().toList()),
          "Unknown help point.");
    }
    return engine().whenUnavailable(decide(answers, reach), chosen, reach);
  }

  @Override
  public Optional<JsonObject> counselorRule(String ruleId) {
    if (!RuleSet.SUICIDE_RISK_RULE.equals(ruleId)) {
      return Optional.empty();
    }
    // The 113 card is a phone line open by its hours: queue staffing does not change it.
    Reachability reach = reachability(Set.of());
    Suggestion s = engine().suicideRiskSuggestion(reach);
    return Optional.of(
        new JsonObject()
            .put("rule", s.rule())
            .put("priority", s.priority().name())
            .put("helpPoint", s.helpPoint())
            .put("why", text(s.why()))
            .put("card", card(s.helpPoint(), Set.of())));
  }

  @Override
  public JsonObject card(String helpPoint, Set<String> staffedNow) {
    Reachability reach = reachability(staffedNow);
    return config()
        .helpPoints()
        .find(helpPoint)
        .map(h -> card(h, reach))
        .orElseGet(() -> new JsonObject().put("id", helpPoint));
  }

  private JsonObject card(HelpPoint h, Reachability reach) {
    Availability a = Availability.of(h, reach);
    JsonObject card =
        new JsonObject()
            .put("id", h.id())
            .put("kind", h.kind().code())
            .put("name", h.name())
            .put("names", names(h))
            .put("description", text(h.description()))
            .put("cost", h.cost().code())
            .put("supplement", h.supplement())
            // reachable now in the sense of N1 (a staffed open queue, or a phone or chat line open
            // now)
            .put("reachableNow", a.reachableNow())
            .put("channels", new JsonArray(a.channels().stream().map(Channel::code).toList()))
            .put("openChannels", new JsonArray(a.openNow().stream().map(Channel::code).toList()))
            .put("opensAt", a.opensAt().map(t -> t.toOffsetDateTime().toString()).orElse(null))
            .put("hoursKnown", a.hoursKnown());
    if (h.phone() != null) {
      card.put("phone", h.phone());
    }
    if (h.url() != null) {
      card.put("url", h.url());
    }
    if (h.chatUrl() != null) {
      card.put("chatUrl", h.chatUrl());
    }
    // openNow is null when the hours are unknown: the page never calls such a help point "open
    // now".
    card.put("openingHours", OpenHours.toJson(h.openingHours()))
        .put("openNow", OpenHours.openNow(h.openingHours(), now()));
    if (h.phoneHours() != null) {
      card.put("phoneHours", OpenHours.toJson(h.phoneHours()));
    }
    if (h.chatHours() != null) {
      card.put("chatHours", OpenHours.toJson(h.chatHours()));
    }
    if (h.notice() != null) {
      // A temporary message from the organisation (a holiday or ad-hoc closure), edited live (issue
      // 21).
      card.put("notice", text(h.notice()));
    }
    if (h.retentionDays() != null) {
      // Issue 19: the page's notice and privacy screen say how long this organisation keeps a chat.
      card.put("retentionDays", h.retentionDays());
    }
    return card;
  }

  /**
   * A question as the page may decide it (issue 23: no round trip per question on a slow
   * connection): its texts, and its {@code showIf} and text variants in the page's small condition
   * form ({@code answer/in}, {@code contains/any}, {@code answered}, {@code not}, {@code all},
   * {@code any}). These are facts of the published questionnaire, not of the routing rules. A
   * question whose conditions use anything else (ages, talk-now, other rules) carries {@code
   * "server": true}: the page then asks the server which question comes next.
   */
  private JsonObject pageQuestion(Questionnaire.Question q) {
    JsonObject out = question(q, q.text());
    boolean pageCanDecide = true;
    if (q.showIf() != null) {
      JsonObject showIf = pageCondition(q.showIf());
      pageCanDecide = showIf != null;
      out.put("showIf", showIf);
    }
    if (!q.variants().isEmpty()) {
      JsonArray variants = new JsonArray();
      for (Questionnaire.Variant v : q.variants()) {
        JsonObject when = pageCondition(v.when());
        pageCanDecide &= when != null;
        JsonObject answers = new JsonObject();
        new java.util.TreeMap<>(v.answers()).forEach((code, text) -> answers.put(code, text(text)));
        variants.add(
            new JsonObject().put("when", when).put("text", text(v.text())).put("answers", answers));
      }
      out.put("variants", variants);
    }
    if (!pageCanDecide) {
      out.remove("showIf");
      out.remove("variants");
      out.put("server", true);
    }
    return out;
  }

  /**
   * The page form of a condition, or null when the page cannot evaluate it (see {@link
   * #pageQuestion}).
   */
  static JsonObject pageCondition(Condition c) {
    if (c instanceof Condition.AnswerIn a) {
      return new JsonObject()
          .put("answer", a.question())
          .put("in", new JsonArray(a.codes().stream().sorted().toList()));
    }
    if (c instanceof Condition.ContainsAny a) {
      return new JsonObject()
          .put("contains", a.question())
          .put("any", new JsonArray(a.codes().stream().sorted().toList()));
    }
    if (c instanceof Condition.Answered a) {
      return new JsonObject().put("answered", a.question());
    }
    if (c instanceof Condition.Not n) {
      JsonObject child = pageCondition(n.child());
      return child == null ? null : new JsonObject().put("not", child);
    }
    if (c instanceof Condition.All a) {
      return pageConditions("all", a.children());
    }
    if (c instanceof Condition.Any a) {
      return pageConditions("any", a.children());
    }
    // ages, talk-now, "shown" and rule references: the page leaves these to the server
    return null;
  }

  private static JsonObject pageConditions(String key, List<Condition> children) {
    JsonArray out = new JsonArray();
    for (Condition child : children) {
      JsonObject c = pageCondition(child);
      if (c == null) {
        return null;
      }
      out.add(c);
    }
    return new JsonObject().put(key, out);
  }

  /**
   * The help point's name in each offered language (its own Dutch name where it has no name in that
   * language).
   */
  private JsonObject names(HelpPoint h) {
    JsonObject out = new JsonObject();
    languages.forEach(l -> out.put(l.lang().key(), h.name(l.lang())));
    return out;
  }

  private JsonObject question(Questionnaire.Question q, LocalizedText text) {
    return question(q, text, q.answers());
  }

  private JsonObject question(
      Questionnaire.Question q, LocalizedText text, List<Questionnaire.AnswerOption> answers) {
    JsonArray options = new JsonArray();
    answers.forEach(
        a -> options.add(new JsonObject().put("code", a.code()).put("text", text(a.text()))));
    return new JsonObject()
        .put("id", q.id())
        .put("type", q.type().name().toLowerCase(java.util.Locale.ROOT))
        .put("text", text(text))
        .put("answers", options);
  }

  /** A text in the offered languages: {nl, nl_easy, en, ...}. */
  private JsonObject text(LocalizedText t) {
    JsonObject out = new JsonObject();
    if (t != null) {
      languages.forEach(l -> out.put(l.lang().key(), t.get(l.lang())));
    }
    return out;
  }

  /**
   * The answers as plain maps and lists: stored intake codes come back as {@code JsonArray}s, which
   * the routing core does not know (it is Vert.x-free), so a multiple answer would be refused as
   * "not a list".
   */
  private static Map<String, Object> plain(JsonObject answers) {
    Map<String, Object> out = new LinkedHashMap<>();
    answers.forEach(
        e -> out.put(e.getKey(), e.getValue() instanceof JsonArray a ? a.getList() : e.getValue()));
    return out;
  }
}
