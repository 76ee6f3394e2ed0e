package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.veiligpraten.assignment.AssignmentRepository;
import nl.veiligpraten.assignment.StaffNotes;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.conversation.AppendResult;
import nl.veiligpraten.conversation.ConversationClosedException;
import nl.veiligpraten.conversation.PlainMessage;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.bus.BusNoteException;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.ConversationNote;
import nl.veiligpraten.infra.bus.QueueNote;
import nl.veiligpraten.infra.bus.StaffUserNote;
import nl.veiligpraten.infra.bus.SupervisorAlert;
import nl.veiligpraten.infra.bus.WarmTransfer;
import nl.veiligpraten.routing.config.RuleSet;
import nl.veiligpraten.routing.conversation.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One counselor's console WebSocket: the organisation's live queue, the chats this counselor holds
 * (several side by side) and, for supervisors, chats they silently watch. Like the visitor side,
 * messages and counselor-only notes are delivered from PostgreSQL after a bus notification, with a
 * cursor per chat. Every frame that names a chat is checked against the session's organisation and
 * ownership in the database, never against what the client claims.
 */
final class ConsoleConnection implements ConsoleFrame.Handler {

  /**
   * Every frame type a console client may send (the authorization test iterates over this list).
   */
  static final List<String> FRAME_TYPES = ConsoleFrame.Type.wireNames();

  /** The coded reason of a burst close; stored as the chats' outcome. */
  static final String ABUSE_REASON = Outcome.ABUSE.code();

  /** Chats one burst close may name. */
  static final int MAX_BURST = 200;

