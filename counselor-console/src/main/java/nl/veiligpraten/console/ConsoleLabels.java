package nl.veiligpraten.console;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import nl.veiligpraten.routing.config.LocalizedText;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.routing.conversation.Outcome;
import nl.veiligpraten.routing.conversation.OutcomeTag;

/**
 * Words for the codes the console shows (intake questions and answers, the route's "why", outcomes,
 * tags), in Dutch and English. Question and answer texts and each rule's "why" come from the same
 * configuration files the visitor page and the routing engine use, so a text changed there is
 * changed here too; outcome and tag words live here because their codes are defined in {@link
 * Outcome} and {@link OutcomeTag}.
 */
final class ConsoleLabels {

  private static final Map<String, String[]> OUTCOMES =
      Map.of(
          "listened", new String[] {"Geluisterd", "Listened"},
          "advice", new String[] {"Advies gegeven", "Advice given"},
          "referred", new String[] {"Doorverwezen", "Referred"},
          "emergency_112", new String[] {"112-advies gegeven", "Advised to call 112"},
          "police_info",
              new String[] {
                "Informatie over politie en aangifte", "Information about police and reporting"
              },
          "visitor_left", new String[] {"Bezoeker is weggegaan", "Visitor left"},
          "other", new String[] {"Anders", "Other"});

  private static final Map<String, String[]> TAGS =
      Map.of(
          "earlier_victimisation", new String[] {"Eerder meegemaakt", "Earlier victimisation"},
          "suicide_risk", new String[] {"Zorgen om zelfdoding", "Suicide risk"},
          "safety_plan", new String[] {"Veiligheidsplan besproken", "Safety plan discussed"},
          "police_report_considered",
              new String[] {"Aangifte overwogen", "Police report considered"},
          "medical_help_advised", new String[] {"Medische hulp aangeraden", "Medical help advised"},
          "returning_visitor", new String[] {"Komt vaker", "Returning visitor"},
          "perpetrator_support",
              new String[] {"Hulp bij eigen gedrag", "Support with own behaviour"},
          "bystander_advice", new String[] {"Advies als omstander", "Bystander advice"});

  /** Replaced as a whole when a new configuration version is applied (issue 21). */
  private volatile JsonObject json;

  ConsoleLabels(RoutingConfig config) {
    json = build(config);
  }

  /** Uses the words of a new configuration from now on. */
  void replace(RoutingConfig config) {
    json = build(config);
  }

  private static JsonObject build(RoutingConfig config) {
    JsonObject questions = new JsonObject();
    config
        .questionnaire()
        .questions()
        .forEach(
            q -> {
              JsonObject answers = new JsonObject();
              q.answers().forEach(a -> answers.put(a.code(), text(a.text())));
              questions.put(q.id(), text(q.text()).put("answers", answers));
            });
    JsonObject rules = new JsonObject();
    config
        .rules()
        .rules()
        .forEach(
            r -> {
              if (r.why() != null) {
                // a why may depend on role and age (routing v2); the console label is the general
                // ("otherwise") text
                rules.put(r.id(), text(r.why().otherwise()));
              }
            });
    JsonObject outcomes = new JsonObject();
    Outcome.counselorCodes()
        .forEach(c -> outcomes.put(c, pair(OUTCOMES.getOrDefault(c, new String[] {c, c}))));
    JsonObject tags = new JsonObject();
    OutcomeTag.codes().forEach(t -> tags.put(t, pair(TAGS.getOrDefault(t, new String[] {t, t}))));
    JsonObject helpPoints = new JsonObject();
    config.helpPoints().byId().values().forEach(h -> helpPoints.put(h.id(), h.name()));
    return new JsonObject()
        .put("questions", questions)
        .put("rules", rules)
        .put("outcomes", outcomes)
        .put("tags", tags)
        .put("helpPoints", helpPoints);
  }

  JsonObject json() {
    return json.copy();
  }

  private static JsonObject text(LocalizedText t) {
    return new JsonObject().put("nl", t.nl()).put("easy", t.nlEasy()).put("en", t.en());
  }

  private static JsonObject pair(String[] nlEn) {
    return new JsonObject().put("nl", nlEn[0]).put("en", nlEn[1]);
  }
}
