package nl.veiligpraten.console;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.conversation.ConversationClosedException;
import nl.veiligpraten.conversation.FrameIds;
import nl.veiligpraten.conversation.PlainMessage;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.ConversationNote;
import nl.veiligpraten.infra.bus.InboxNote;
import nl.veiligpraten.infra.bus.StaffUserNote;
import nl.veiligpraten.routing.conversation.ConversationStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message inbox of an organisation (issue 19): threads visitors left without any contact
 * detail, answered by any counselor (or supervisor) of that organisation. The list holds codes and
 * times only; opening a thread is a transcript read and writes one access-log row ({@link
 * TranscriptService#readForStaff}); a reply is sealed and stored like a chat message, and reaches a
 * visitor who is on the page at once. While the visitor is back, a counselor can turn the thread
 * into a live chat: it is assigned to them and opens in their console like a taken chat. The
 * organisation always comes from the session, so another organisation's id can only miss.
 */
final class InboxApi {

  private static final Logger LOG = LoggerFactory.getLogger(InboxApi.class);
  private static final int MAX_BODY_CHARS = 4000;
  private static final int LIST_LIMIT = 500;
  private static final int PAGE = 500;

  /** Supervisors must give a reason to read a transcript; answering the inbox is that reason. */
  static final String SUPERVISOR_REASON = "inbox: bericht beantwoorden";

  private final Vertx vertx;
  private final TranscriptService<?> transcripts;
  private final ConsoleServices services;
  private final ConsoleApi api;

  InboxApi(
      Vertx vertx, TranscriptService<?> transcripts, ConsoleServices services, ConsoleApi api) {
    this.vertx = vertx;
    this.transcripts = transcripts;
    this.services = services;
    this.api = api;
  }

  private static boolean allowed(StaffSession s) {
    return Roles.chats(s);
  }

  /** {@code GET /api/inbox}: the organisation's open threads, most urgent and oldest first. */
  void list(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (!allowed(s)) {
      ConsoleApi.refuse(ctx, 403, "forbidden", "Your role has no inbox.");
      return;
    }
    transcripts
        .conversations()
        .inbox(s.orgId(), LIST_LIMIT)
        .onSuccess(
            items -> {
              JsonArray out = new JsonArray();
              items.forEach(
                  i ->
                      out.add(
                          new JsonObject()
                              .put("conversationId", i.conversation().id().toString())
                              .put("helpPoint", i.conversation().helpPoint())
                              .put(
                                  "helpPointName",
                                  services
                                      .helpPoints()
                                      .queue(i.conversation().helpPoint())
                                      .map(HelpPointDirectory.Info::name)
                                      .orElse(i.conversation().helpPoint()))
                              .put("priority", i.conversation().priority())
                              .put(
                                  "leftAt",
                                  i.conversation().queuedAt() == null
                                      ? null
                                      : i.conversation().queuedAt().toInstant().toString())
                              .put(
                                  "lastAt",
                                  i.lastAt() == null ? null : i.lastAt().toInstant().toString())
                              // Waiting for an answer: the visitor wrote last.
                              .put("waiting", "visitor".equals(i.lastFrom()))
                              .put(
                                  "answered",
                                  i.conversation().nextSeq() > 0 && !"visitor".equals(i.lastFrom()))
                              .put("visitorHere", i.visitorHere())));
              ConsoleVerticle.json(ctx, 200, new JsonObject().put("inbox", out));
            })
        .onFailure(ctx::fail);
  }

  /**
   * {@code GET /api/inbox/:id}: the intake card and the whole thread (an audited transcript read).
   */
  void open(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    UUID id = ConsoleApi.uuidParam(ctx, "id");
    if (id == null || !allowed(s)) {
      ConsoleApi.refuse(ctx, 404, "not_found", "Onbekend bericht.");
      return;
    }
    services
        .assignments()
        .item(id)
        .onSuccess(
            found -> {
              if (found.isEmpty()
                  || found.get().status() != ConversationStatus.INBOX
                  || !s.orgId().equals(found.get().item().orgId())) {
                ConsoleApi.refuse(ctx, 404, "not_found", "Onbekend bericht.");
                return;
              }
              JsonObject card =
                  api.card(found.get().item()).put("status", ConversationStatus.INBOX.code());
              transcripts
                  .readForStaff(id, s.orgId(), 0, PAGE, audit(s))
                  .onSuccess(
                      messages -> {
                        JsonArray out = new JsonArray();
                        for (PlainMessage m : messages) {
                          out.add(
                              new JsonObject()
                                  .put("seq", m.seq())
                                  .put("from", m.sender())
                                  .put("body", m.body())
                                  .put("at", m.createdAt().toInstant().toString()));
                        }
                        ConsoleVerticle.json(ctx, 200, card.put("messages", out));
                      })
                  .onFailure(
                      e -> {
                        LOG.warn("inbox read failed: {}", e.getClass().getName());
                        ConsoleApi.refuse(
                            ctx, 500, "internal", "Het bericht kon niet worden geopend.");
                      });
            })
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST /api/inbox/:id/reply {clientId, body}}: stores an answer (sealed, after commit
   * answered with its seq; a resend with the same clientId gets the same seq back). Refused unless
   * the thread is still in this organisation's inbox, checked under the append's row lock.
   */
  void reply(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    UUID id = ConsoleApi.uuidParam(ctx, "id");
    if (id == null || !allowed(s)) {
      ConsoleApi.refuse(ctx, 404, "not_found", "Onbekend bericht.");
      return;
    }
    JsonObject body = ConsoleApi.body(ctx);
    String clientId =
        body != null && body.getValue("clientId") instanceof String c && FrameIds.valid(c)
            ? c
            : null;
    String text = body != null && body.getValue("body") instanceof String b ? b : null;
    if (clientId == null || text == null || text.isBlank() || text.length() > MAX_BODY_CHARS) {
      ConsoleApi.refuse(
          ctx,
          400,
          "invalid_field",
          "reply needs clientId (1-64 of A-Za-z0-9_.:-) and a body of 1-"
              + MAX_BODY_CHARS
              + " characters.");
      return;
    }
    transcripts
        .appendAsAssignedCounselor(id, s.orgId(), s.user().id(), clientId, text)
        .onSuccess(
            result -> {
              if (!result.duplicate()) {
                BusNotes.publish(vertx.eventBus(), id, new ConversationNote.Message(result.seq()));
                BusNotes.publish(
                    vertx.eventBus(), s.orgId(), new InboxNote(InboxNote.Kind.ANSWERED, id));
              }
              ConsoleVerticle.json(
                  ctx,
                  200,
                  new JsonObject().put("seq", result.seq()).put("duplicate", result.duplicate()));
            })
        .onFailure(
            e -> {
              if (e instanceof ConversationClosedException
                  || e instanceof nl.veiligpraten.conversation.TranscriptAccessException) {
                // Closed, taken, or another organisation's thread (no key for it): the same answer,
                // nothing stored.
                ConsoleApi.refuse(
                    ctx, 409, "closed", "Dit bericht is niet (meer) in jullie inbox.");
              } else {
                LOG.warn("inbox reply failed: {}", e.getClass().getName());
                ConsoleApi.refuse(
                    ctx, 500, "internal", "Er ging iets mis; het antwoord is niet verstuurd.");
              }
            });
  }

  /**
   * {@code POST /api/inbox/:id/take}: the visitor is back, so the thread becomes a live chat
   * assigned to this counselor; their console opens it like a taken chat and the visitor's page
   * switches to the chat.
   */
  void take(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    UUID id = ConsoleApi.uuidParam(ctx, "id");
    if (id == null || !allowed(s)) {
      ConsoleApi.refuse(ctx, 404, "not_found", "Onbekend bericht.");
      return;
    }
    transcripts
        .conversations()
        .takeFromInbox(id, s.user().id(), s.orgId())
        .onSuccess(
            taken -> {
              if (taken.isEmpty()) {
                ConsoleApi.refuse(
                    ctx, 409, "not_available", "Dit bericht is niet (meer) in jullie inbox.");
                return;
              }
              BusNotes.publish(
                  vertx.eventBus(),
                  id,
                  new ConversationNote.Assigned(taken.get().counselorName(), s.user().id(), null));
              BusNotes.publish(vertx.eventBus(), s.user().id(), new StaffUserNote.ChatAssigned(id));
              BusNotes.publish(
                  vertx.eventBus(), s.orgId(), new InboxNote(InboxNote.Kind.TAKEN, id));
              ConsoleVerticle.json(
                  ctx, 200, new JsonObject().put("status", ConversationStatus.ASSIGNED.code()));
            })
        .onFailure(ctx::fail);
  }

  private static AuditContext audit(StaffSession s) {
    return Roles.readsWithReason(s)
        ? new AuditContext(s.user().id(), s.role(), s.orgId(), SUPERVISOR_REASON)
        : AuditContext.staff(s.user().id(), s.role(), s.orgId());
  }
}