  /** Close code of a socket whose session is over (logged out, expired or deleted). */
  static final short SESSION_ENDED = 4401;

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleConnection.class);
  private static final int PAGE = 200;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final nl.veiligpraten.infra.web.SocketLiveness liveness;
  private final StaffSession session;
  private final TranscriptService<?> transcripts;
  private final ConsoleServices services;
  private final ConsoleApi api;
  private final ConsoleAuth auth;
  private final int maxMessageBytes;
  private final Map<UUID, Chat> chats = new HashMap<>();
  private final java.time.Duration offerTime;

  /** Warm transfers this counselor offered and that wait for the colleague, by offer id. */
  private final Map<UUID, SentOffer> sentOffers = new HashMap<>();

  /** Offers shown on this socket (offer id to chat): only these can be answered here. */
  private final Map<UUID, UUID> shownOffers = new HashMap<>();

  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private boolean closed;

  /** Delivery state of one held or watched chat. */
  private static final class Chat {
    MessageConsumer<?> consumer;
    boolean observer;

    /** Why a supervisor watches (the access log requires a reason for supervisor reads). */
    String auditReason;

    long delivered;

    /**
     * Highest message seq announced on the bus: lets a pump take committed messages from memory.
     */
    long announced;

    long notesDelivered;

    /**
     * Notes are read only when one was announced (or once when the chat opens), not on every
     * message.
     */
    boolean notesDirty = true;

    boolean pumping;
    boolean again;

    /**
     * This counselor's appends to the chat, handed to the writer one after the other (each once the
     * one before is in the writer's queue), so the stored order is the order they were typed.
     */
    Future<?> appendChain = Future.succeededFuture();

    /**
     * Own messages this socket already got an ack for: the pump passes them without sending them
     * again.
     */
    final java.util.Set<Long> ownAcked = new java.util.HashSet<>();
  }

  /** A warm transfer offered by this counselor, waiting for the colleague's answer. */
  private static final class SentOffer {
    final UUID conversationId;
    final long toStaffId;
    final String note;
    long timer = -1;
    boolean answering;
    MessageConsumer<JsonObject> answers;

    SentOffer(UUID conversationId, long toStaffId, String note) {
      this.conversationId = conversationId;
      this.toStaffId = toStaffId;
      this.note = note;
    }
  }

  ConsoleConnection(
      Vertx vertx,
      ServerWebSocket socket,
      StaffSession session,
      TranscriptService<?> transcripts,
      ConsoleServices services,
      ConsoleApi api,
      ConsoleAuth auth,
      java.time.Duration offerTime,
      int maxMessageBytes) {
    this.offerTime = offerTime;
    this.vertx = vertx;
    this.socket = socket;
    this.liveness = new nl.veiligpraten.infra.web.SocketLiveness(socket);
    this.session = session;
    this.transcripts = transcripts;
    this.services = services;
    this.api = api;
    this.auth = auth;
    this.maxMessageBytes = maxMessageBytes;
  }

  StaffSession session() {
    return session;
  }

  /**
   * The session behind this socket is over (logout on any node, expiry, or deleted): the console is
   * told why in a {@code session-ended} frame and the socket closes with 4401, so the page shows
   * the sign-in screen instead of reconnecting (issue 20, finding 7).
   */
  void sessionEnded(ConsoleAuth.Ended why) {
    if (closed) {
      return;
    }
    LOG.info("console socket of staff {} closed: session {}", me(), why.code);
    send(ConsoleOut.sessionEnded(why.code));
    socket.close(SESSION_ENDED, "session ended");
  }

  private long me() {
    return session.user().id();
  }

  void start() {
    // Text messages are decoded strictly: invalid UTF-8 closes with 1007 (issue 20, finding 12).
    nl.veiligpraten.infra.web.StrictTextFrames.install(socket, maxMessageBytes, this::onText);
    socket.binaryMessageHandler(
        b -> {
          liveness.heard();
          error("malformed", "Binary frames are not supported.", null);
        });
    socket.exceptionHandler(
        e -> LOG.debug("console socket error: {}", e.getClass().getSimpleName()));
    consumers.add(BusNotes.onQueue(vertx.eventBus(), session.orgId(), n -> sendQueue()));
    if (Roles.chats(session)) {
      // Issue 19: the message inbox changed (a message left, a reply, a visitor back or gone): the
      // page re-reads
      // the list over HTTP. Codes and ids only.
      consumers.add(
          BusNotes.onInbox(
              vertx.eventBus(),
              session.orgId(),
              n -> send(ConsoleOut.inbox(n.kind(), n.conversationId().toString()))));
    }
    consumers.add(
        vertx
            .eventBus()
            .<String>consumer(
                Addresses.staffSession(session.busKey()),
                m -> sessionEnded(ConsoleAuth.Ended.ofCode(m.body()))));
    StaffUserNote.Handler mine = assigned -> hold(assigned.conversationId(), false, null);
    consumers.add(BusNotes.onStaffUser(vertx.eventBus(), me(), n -> n.accept(mine)));
    consumers.add(
        vertx.eventBus().<JsonObject>consumer(Addresses.transferOffers(me()), this::onOffer));
    if (Roles.supervises(session)) {
      // Supervisor alerts of the organisation, from every node, codes and conversation ids only:
      // suicide risk
      // marked by a counselor, a P0 claim held at P1 after a flood, a chat about to miss its
      // target, an unanswered
      // assignment moved on, a gone counselor's chats back in the queue.
      consumers.add(
          BusNotes.onSupervisors(
              vertx.eventBus(), session.orgId(), alert -> send(ConsoleOut.alert(alert.toJson()))));
    }
    send(
        ConsoleOut.hello(
            ConsoleVerticle.userJson(session.user()),
            services.liveness().clientPingSeconds(),
            services.liveness().pongTimeoutSeconds()));
    sendQueue();
    api.statusOf(session).onSuccess(status -> send(ConsoleOut.status(status)));
    // After the chats this counselor holds have been announced, one "chats" frame lists them: a
    // page that comes
    // back after a drop resends its unacknowledged messages for these and marks the others as not
    // sent.
    transcripts
        .conversations()
        .assignedTo(me())
        .compose(
            list -> {
              List<Future<Void>> held = new ArrayList<>();
              list.forEach(c -> held.add(hold(c.id(), false, null)));
              return Future.join(held)
                  .transform(
                      ignored -> {
                        JsonArray ids = new JsonArray();
                        list.forEach(
                            c -> {
                              if (chats.containsKey(c.id())) {
                                ids.add(c.id().toString());
                              }
                            });
                        return Future.succeededFuture(ids);
                      });
            })
        .onSuccess(ids -> send(ConsoleOut.chats(ids)))
        .onFailure(e -> internal("start", null, e));
    // Chats the visitor ended that still wait for this counselor's outcome come back after a reload
    // too.
    services
        .assignments()
        .pendingOutcomes(me())
        .onSuccess(
            list ->
                list.forEach(
                    p -> {
                      if (session.orgId().equals(p.item().orgId())) {
                        UUID id = p.item().id();
                        send(ConsoleOut.outcomePending(api.card(p.item())));
                        // The messages once, so the counselor can choose the outcome with the
                        // conversation in view (access-logged
                        // like every staff read).
                        transcripts
                            .readForStaff(
                                id,
                                session.orgId(),
                                0,
                                PAGE,
                                AuditContext.staff(me(), session.role(), session.orgId()))
                            .onSuccess(
                                messages -> messages.forEach(m -> send(ConsoleOut.message(id, m))))
                            .onFailure(e -> internal("start", id, e));
                      }
                    }))
        .onFailure(e -> internal("start", null, e));
  }

  /**
   * Pings the console and cuts it when it has been silent too long (heartbeats both ways); true
   * when cut.
   */
  boolean checkLiveness(long silenceNanos, long pingEveryNanos) {
    return !closed && liveness.check(silenceNanos, pingEveryNanos);
  }

  void goingAway() {
    if (!closed) {
      send(ConsoleOut.reconnect());
      socket.close((short) 1001, "going away");
    }
  }

  /**
   * Decodes a text frame and hands it to its handler method (see {@link ConsoleFrame.Handler}). A
   * frame the decoder refuses is answered with an {@code error} frame and changes nothing, not even
   * the session's idle timer.
   */
  private void onText(String text) {
    liveness.heard();
    ConsoleFrame frame;
    try {
      frame = ConsoleFrameDecoder.decode(text);
    } catch (ConsoleFrameException e) {
      UUID named = e.conversationId();
      if (e.clientId() != null && named != null) {
        messageError(e.code(), e.getMessage(), named, e.clientId());
      } else {
        error(e.code(), e.getMessage(), named == null ? null : named.toString());
      }
      return;
    }
    if (frame.type() != ConsoleFrame.Type.PING) {
      // What the counselor does keeps the session alive; the page's own heartbeats do not.
      auth.userAction(session);
    }
    try {
      frame.dispatch(this);
    } catch (RuntimeException e) {
      // A handler that throws is a defect: logged (class only, never content) and answered, the
      // socket keeps serving.
      internal(frame.type().wire(), null, e);
    }
  }

  @Override
  public void ping(ConsoleFrame.Ping frame) {
    send(ConsoleOut.pong());
  }

  // ---- taking chats
  // ---------------------------------------------------------------------------------------------

  @Override
  public void take(ConsoleFrame.Take frame) {
    UUID id = frame.conversationId();
    if (!nl.veiligpraten.infra.cluster.ClusterHealth.of(vertx).acceptsAssignments()) {
      error(
          "no_quorum",
          "Deze server neemt nu geen nieuwe gesprekken aan; probeer het zo opnieuw.",
          null);
      return;
    }
    Future<AssignmentRepository.Result> taken =
        id == null
            ? services.assignments().pickNext(me(), session.orgId())
            : services.assignments().pick(id, me(), session.orgId());
    taken
        .onSuccess(
            r -> {
              String cid = id == null ? null : id.toString();
              switch (r.outcome()) {
                case ASSIGNED -> {
                  // The chat is held here before the visitor is told: a message sent right after
                  // "assigned" is accepted.
                  hold(r.conversationId(), false, null)
                      .onComplete(ar -> AutoAssigner.announce(vertx, session.orgId(), r));
                }
                case AT_CAPACITY ->
                    refused("at_capacity", "Je hebt al het maximum aantal gesprekken.", cid);
                case NOT_ALLOWED -> refused("forbidden", "Je mag geen gesprekken aannemen.", cid);
                default ->
                    refused("not_available", "Dit gesprek is niet (meer) in jullie wachtrij.", cid);
              }
            })
        .onFailure(e -> internal("take", id, e));
  }

  /**
   * Starts showing a chat: as its owner, or (supervisor) as a silent observer. Checked against the
   * database.
   */
  private Future<Void> hold(UUID id, boolean observer, String auditReason) {
    if (closed || (chats.containsKey(id) && chats.get(id).observer == observer)) {
      return Future.succeededFuture();
    }
    return services
        .assignments()
        .item(id)
        .onSuccess(
            found -> {
              boolean mine =
                  found.isPresent()
                      && ConsoleAccess.mayShow(
                          session,
                          found.get().item().orgId(),
                          found.get().status(),
                          found.get().counselorId(),
                          observer);
              if (!mine || closed) {
                if (observer) {
                  refused("not_found", "Onbekend gesprek.", id.toString());
                }
                return;
              }
              Chat chat = chats.get(id);
              if (chat == null) {
                chat = new Chat();
                // Role and reason first (issue 20, finding 8): a local consumer's registration
                // completes at once, so the
                // first pump, and the audited read in it, runs right in the onSuccess below, before
                // anything set later.
                chat.observer = observer;
                chat.auditReason = auditReason;
                chats.put(id, chat);
                chat.consumer = BusNotes.onConversation(vertx.eventBus(), id, n -> onNote(id, n));
                chat.consumer.completion().onSuccess(v -> pump(id));
              } else {
                chat.observer = observer;
                chat.auditReason = auditReason;
              }
              send(
                  ConsoleOut.assigned(
                      api.card(found.get().item()), observer, found.get().status().code()));
            })
        .onFailure(e -> internal("hold", id, e))
        .mapEmpty();
  }

  // ---- messages, typing, closing
  // --------------------------------------------------------------------------------

  @Override
  public void message(ConsoleFrame.Message frame) {
    UUID id = frame.conversationId();
    Chat chat = chats.get(id);
    String clientId = frame.clientId();
    String body = frame.body();
    if (denied(frame, id)) {
      LOG.info("console frame refused (not_yours) for staff {}", me());
      messageError("not_yours", "Je hebt dit gesprek niet.", id, clientId);
      return;
    }
    // Ownership (assigned to me, in my organisation) is checked under the append's own row lock: no
    // extra query.
    // The next message of this chat is handed over once this one is in the writer's queue, not once
    // it is stored:
    // the writer keeps queue order, so a counselor who types fast gets their messages in one batch,
    // in order.
    Promise<Void> queued = Promise.promise();
    Future<AppendResult> stored =
        chat.appendChain.transform(
            ignored ->
                transcripts.appendAsAssignedCounselor(
                    id, session.orgId(), me(), clientId, body, queued));
    chat.appendChain = queued.future();
    // If the hand-over itself failed before it reached the writer, the chat's next message must not
    // wait forever.
    stored.onComplete(ar -> queued.tryComplete());
    stored
        .onSuccess(
            result -> {
              Chat held = chats.get(id);
              if (held != null && result.seq() > held.delivered) {
                held.ownAcked.add(result.seq());
              }
              send(ConsoleOut.ack(id, clientId, result.seq(), result.duplicate()));
              if (!result.duplicate()) {
                BusNotes.publish(vertx.eventBus(), id, new ConversationNote.Message(result.seq()));
              }
            })
        .onFailure(
            e -> {
              if (e instanceof ConversationClosedException) {
                LOG.info("console frame refused (closed) for staff {}", me());
                messageError("closed", "Dit gesprek is gesloten of niet van jou.", id, clientId);
              } else {
                LOG.warn(
                    "console message failed for staff {} in conversation {}: {}",
                    me(),
                    id,
                    e.getClass().getName());
                messageError(
                    "internal", "Er ging iets mis; het bericht is niet verzonden.", id, clientId);
              }
            });
  }

  /**
   * A refused or failed message: the page marks exactly that message as not sent (by its clientId).
   */
  private void messageError(String code, String message, UUID id, String clientId) {
    send(ConsoleOut.messageError(code, message, id, clientId));
  }

  @Override
  public void close(ConsoleFrame.Close frame) {
    UUID id = frame.conversationId();
    String outcome = frame.outcome();
    List<String> tags = frame.tags();
    services
        .assignments()
        .close(id, me(), outcome, tags)
        .onSuccess(
            org -> {
              if (org.isEmpty()) {
                recordOutcome(id, outcome, tags);
                return;
              }
              BusNotes.publish(
                  vertx.eventBus(),
                  id,
                  new ConversationNote.Closed(outcome, ConversationNote.Party.COUNSELOR));
              // Capacity freed: the auto-assigner may hand this counselor the next chat.
              BusNotes.publish(vertx.eventBus(), session.orgId(), QueueNote.CAPACITY);
            })
        .onFailure(e -> internal("close", id, e));
  }

  /**
   * A close of a chat that is no longer open: when the visitor ended it while this counselor held
   * it, this records the counselor's outcome (once; statistics then count it like a chat the
   * counselor closed).
   */
  private void recordOutcome(UUID id, String outcome, List<String> tags) {
    services
        .assignments()
        .recordOutcome(id, me(), outcome, tags)
        .onSuccess(
            org -> {
              if (org.isEmpty()) {
                refused(
                    "not_yours",
                    "Je hebt dit gesprek niet (meer), of de uitkomst is al vastgelegd.",
                    id.toString());
                return;
              }
              send(ConsoleOut.closed(id, outcome, "counselor", false));
            })
        .onFailure(e -> internal("close", id, e));
  }

  @Override
  public void typing(ConsoleFrame.Typing frame) {
    UUID id = frame.conversationId();
    if (!denied(frame, id)) {
      BusNotes.publish(
          vertx.eventBus(), id, new ConversationNote.Typing(ConversationNote.Party.COUNSELOR));
    } else {
      refused("not_yours", "Je hebt dit gesprek niet.", id.toString());
    }
  }

  @Override
  public void status(ConsoleFrame.Status frame) {
    String status = frame.status();
    api.setStatus(session, status)
        .onSuccess(v -> send(ConsoleOut.status(status)))
        .onFailure(e -> internal("status", null, e));
  }

  // ---- transfers and referrals
  // ----------------------------------------------------------------------------------

  /**
   * Transfer within the organisation, with a note: warm to a colleague (an offer they accept, see
   * {@link #offer}), or cold back to the queue (at its head).
   */
  @Override
  public void transfer(ConsoleFrame.Transfer frame) {
    UUID id = frame.conversationId();
    String note = frame.note();
    if (denied(frame, id)) {
      refused("not_yours", "Je hebt dit gesprek niet.", id.toString());
      return;
    }
    // The note is stored only after the transfer committed (a refused transfer changes nothing),
    // and before the
    // receiver is told, so it is there when the chat arrives.
    if (frame.toQueue()) {
      services
          .assignments()
          .transferToQueue(id, me(), session.orgId())
          .compose(ok -> !ok ? Future.succeededFuture(false) : storeNote(id, note).map(true))
          .onSuccess(
              ok -> {
                if (!ok) {
                  refused("not_yours", "Je hebt dit gesprek niet (meer).", id.toString());
                  return;
                }
                release(id, "transferred");
                BusNotes.publish(vertx.eventBus(), id, new ConversationNote.Requeued());
                BusNotes.publish(vertx.eventBus(), session.orgId(), QueueNote.REQUEUED);
              })
          .onFailure(e -> internal("transfer", id, e));
      return;
    }
    offer(id, frame.toStaffId(), note);
  }

  // ---- warm transfer to a colleague: offer, the colleague accepts or declines, then the chat
  // moves ---------------

  /**
   * Offers the chat to a colleague; it stays here until they accept (and is told when they decline
   * or time out).
   */
  private void offer(UUID id, long target, String note) {
    if (target == me()) {
      refused("unknown_colleague", "Onbekende collega.", id.toString());
      return;
    }
    if (sentOffers.values().stream().anyMatch(o -> o.conversationId.equals(id))) {
      refused("offer_open", "Voor dit gesprek staat al een overdracht open.", id.toString());
      return;
    }
    // Checked first, so the counselor hears at once that the colleague is offline or full (and an
    // id of another
    // organisation is refused like an unknown one); accepting checks again under the lock.
    services
        .assignments()
        .presentColleague(target, session.orgId())
        .onSuccess(
            colleague -> {
              if (colleague.isEmpty()) {
                refused(
                    "unknown_colleague",
                    "Deze collega is niet online, of geen collega van jouw organisatie.",
                    id.toString());
              } else if (colleague.get().full()) {
                refused("at_capacity", "Deze collega heeft geen ruimte.", id.toString());
              } else if (!chats.containsKey(id)
                  || sentOffers.values().stream().anyMatch(o -> o.conversationId.equals(id))) {
                refused(
                    "offer_open", "Voor dit gesprek staat al een overdracht open.", id.toString());
              } else {
                sendOffer(id, target, note);
              }
            })
        .onFailure(e -> internal("transfer", id, e));
  }

  private void sendOffer(UUID id, long target, String note) {
    UUID offerId = UUID.randomUUID();
    SentOffer offer = new SentOffer(id, target, note);
    sentOffers.put(offerId, offer);
    offer.timer =
        vertx.setTimer(offerTime.toMillis(), t -> endOffer(offerId, WarmTransfer.End.TIMEOUT));
    offer.answers =
        vertx.eventBus().consumer(Addresses.transferAnswers(offerId), m -> onAnswer(offerId, m));
    int seconds = (int) offerTime.toSeconds();
    WarmTransfer.Offer note0 =
        new WarmTransfer.Offer(offerId, id, me(), session.user().displayName(), note, seconds);
    offer
        .answers
        .completion()
        .compose(
            v ->
                vertx
                    .eventBus()
                    .<JsonObject>request(Addresses.transferOffers(target), note0.toJson()))
        .onSuccess(
            reply -> {
              if (!reply.body().getBoolean("shown", false)) {
                endOffer(offerId, WarmTransfer.End.FAILED);
                return;
              }
              if (sentOffers.get(offerId) == offer) {
                send(
                    ConsoleOut.transferOffered(
                        id, offerId, target, reply.body().getString("name"), seconds));
              }
            })
        // No console of that colleague answered (not online on any node).
        .onFailure(e -> endOffer(offerId, WarmTransfer.End.OFFLINE));
  }

  /**
   * The end of an offer this counselor made: the colleague's console drops it, this one is told
   * unless accepted.
   */
  private void endOffer(UUID offerId, WarmTransfer.End reason) {
    SentOffer offer = sentOffers.remove(offerId);
    if (offer == null) {
      return;
    }
    vertx.cancelTimer(offer.timer);
    offer.answers.unregister();
    vertx
        .eventBus()
        .publish(
            Addresses.transferOffers(offer.toStaffId),
            new WarmTransfer.Ended(offerId, reason).toJson());
    if (reason != WarmTransfer.End.ACCEPTED) {
      send(ConsoleOut.transferDeclined(offer.conversationId, offerId, reason));
    }
  }

  /**
   * The colleague answered. Accepting moves the chat (checked in the database), declining leaves it
   * here.
   */
  private void onAnswer(UUID offerId, io.vertx.core.eventbus.Message<JsonObject> m) {
    SentOffer offer = sentOffers.get(offerId);
    WarmTransfer answer = readTransfer(m.body());
    if (offer == null
        || offer.answering
        || !(answer instanceof WarmTransfer.Answer a)
        || a.staffId() != offer.toStaffId) {
      m.reply(new JsonObject().put("ok", false).put("reason", WarmTransfer.End.WITHDRAWN.code()));
      return;
    }
    if (!a.accept()) {
      m.reply(new JsonObject().put("ok", true));
      endOffer(offerId, WarmTransfer.End.DECLINED);
      return;
    }
    UUID id = offer.conversationId;
    if (!chats.containsKey(id)) {
      m.reply(new JsonObject().put("ok", false).put("reason", WarmTransfer.End.WITHDRAWN.code()));
      endOffer(offerId, WarmTransfer.End.WITHDRAWN);
      return;
    }
    offer.answering = true;
    vertx.cancelTimer(offer.timer);
    // The note is stored only after the transfer committed (a refused transfer changes nothing),
    // and before the
    // colleague is told, so it is there when the chat arrives.
    services
        .assignments()
        .transferToCounselor(id, me(), offer.toStaffId, session.orgId())
        .compose(r -> r.assigned() ? storeNote(id, offer.note).map(r) : Future.succeededFuture(r))
        .onSuccess(
            r -> {
              switch (r.outcome()) {
                case ASSIGNED -> {
                  m.reply(new JsonObject().put("ok", true));
                  endOffer(offerId, WarmTransfer.End.ACCEPTED);
                  release(id, "transferred");
                  AutoAssigner.announce(vertx, session.orgId(), r);
                }
                case AT_CAPACITY -> {
                  m.reply(
                      new JsonObject()
                          .put("ok", false)
                          .put("reason", WarmTransfer.End.AT_CAPACITY.code()));
                  endOffer(offerId, WarmTransfer.End.AT_CAPACITY);
                }
                case NOT_ALLOWED -> {
                  // Not present any more, or not a colleague of this organisation.
                  m.reply(
                      new JsonObject()
                          .put("ok", false)
                          .put("reason", WarmTransfer.End.OFFLINE.code()));
                  endOffer(offerId, WarmTransfer.End.OFFLINE);
                }
                default -> {
                  m.reply(
                      new JsonObject()
                          .put("ok", false)
                          .put("reason", WarmTransfer.End.WITHDRAWN.code()));
                  endOffer(offerId, WarmTransfer.End.WITHDRAWN);
                }
              }
            })
        .onFailure(
            e -> {
              m.reply(
                  new JsonObject().put("ok", false).put("reason", WarmTransfer.End.FAILED.code()));
              endOffer(offerId, WarmTransfer.End.FAILED);
              internal("transfer_answer", id, e);
            });
  }

  /**
   * An offer to this counselor, or its end. Shown only for an open chat of the own organisation.
   */
  private void onOffer(io.vertx.core.eventbus.Message<JsonObject> m) {
    WarmTransfer note = readTransfer(m.body());
    if (note == null) {
      m.reply(new JsonObject().put("shown", false));
    } else if (note instanceof WarmTransfer.Offer o) {
      services
          .assignments()
          .item(o.conversationId())
          .onSuccess(
              found -> {
                boolean open =
                    found.isPresent()
                        && ConsoleAccess.mayBeOffered(
                            session,
                            found.get().item().orgId(),
                            found.get().status(),
                            found.get().counselorId(),
                            o.fromStaffId());
                if (!open || closed) {
                  m.reply(new JsonObject().put("shown", false));
                  return;
                }
                shownOffers.put(o.offerId(), o.conversationId());
                send(
                    ConsoleOut.transferOffer(
                        api.card(found.get().item()),
                        o.offerId(),
                        o.fromName(),
                        o.note(),
                        o.expiresInSeconds()));
                m.reply(
                    new JsonObject().put("shown", true).put("name", session.user().displayName()));
              })
          .onFailure(
              e -> {
                m.reply(new JsonObject().put("shown", false));
                internal("transfer_offer", o.conversationId(), e);
              });
    } else if (note instanceof WarmTransfer.Ended e) {
      UUID id = shownOffers.remove(e.offerId());
      if (id != null) {
        send(ConsoleOut.transferOfferEnded(e.offerId(), id, e.reason().code()));
      }
    } else {
      LOG.warn("warm transfer answer on an offer address");
    }
  }

  /** A warm-transfer note, or null (logged once, without content) when it cannot be read. */
  private static WarmTransfer readTransfer(JsonObject body) {
    try {
      return WarmTransfer.fromJson(body);
    } catch (BusNoteException e) {
      LOG.warn("bus note refused: {}", e.getMessage());
      return null;
    }
  }

  /**
   * The sender withdraws the open offer for a chat before the colleague answered; the chat stays
   * here.
   */
  @Override
  public void transferCancel(ConsoleFrame.TransferCancel frame) {
    UUID id = frame.conversationId();
    var open =
        sentOffers.entrySet().stream()
            .filter(e -> e.getValue().conversationId.equals(id) && !e.getValue().answering)
            .map(Map.Entry::getKey)
            .findFirst();
    if (open.isEmpty()) {
      refused("no_offer", "Er staat geen overdracht open voor dit gesprek.", id.toString());
      return;
    }
    endOffer(open.get(), WarmTransfer.End.WITHDRAWN);
  }

  /** The colleague's answer to an offer shown on this socket. */
  @Override
  public void transferAnswer(ConsoleFrame.TransferAnswer frame) {
    String named = frame.conversationId() == null ? null : frame.conversationId().toString();
    WarmTransfer.Answer answer = new WarmTransfer.Answer(frame.offerId(), me(), frame.accept());
    UUID id = shownOffers.get(answer.offerId());
    if (id == null) {
      refused("offer_gone", "Dit aanbod is niet (meer) open.", named);
      return;
    }
    vertx
        .eventBus()
        .<JsonObject>request(Addresses.transferAnswers(answer.offerId()), answer.toJson())
        .onSuccess(
            reply -> {
              if (!reply.body().getBoolean("ok", false)
                  && shownOffers.remove(answer.offerId()) != null) {
                send(
                    ConsoleOut.transferOfferEnded(
                        answer.offerId(), id, reply.body().getString("reason")));
              }
            })
        .onFailure(
            e -> {
              // The sender's console is gone (or the offer ran out there): nothing moved.
              if (shownOffers.remove(answer.offerId()) != null) {
                send(
                    ConsoleOut.transferOfferEnded(
                        answer.offerId(), id, WarmTransfer.End.WITHDRAWN.code()));
              }
            });
  }

  private Future<Void> storeNote(UUID id, String note) {
    return note.isEmpty()
        ? Future.succeededFuture()
        : services.notes().add(id, session.orgId(), "transfer", me(), note).mapEmpty();
  }

  /**
   * Proposes a referral to another organisation; the visitor is asked for consent before anything
   * is shared.
   */
  @Override
  public void refer(ConsoleFrame.Refer frame) {
    UUID id = frame.conversationId();
    String helpPoint = frame.helpPoint();
    String note = frame.note();
    var target = services.helpPoints().queue(helpPoint);
    if (target.isEmpty() || target.get().orgId().equals(session.orgId())) {
      error(
          "invalid_field",
          "helpPoint must be a queue help point of another organisation.",
          id.toString());
      return;
    }
    if (denied(frame, id)) {
      refused("not_yours", "Je hebt dit gesprek niet.", id.toString());
      return;
    }
    if (!services.helpPoints().openNow(helpPoint)) {
      refused(
          "closed_now",
          "Deze organisatie is nu gesloten; geef de bezoeker de contactgegevens.",
          id.toString());
      return;
    }
    String receiver = target.get().orgId();
    services
        .referrals()
        .offer(id, session.orgId(), receiver, helpPoint, me())
        .compose(
            r -> {
              if (r.isEmpty() || note.isEmpty()) {
                return Future.succeededFuture(r);
              }
              // The handover note is for the receiving organisation, sealed with the chat's data
              // key: readable there only
              // once the visitor consents and the key is wrapped for them, like the transcript (so
              // the visitor does not
              // have to tell the story again). A declined referral leaves it unreadable to them.
              return services
                  .notes()
                  .addFor(id, session.orgId(), receiver, "handover", me(), note)
                  .map(r);
            })
        .onSuccess(
            r -> {
              if (r.isEmpty()) {
                refused(
                    "not_possible",
                    "Doorverwijzen kan nu niet (niet jouw gesprek, of er staat al een vraag open).",
                    id.toString());
                return;
              }
              BusNotes.publish(
                  vertx.eventBus(),
                  id,
                  new ConversationNote.Referral(r.get().id().toString(), "offered"));
            })
        .onFailure(e -> internal("refer", id, e));
  }

  // ---- supervisor: silent join and whisper
  // ----------------------------------------------------------------------

  @Override
  public void join(ConsoleFrame.Join frame) {
    UUID id = frame.conversationId();
    if (denied(frame, id)) {
      refused("forbidden", "Alleen voor leidinggevenden.", id.toString());
      return;
    }
    hold(id, true, frame.reason());
  }

  @Override
  public void leave(ConsoleFrame.Leave frame) {
    UUID id = frame.conversationId();
    if (denied(frame, id)) {
      refused("not_watching", "Je kijkt niet mee met dit gesprek.", id.toString());
      return;
    }
    release(id, "left");
  }

  /**
   * A message only counselors see: stored sealed in table staff_note (never in table message, which
   * is the only table the visitor side reads), announced on the bus as {@code note} which visitor
   * sockets ignore.
   */
  @Override
  public void whisper(ConsoleFrame.Whisper frame) {
    UUID id = frame.conversationId();
    String body = frame.body();
    if (denied(frame, id)) {
      refused("not_yours", "Je hebt of bekijkt dit gesprek niet.", id.toString());
      return;
    }
    services
        .notes()
        .add(id, session.orgId(), "whisper", me(), body)
        .onSuccess(
            seq -> BusNotes.publish(vertx.eventBus(), id, new ConversationNote.NoteAdded(seq)))
        .onFailure(e -> internal("whisper", id, e));
  }

  // ---- routing actions: suicide risk (U1) and route override
  // -----------------------------------------------------

  /**
   * Rule U1: the counselor (or a supervisor watching) sees suicide risk. The chat goes to P0, the
   * visitor gets the 113 card (their socket turns the bus note into the card, and gets it again
   * after a reconnect), and the organisation's supervisors get an alert.
   */
  @Override
  public void suicideRisk(ConsoleFrame.SuicideRisk frame) {
    UUID id = frame.conversationId();
    Chat chat = chats.get(id);
    if (denied(frame, id)) {
      refused("not_yours", "Je hebt of bekijkt dit gesprek niet.", id.toString());
      return;
    }
    Long holder = chat.observer ? null : me();
    services
        .routeActions()
        .markRule(id, session.orgId(), holder, RuleSet.SUICIDE_RISK_RULE)
        .onSuccess(
            marked -> {
              if (marked.isEmpty()) {
                refused("not_yours", "Je hebt dit gesprek niet (meer).", id.toString());
                return;
              }
              BusNotes.publish(
                  vertx.eventBus(),
                  id,
                  new ConversationNote.CounselorRule(RuleSet.SUICIDE_RISK_RULE));
              BusNotes.publish(
                  vertx.eventBus(),
                  session.orgId(),
                  new SupervisorAlert.SuicideRisk(
                      RuleSet.SUICIDE_RISK_RULE,
                      id,
                      marked.get().helpPoint(),
                      0,
                      session.user().displayName(),
                      java.time.Instant.now()));
              LOG.info("rule {} marked by staff {}", RuleSet.SUICIDE_RISK_RULE, me());
            })
        .onFailure(e -> internal("suicide_risk", id, e));
  }

  /**
   * Overrides the suggested route with a coded reason and the route chosen instead. Codes only;
   * recorded in the intake codes and, in the same transaction, as an {@code overridden} statistics
   * event. Moving the chat is a separate step (transfer, or a referral with the visitor's consent).
   */
  @Override
  public void override(ConsoleFrame.RouteOverride frame) {
    UUID id = frame.conversationId();
    String reason = frame.reason().code();
    String helpPoint = frame.helpPoint();
    if (!services.helpPoints().known(helpPoint)) {
      error("invalid_field", "helpPoint must be a configured help point.", id.toString());
      return;
    }
    Chat chat = chats.get(id);
    if (denied(frame, id)) {
      refused("not_yours", "Je hebt of bekijkt dit gesprek niet.", id.toString());
      return;
    }
    Long holder = chat.observer ? null : me();
    String toOrg =
        services.helpPoints().queue(helpPoint).map(HelpPointDirectory.Info::orgId).orElse(null);
    services
        .routeActions()
        .override(id, session.orgId(), holder, reason, helpPoint, toOrg)
        .onSuccess(
            done -> {
              if (done.isEmpty()) {
                refused("not_yours", "Je hebt dit gesprek niet (meer).", id.toString());
                return;
              }
              BusNotes.publish(
                  vertx.eventBus(), id, new ConversationNote.RouteOverridden(reason, helpPoint));
            })
        .onFailure(e -> internal("override", id, e));
  }

  // ---- supervisor control: take over, reassign, close a burst of abuse, confirm a held P0 claim
  // --------------

  /**
   * The supervisor becomes the chat's counselor; the visitor keeps one conversation, the previous
   * owner lets go.
   */
  @Override
  public void takeover(ConsoleFrame.Takeover frame) {
    UUID id = frame.conversationId();
    if (denied(frame, id)) {
      refused("forbidden", "Alleen voor leidinggevenden.", id.toString());
      return;
    }
    services
        .supervisor()
        .give(id, me(), session.orgId(), true)
        .onSuccess(
            h -> {
              if (!h.done()) {
                refused(
                    "not_found",
                    "Dit gesprek is niet (meer) open in jullie organisatie.",
                    id.toString());
                return;
              }
              LOG.info("supervisor {} took over a chat", me());
              AutoAssigner.announce(vertx, session.orgId(), h.result());
              hold(id, false, null);
            })
        .onFailure(e -> internal("takeover", id, e));
  }

  /**
   * Gives an open chat to a named colleague ({@code toStaffId}) or to a queue of the own
   * organisation.
   */
  @Override
  public void reassign(ConsoleFrame.Reassign frame) {
    UUID id = frame.conversationId();
    if (denied(frame, id)) {
      refused("forbidden", "Alleen voor leidinggevenden.", id.toString());
      return;
    }
    if (frame.toStaffId() != null) {
      services
          .supervisor()
          .give(id, frame.toStaffId(), session.orgId(), false)
          .onSuccess(
              h -> {
                switch (h.outcome()) {
                  case ASSIGNED -> {
                    LOG.info("supervisor {} reassigned a chat to a colleague", me());
                    AutoAssigner.announce(vertx, session.orgId(), h.result());
                    send(ConsoleOut.reassignedToColleague(id, h.staffId()));
                  }
                  case AT_CAPACITY ->
                      refused("at_capacity", "Deze collega heeft geen ruimte.", id.toString());
                  case NOT_ALLOWED ->
                      refused("unknown_colleague", "Onbekende collega.", id.toString());
                  default ->
                      refused(
                          "not_found",
                          "Dit gesprek is niet (meer) open in jullie organisatie.",
                          id.toString());
                }
              })
          .onFailure(e -> internal("reassign", id, e));
      return;
    }
    String helpPoint = frame.toHelpPoint();
    var target = services.helpPoints().queue(helpPoint);
    if (target.isEmpty() || !target.get().orgId().equals(session.orgId())) {
      // Another organisation's queue needs the visitor's consent first: that is a referral
      // ("refer").
      refused(
          "other_organisation",
          "Alleen naar een wachtrij van je eigen organisatie; doorverwijzen gaat met "
              + "toestemming van de bezoeker.",
          id.toString());
      return;
    }
    services
        .supervisor()
        .toQueue(id, helpPoint, session.orgId())
        .onSuccess(
            moved -> {
              if (moved.isEmpty()) {
                refused(
                    "not_found",
                    "Dit gesprek is niet (meer) open in jullie organisatie.",
                    id.toString());
                return;
              }
              LOG.info("supervisor {} moved a chat to a queue", me());
              BusNotes.publish(vertx.eventBus(), id, new ConversationNote.Requeued());
              BusNotes.publish(vertx.eventBus(), session.orgId(), QueueNote.REQUEUED);
              send(ConsoleOut.reassignedToQueue(id, helpPoint));
            })
        .onFailure(e -> internal("reassign", id, e));
  }

  /** Closes a burst of abuse chats at once, all or nothing, with the coded reason "misbruik". */
  @Override
  public void closeAbuse(ConsoleFrame.CloseAbuse frame) {
    List<UUID> ids = frame.conversationIds();
    String first = ids.get(0).toString();
    if (denied(frame, null)) {
      refused("forbidden", "Alleen voor leidinggevenden.", first);
      return;
    }
    services
        .supervisor()
        .closeBurst(ids, session.orgId(), ABUSE_REASON)
        .onSuccess(
            closed -> {
              if (closed.isEmpty()) {
                refused(
                    "not_yours",
                    "Niet alle gesprekken zijn van jullie organisatie; er is niets gesloten.",
                    first);
                return;
              }
              LOG.info("supervisor {} closed {} chats as abuse", me(), closed.get().size());
              JsonArray done = new JsonArray();
              for (var c : closed.get()) {
                done.add(c.conversationId().toString());
                BusNotes.publish(
                    vertx.eventBus(),
                    c.conversationId(),
                    new ConversationNote.Closed(ABUSE_REASON, ConversationNote.Party.SUPERVISOR));
              }
              BusNotes.publish(vertx.eventBus(), session.orgId(), QueueNote.LEFT);
              send(ConsoleOut.closedAbuse(done));
            })
        .onFailure(e -> internal("close_abuse", null, e));
  }

  /** Confirms a P0 claim that was queued at P1 after a flood: it becomes P0 again. */
  @Override
  public void confirmP0(ConsoleFrame.ConfirmP0 frame) {
    UUID id = frame.conversationId();
    if (denied(frame, id)) {
      refused("forbidden", "Alleen voor leidinggevenden.", id.toString());
      return;
    }
    services
        .supervisor()
        .confirmP0(id, session.orgId())
        .onSuccess(
            ok -> {
              if (!ok) {
                refused(
                    "not_found",
                    "Geen wachtende P0-melding van jullie organisatie.",
                    id.toString());
                return;
              }
              BusNotes.publish(vertx.eventBus(), session.orgId(), QueueNote.CHANGED);
              send(ConsoleOut.p0Confirmed(id));
            })
        .onFailure(e -> internal("confirm_p0", id, e));
  }

  // ---- notifications and delivery
  // -------------------------------------------------------------------------------

  private void onNote(UUID id, ConversationNote note) {
    Chat chat = chats.get(id);
    if (chat == null) {
      return;
    }
    note.accept(new ChatNotes(id, chat));
  }

  /**
   * What this console does with a note on a held or watched chat; one method per kind, so a new
   * kind is a compile error here until it is handled or explicitly ignored.
   */
  private final class ChatNotes implements ConversationNote.Handler {
    private final UUID id;
    private final Chat chat;

    ChatNotes(UUID id, Chat chat) {
      this.id = id;
      this.chat = chat;
    }

    @Override
    public void message(ConversationNote.Message note) {
      chat.announced = Math.max(chat.announced, note.seq());
      if (!ownMessagesOnly(chat)) {
        pump(id);
      }
    }

    @Override
    public void noteAdded(ConversationNote.NoteAdded note) {
      chat.notesDirty = true;
      pump(id);
    }

    @Override
    public void typing(ConversationNote.Typing note) {
      if (note.from() == ConversationNote.Party.VISITOR) {
        send(ConsoleOut.typing(id));
      }
    }

    @Override
    public void visitorDisconnected(ConversationNote.VisitorDisconnected note) {
      send(ConsoleOut.visitorDisconnected(id));
    }

    // Issue 19: "ik kan nu even niet praten" (the chat stays open, the place is kept for the pause
    // grace) and back.
    @Override
    public void visitorPaused(ConversationNote.VisitorPaused note) {
      send(ConsoleOut.visitorPaused(id));
    }

    @Override
    public void visitorBack(ConversationNote.VisitorBack note) {
      send(ConsoleOut.visitorBack(id));
    }

    @Override
    public void visitorSocket(ConversationNote.VisitorSocket note) {
      // Which of the visitor's devices holds the chat is the gateway's concern.
    }

    @Override
    public void assigned(ConversationNote.Assigned note) {
      if (!chat.observer && note.staffId() != me()) {
        release(id, "transferred");
      }
    }

    @Override
    public void requeued(ConversationNote.Requeued note) {
      release(id, "requeued");
    }

    @Override
    public void referral(ConversationNote.Referral note) {
      send(ConsoleOut.referral(id, note.referralId(), note.state()));
    }

    @Override
    public void referred(ConversationNote.Referred note) {
      release(id, "referred");
    }

    @Override
    public void counselorRule(ConversationNote.CounselorRule note) {
      send(ConsoleOut.counselorRule(id, note.rule()));
    }

    @Override
    public void routeOverridden(ConversationNote.RouteOverridden note) {
      send(ConsoleOut.override(id, note.reason(), note.helpPoint()));
    }

    @Override
    public void deleted(ConversationNote.Deleted note) {
      // The visitor deleted the conversation: its keys and messages are gone, so there is nothing
      // to pump.
      release(id, null);
      transcripts.forget(id);
      send(ConsoleOut.deleted(id));
    }

    @Override
    public void closed(ConversationNote.Closed note) {
      pump(id);
      // A chat the visitor ended stays on the holder's screen until they record an outcome (a
      // "close" frame).
      boolean byVisitor = note.by() == ConversationNote.Party.VISITOR;
      send(ConsoleOut.closed(id, note.outcome(), note.by().code(), byVisitor && !chat.observer));
      release(id, null);
    }
  }

  /**
   * Sends every stored message and note after the chat's cursors; coalesces concurrent
   * notifications.
   */
  /**
   * Passes the announced messages that are this socket's own and already acknowledged (the pump
   * would skip them too) without reading them: a counselor's own message is announced back to their
   * socket once per message, and a read per message cost as much as sending it. True when nothing
   * else is left to pump.
   */
  private static boolean ownMessagesOnly(Chat chat) {
    if (chat.pumping || chat.notesDirty) {
      return false;
    }
    while (chat.delivered < chat.announced && chat.ownAcked.remove(chat.delivered + 1)) {
      chat.delivered++;
    }
    return chat.delivered >= chat.announced;
  }

  private void pump(UUID id) {
    Chat chat = chats.get(id);
    if (chat == null || closed) {
      return;
    }
    if (chat.pumping) {
      chat.again = true;
      return;
    }
    chat.pumping = true;
    chat.again = false;
    // Read with the reader's own organisation key only, and audited (privacy issue); supervisor
    // reads carry a reason.
    AuditContext audit =
        Roles.readsWithReason(session)
            ? new AuditContext(
                me(),
                session.role(),
                session.orgId(),
                chat.observer && chat.auditReason != null
                    ? chat.auditReason
                    : "own chat (assigned to this supervisor)")
            : AuditContext.staff(me(), session.role(), session.orgId());
    Future<List<PlainMessage>> messages =
        transcripts.readForStaff(id, session.orgId(), chat.delivered, chat.announced, PAGE, audit);
    boolean readNotes = chat.notesDirty;
    chat.notesDirty = false;
    Future<? extends List<? extends StaffNotes.Note>> notes =
        messages.compose(
            m ->
                readNotes
                    ? services.notes().after(id, session.orgId(), chat.notesDelivered)
                    : Future.succeededFuture(List.<StaffNotes.Note>of()));
    notes.onComplete(
        ar -> {
          chat.pumping = false;
          if (ar.failed()) {
            chat.notesDirty = chat.notesDirty || readNotes;
            internal("deliver", id, ar.cause());
            return;
          }
          if (chats.get(id) != chat) {
            return;
          }
          for (PlainMessage m : messages.result()) {
            if (m.seq() <= chat.delivered) {
              continue;
            }
            chat.delivered = m.seq();
            if (chat.ownAcked.remove(m.seq())) {
              // The ack already told this page its seq; the page would drop the echo.
              continue;
            }
            send(ConsoleOut.message(id, m));
          }
          for (StaffNotes.Note n : ar.result()) {
            if (n.seq() <= chat.notesDelivered) {
              continue;
            }
            chat.notesDelivered = n.seq();
            send(ConsoleOut.note(id, n));
          }
          if (chat.again || chat.notesDirty || messages.result().size() == PAGE) {
            pump(id);
          }
        });
  }

  private void release(UUID id, String reason) {
    // An open offer for a chat that left this screen is withdrawn (the colleague can no longer
    // accept it).
    new ArrayList<>(sentOffers.entrySet())
        .stream()
            .filter(e -> e.getValue().conversationId.equals(id))
            .forEach(e -> endOffer(e.getKey(), WarmTransfer.End.WITHDRAWN));
    Chat chat = chats.remove(id);
    if (chat != null) {
      chat.consumer.unregister();
      if (reason != null) {
        send(ConsoleOut.released(id, reason));
      }
    }
  }

  private void sendQueue() {
    services
        .assignments()
        .queue(session.orgId(), 200)
        .onSuccess(list -> send(ConsoleOut.queue(api.cards(list))));
  }

  /** How this socket shows the chat: held, watched, or not at all. */
  private ConsoleAccess.View view(UUID id) {
    Chat chat = id == null ? null : chats.get(id);
    return chat == null
        ? ConsoleAccess.View.NONE
        : chat.observer ? ConsoleAccess.View.OBSERVER : ConsoleAccess.View.HOLDER;
  }

  /** The frame's rule ({@link ConsoleAccess#need}) refuses it for this session and this chat. */
  private boolean denied(ConsoleFrame frame, UUID id) {
    return !ConsoleAccess.allows(frame.type(), session, view(id));
  }

  /** Called by the verticle when the socket closed. */
  void closed() {
    closed = true;
    new ArrayList<>(sentOffers.keySet())
        .forEach(offerId -> endOffer(offerId, WarmTransfer.End.WITHDRAWN));
    consumers.forEach(MessageConsumer::unregister);
    chats.values().forEach(c -> c.consumer.unregister());
    chats.clear();
  }

  private void send(JsonObject frame) {
    send(frame.encode());
  }

  private void send(String frame) {
    if (!closed) {
      socket.writeTextMessage(frame);
    }
  }

  /**
   * An authorization or state refusal: logged with code and staff id only (never content), then
   * told.
   */
  private void refused(String code, String message, String conversationId) {
    LOG.info("console frame refused ({}) for staff {}", code, me());
    error(code, message, conversationId);
  }

  private void error(String code, String message, String conversationId) {
    send(ConsoleOut.error(code, message, conversationId));
  }

  /**
   * An unexpected failure: logged once, with the operation, the staff id and the conversation id
   * (null when the operation has none), and answered with an error frame so the counselor never
   * waits in silence (issue 25).
   */
  private void internal(String operation, UUID conversation, Throwable e) {
    // The failure class only: exception messages may carry data from a frame or the database.
    LOG.warn(
        "console {} failed for staff {} in conversation {}: {}",
        operation,
        me(),
        conversation,
        e.getClass().getName());
    error("internal", "Er ging iets mis.", null);
  }
}
