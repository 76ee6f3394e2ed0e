package nl.veiligpraten.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import nl.veiligpraten.conversation.Conversation;
import nl.veiligpraten.conversation.ConversationRepository;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.ConversationNote;
import nl.veiligpraten.infra.bus.QueueNote;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.routing.conversation.Outcome;

/**
 * {@code POST /api/quick-exit}: the page's fallback for quick exit when its socket is not connected
 * at that moment (e.g. in the middle of a reconnect). The page sends it with {@code
 * navigator.sendBeacon}, which survives the navigation away. Body {@code {"resume": token}} or
 * {@code {"resumeCode": code}}; the conversation is closed with outcome {@code visitor_left_hurry},
 * exactly as a {@code bye} with {@code hurry: true}.
 *
 * <p>Always answers 204 for a well-formed request from an allowed origin, also when the token is
 * unknown, so the endpoint tells nobody whether a conversation exists.
 */
final class QuickExitBeacon {

  static final String OUTCOME = Outcome.VISITOR_LEFT_HURRY.code();

  private final Vertx vertx;
  private final GatewaySettings settings;
  private final ConversationRepository conversations;
  private final ResumeGuard resume;

  QuickExitBeacon(
      Vertx vertx,
      GatewaySettings settings,
      ConversationRepository conversations,
      ResumeGuard resume) {
    this.resume = resume;
    this.vertx = vertx;
    this.settings = settings;
    this.conversations = conversations;
  }

  void handle(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin == null || !settings.allowedOrigins().contains(origin)) {
      ctx.response().setStatusCode(403).end();
      return;
    }
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      body = null;
    }
    String token;
    String code;
    try {
      token = body == null ? null : VisitorFrameDecoder.string(body, "resume", 64, false);
      code = body == null ? null : VisitorFrameDecoder.string(body, "resumeCode", 32, false);
    } catch (FrameException e) {
      token = null;
      code = null;
    }
    // "Gesprek stoppen" while the socket is down sends the same with hurry false (issue 19):
    // outcome visitor_left.
    String outcome =
        body != null && Boolean.FALSE.equals(body.getValue("hurry"))
            ? Outcome.VISITOR_LEFT.code()
            : OUTCOME;
    if (token == null && code == null) {
      VisitorVerticle.json(
          ctx,
          400,
          new JsonObject()
              .put("error", "missing_field")
              .put("message", "Body must be {\"resume\": token} or {\"resumeCode\": code}."));
      return;
    }
    // A code beacon is a guessing channel too (a hit would close someone's chat): same budgets as a
    // hello.
    if (token == null && !resume.admitCode(vertx, ctx.request().remoteAddress(), "quick_exit")) {
      ctx.response().setStatusCode(429).end();
      return;
    }
    Future<Optional<Conversation>> lookup =
        token != null
            ? conversations.byResumeHash(Secrets.sha256(token))
            : conversations.byResumeCodeHash(resume.lookupHash(code));
    lookup
        .compose(
            found -> {
              if (found.isEmpty() || found.get().isClosed()) {
                if (found.isEmpty()) {
                  resume.failed(vertx, "quick_exit", "unknown");
                }
                return Future.succeededFuture(Optional.<Conversation>empty());
              }
              return conversations.closeByVisitor(found.get().id(), outcome);
            })
        .onSuccess(
            closed -> {
              // Notify only when this request did the closing, so the counselor sees one "left in a
              // hurry".
              closed.ifPresent(c -> announce(c, outcome));
              ctx.response().setStatusCode(204).end();
            })
        .onFailure(e -> ctx.response().setStatusCode(503).end());
  }

  private void announce(Conversation c, String outcome) {
    BusNotes.publish(
        vertx.eventBus(),
        c.id(),
        new ConversationNote.Closed(outcome, ConversationNote.Party.VISITOR));
    if (c.orgId() != null) {
      BusNotes.publish(vertx.eventBus(), c.orgId(), QueueNote.LEFT);
    }
  }
}
