package nl.veiligpraten.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.ConversationNote;
import nl.veiligpraten.infra.bus.QueueNote;
import nl.veiligpraten.referral.Referral;
import nl.veiligpraten.referral.ReferralRepository;
import nl.veiligpraten.routing.config.HelpPoint;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The visitor's side of a referral to another organisation: asks the consent question ({@code
 * {"type":"referral", ...}}) and handles the answer ({@code {"type":"consent", ...}}). On yes the
 * consent is committed first, then the chat's data key is wrapped for the receiving organisation
 * and the chat moves to the head of its queue, so its counselor reads the whole history. On no
 * nothing is shared and the visitor gets the receiving help point's info card instead.
 */
public final class ReferralGateway {

  private static final Logger LOG = LoggerFactory.getLogger(ReferralGateway.class);
  private static final String FALLBACK_NL =
      "Mag ik dit gesprek doorsturen naar {organisation}? Dan hoef je je "
          + "verhaal niet opnieuw te vertellen.";
  private static final String FALLBACK_EN =
      "May I forward this chat to {organisation}? Then you don't have to tell "
          + "your story again.";

  private final Vertx vertx;
  private final ReferralRepository referrals;
  private final TranscriptService<?> transcripts;
  private final RoutingConfig config;

  public ReferralGateway(
      Vertx vertx, Pool pool, TranscriptService<?> transcripts, IntakeRouting intake) {
    this.vertx = vertx;
    this.referrals = new ReferralRepository(pool);
    this.transcripts = transcripts;
    this.config = intake instanceof EngineIntakeRouting e ? e.config() : null;
  }

  /** A counselor offered a referral of this conversation: ask the visitor. */
  void offered(UUID conversationId, String referralId, Consumer<JsonObject> send) {
    UUID id;
    try {
      id = UUID.fromString(referralId);
    } catch (RuntimeException e) {
      return;
    }
    referrals
        .byId(id)
        .onSuccess(
            r ->
                r.filter(
                        x ->
                            x.conversationId().equals(conversationId)
                                && "offered".equals(x.state()))
                    .ifPresent(x -> send.accept(question(x))))
        .onFailure(e -> LOG.warn("referral lookup failed: {}", e.getClass().getName()));
  }

  /** After a reconnect: ask an open question again. */
  void resendOpen(UUID conversationId, Consumer<JsonObject> send) {
    referrals.openFor(conversationId).onSuccess(r -> r.ifPresent(x -> send.accept(question(x))));
  }

  /** The visitor's answer; only an open offer of their own conversation can be answered. */
  void consent(UUID conversationId, VisitorFrame.Consent consent, Consumer<JsonObject> send) {
    UUID id;
    try {
      id = UUID.fromString(consent.referralId());
    } catch (RuntimeException e) {
      send.accept(error("unknown_referral"));
      return;
    }
    referrals
        .decide(id, conversationId, consent.accept())
        .onSuccess(
            decided -> {
              if (decided.isEmpty()) {
                send.accept(error("unknown_referral"));
                return;
              }
              Referral r = decided.get();
              BusNotes.publish(
                  vertx.eventBus(),
                  conversationId,
                  new ConversationNote.Referral(r.id().toString(), r.state()));
              if (!consent.accept()) {
                send.accept(new JsonObject().put("type", "card").put("helpPoint", r.toHelpPoint()));
                return;
              }
              referrals
                  .handOver(r, transcripts)
                  .onSuccess(
                      moved -> {
                        BusNotes.publish(
                            vertx.eventBus(), conversationId, new ConversationNote.Referred());
                        BusNotes.publish(vertx.eventBus(), r.fromOrg(), QueueNote.LEFT);
                        BusNotes.publish(vertx.eventBus(), r.toOrg(), QueueNote.QUEUED);
                        send.accept(
                            new JsonObject()
                                .put("type", "referral-accepted")
                                .put("referralId", r.id().toString())
                                .put("organisation", organisation(r.toHelpPoint())));
                      })
                  .onFailure(
                      e -> {
                        LOG.warn("referral hand-over failed: {}", e.getClass().getName());
                        send.accept(error("internal"));
                      });
            })
        .onFailure(
            e -> {
              LOG.warn("consent failed: {}", e.getClass().getName());
              send.accept(error("internal"));
            });
  }

  private JsonObject question(Referral r) {
    JsonObject org = organisation(r.toHelpPoint());
    String name = org.getString("name");
    String nl = config == null ? FALLBACK_NL : config.questionnaire().consent().nl();
    String en = config == null ? FALLBACK_EN : config.questionnaire().consent().en();
    // easy-read Dutch too (issue 23: every visitor text in nl_easy); B1 Dutch when the
    // configuration has none
    String easy =
        config == null || config.questionnaire().consent().nlEasy() == null
            ? nl
            : config.questionnaire().consent().nlEasy();
    // Every language of the consent text (issue 23: the visitor's language travels with the chat);
    // question,
    // questionEn and questionEasy stay for pages loaded before 'questions'.
    JsonObject questions = new JsonObject();
    if (config != null) {
      config
          .questionnaire()
          .consent()
          .byKey()
          .forEach((lang, text) -> questions.put(lang, text.replace("{organisation}", name)));
    }
    return new JsonObject()
        .put("type", "referral")
        .put("referralId", r.id().toString())
        .put("organisation", org)
        .put("question", nl.replace("{organisation}", name))
        .put("questionEn", en.replace("{organisation}", name))
        .put("questionEasy", easy.replace("{organisation}", name))
        .put("questions", questions);
  }

  private JsonObject organisation(String helpPointId) {
    Optional<HelpPoint> hp =
        config == null ? Optional.empty() : config.helpPoints().find(helpPointId);
    return new JsonObject()
        .put("helpPoint", helpPointId)
        .put("name", hp.map(HelpPoint::name).orElse(helpPointId));
  }

  private static JsonObject error(String code) {
    return new JsonObject()
        .put("type", "error")
        .put("code", code)
        .put(
            "message",
            "unknown_referral".equals(code)
                ? "Deze vraag is niet meer open. / This question is no longer open."
                : "Er ging iets mis. / Something went wrong.");
  }
}
