package nl.veiligpraten.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.UUID;
import nl.veiligpraten.conversation.Conversation;
import nl.veiligpraten.conversation.ConversationClosedException;
import nl.veiligpraten.conversation.ConversationRepository;
import nl.veiligpraten.conversation.PlainMessage;
import nl.veiligpraten.conversation.TranscriptService;
import nl.veiligpraten.infra.abuse.KeyedLimiter;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.ConversationNote;
import nl.veiligpraten.infra.bus.InboxNote;
import nl.veiligpraten.infra.bus.QueueNote;
import nl.veiligpraten.infra.bus.SupervisorAlert;
import nl.veiligpraten.infra.web.FrameText;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.routing.conversation.ConversationStatus;
import nl.veiligpraten.routing.conversation.Outcome;
import nl.veiligpraten.routing.wait.QueueWait;
import nl.veiligpraten.staffing.QueueSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One visitor's WebSocket. Runs on its verticle's event loop, so its fields need no locking.
 * Messages reach the visitor only from PostgreSQL: a bus notification makes the connection read
 * everything after the last sequence number it delivered, so nothing is delivered twice or out of
 * order, also after a reconnect.
 */
final class VisitorConnection {

  private static final Logger LOG = LoggerFactory.getLogger(VisitorConnection.class);
  private static final int PAGE = 200;
  static final int CLOSE_GOING_AWAY = 1001;
  static final int CLOSE_REPLACED = 4409;
  static final int CLOSE_NO_HELLO = 4408;
  static final int CLOSE_TOO_BIG = 1009;

  /** Too many failed resume attempts on one socket. */
  static final int CLOSE_TOO_MANY_ATTEMPTS = 4429;

  /**
   * The listener accepts frames up to this many times maxFrameBytes, so oversize ones can be closed
   * with 1009.
   */
  static final int TRANSPORT_LIMIT_FACTOR = 4;

  /**
   * The old estimate (position × 120 s) is no longer shown; {@code ./bench shift} still computes it
   * as the baseline the staffing-aware estimate is measured against.
   */
  static final int OLD_SECONDS_PER_PLACE = 120;

  /**
   * A reload ticket is accepted this long after the visitor's line dropped (issue 19: "about 60
   * s").
   */
  static final long RELOAD_WINDOW_SECONDS = 60;

  /**
   * Queue position is also refreshed on this period, so the estimate moves even when nobody is
   * taken.
   */
  private static final long QUEUE_REFRESH_MS = 30_000;

  private final Vertx vertx;
  private final VisitorTransport socket;
  private final GatewaySettings settings;
  private final TranscriptService<?> transcripts;
  private final ConversationRepository conversations;
  private final IntakeRouting intake;
  private final RateLimiter limiter;
  private final ResumeGuard resume;

  /** Resume attempts (code or token) on this socket; more than the budget closes it. */
  private int resumeAttempts;

  private final String connectionId = Secrets.code(10);

  private UUID conversationId;
  private String orgId;
  private ConversationStatus status;
  private long delivered;

  /** Highest message seq announced on the bus: lets a pump take committed messages from memory. */
  private long announced;

  private boolean pumping;
  private boolean pumpAgain;
  private boolean closed;
  private MessageConsumer<?> consumer;
  private long helloTimer;

  /** Referral consent handling (counselor console issue); set by the verticle. */
  ReferralGateway referrals;

  private boolean replaced;
  private MessageConsumer<?> queueConsumer;
  private long queueTimer = -1;
  private boolean queueRefreshPending;
  private Future<?> appendChain = Future.succeededFuture();

  /**
   * Pause, resume and the resume's "visitor back" UPDATE, in the order they happened (issue 19).
   */
  private Future<Void> backStored = Future.succeededFuture();

  private Runnable whenClosed = () -> {};

  /** Waits, caps and flood limits; set by the verticle. */
  QueueControl queue;

  /** Keyed hash of the socket's network address (never the address itself); set by the verticle. */
  nl.veiligpraten.infra.abuse.AddressHasher.Hashed address;

  /** The routed conversation's intake codes (suggestions, emergency) for the alternatives. */
  private JsonObject intakeCodes;

  /** Queue notes after this moment need a staffing view read after it. */
  private long queueChangedAt;

  VisitorConnection(
      Vertx vertx,
      VisitorTransport socket,
      GatewaySettings settings,
      TranscriptService<?> transcripts,
      IntakeRouting intake,
      ResumeGuard resume) {
    this.vertx = vertx;
    this.resume = resume;
    this.socket = socket;
    this.settings = settings;
    this.transcripts = transcripts;
    this.conversations = transcripts.conversations();
    this.intake = intake;
    this.limiter = new RateLimiter(settings.messagesPerSecond(), settings.burst());
  }

  /**
   * Installs the socket's handlers. {@code whenClosed} runs once when the socket closes; the
   * listener removes the connection from its set there. It is called from this connection's own
   * close handler because a socket has only one close handler: one installed by the caller before
   * {@code start()} would be replaced here, and every closed connection would stay reachable from
   * the listener's set (issue 20, finding 1).
   */
  void start(Runnable whenClosed) {
    this.whenClosed = whenClosed;
    helloTimer =
        vertx.setTimer(
            settings.helloTimeout().toMillis(),
            id -> {
              if (conversationId == null && !closed) {
                socket.close(CLOSE_NO_HELLO, "no hello");
              }
            });
    socket.textHandler(this::onText);
    socket.binaryHandler(
        length -> {
          socket.heard();
          if (length > settings.maxFrameBytes()) {
            socket.close(CLOSE_TOO_BIG, "frame too big");
          } else {
            error("malformed", "Binary frames are not supported.");
          }
        });
    socket.closeHandler(v -> onClose());
  }

  /**
   * Pings the socket and cuts it when it has been silent too long (heartbeats both ways); true when
   * cut.
   */
  boolean checkLiveness(long silenceNanos, long pingEveryNanos) {
    return !closed && socket.check(silenceNanos, pingEveryNanos);
  }

  void goingAway() {
    if (!closed) {
      send(new JsonObject().put("type", "reconnect").put("reason", "server_restart"));
      socket.close(CLOSE_GOING_AWAY, "going away");
    }
  }

  private void onText(String text) {
    socket.heard();
    if (tooBig(text)) {
      socket.close(CLOSE_TOO_BIG, "frame too big");
      return;
    }
    if (!limiter.tryAcquire()) {
      error(
          "rate_limited",
          "Je stuurt te snel berichten. Wacht even. / You are sending too fast, please wait.");
      return;
    }
    VisitorFrame frame;
    try {
      frame = VisitorFrameDecoder.decode(text);
    } catch (FrameException e) {
      error(e.code(), e.getMessage());
      return;
    }
    try {
      handle(frame);
    } catch (FrameException e) {
      error(e.code(), e.getMessage());
    } catch (IntakeRouting.InvalidIntakeException e) {
      send(e.toJson().put("type", "error").put("code", "invalid_answer"));
    } catch (RuntimeException e) {
      // Thrown before a future took it over: without this the visitor got no answer (issue 25).
      internal(operation(frame), e);
    }
  }

  /** A frame's name for the log: its record's name, never its content. */
  private static String operation(VisitorFrame frame) {
    return frame.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * UTF-8 size above the limit; only counted exactly when the character count makes it possible.
   */
  private boolean tooBig(String text) {
    int max = settings.maxFrameBytes();
    if (text.length() > max) {
      return true;
    }
    return text.length() * 3L > max
        && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > max;
  }

  private void handle(VisitorFrame frame) {
    if (frame instanceof VisitorFrame.Hello hello) {
      onHello(hello);
      return;
    }
    if (frame instanceof VisitorFrame.Ping) {
      send(new JsonObject().put("type", "pong"));
      return;
    }
    if (conversationId == null) {
      throw new FrameException("no_session", "Send a hello frame first.");
    }
    if (frame instanceof VisitorFrame.Answers a) {
      onAnswers(a);
    } else if (frame instanceof VisitorFrame.Choose c) {
      onChoose(c);
    } else if (frame instanceof VisitorFrame.Message m) {
      onMessage(m);
    } else if (frame instanceof VisitorFrame.LeaveMessage l) {
      onLeaveMessage(l);
    } else if (frame instanceof VisitorFrame.Typing) {
      notifyConversation(new ConversationNote.Typing(ConversationNote.Party.VISITOR));
    } else if (frame instanceof VisitorFrame.Read) {
      // Accepted for the page's sake, but read receipts are not built (issue 18 left them out):
      // nobody listened to
      // the bus note it used to publish, so it publishes nothing (issue 25).
    } else if (frame instanceof VisitorFrame.Consent c && referrals != null) {
      referrals.consent(conversationId, c, this::send);
    } else if (frame instanceof VisitorFrame.Bye b) {
      onBye(b);
    } else if (frame instanceof VisitorFrame.Delete) {
      onDelete();
    } else if (frame instanceof VisitorFrame.Pause) {
      // Told after the row says so: the counselor's "even pauze" and the longer grace agree. After
      // the resume's own
      // "visitor back" UPDATE, which would otherwise clear this pause again.
      UUID id = conversationId;
      backStored =
          backStored
              .transform(ignored -> conversations.visitorPaused(id))
              .onSuccess(v -> notifyConversation(new ConversationNote.VisitorPaused()))
              .onFailure(e -> internal("pause", e))
              .transform(ignored -> Future.<Void>succeededFuture());
    } else if (frame instanceof VisitorFrame.Resume) {
      UUID id = conversationId;
      backStored =
          backStored
              .transform(ignored -> conversations.visitorBack(id))
              .onSuccess(v -> notifyConversation(new ConversationNote.VisitorBack()))
              .onFailure(e -> internal("resume", e))
              .transform(ignored -> Future.<Void>succeededFuture());
    } else {
      throw new FrameException("unexpected", "Frame not expected now.");
    }
  }

  private void onHello(VisitorFrame.Hello hello) {
    if (conversationId != null) {
      throw new FrameException("already_started", "This socket already has a conversation.");
    }
    // The hello timer keeps running until a conversation is attached: a socket whose hellos all
    // fail (an unknown
    // resume code, say) is closed like one that never said hello (issue 20, finding 4).
    Future<Optional<Conversation>> lookup;
    if (hello.resumeToken() == null && hello.resumeCode() == null && hello.reloadTicket() == null) {
      startNew();
      return;
    }
    if (++resumeAttempts > resume.perConnection()) {
      resume.failed(vertx, "hello", "connection_limit");
      socket.close(CLOSE_TOO_MANY_ATTEMPTS, "too many attempts");
      return;
    }
    boolean reload = hello.resumeToken() == null && hello.reloadTicket() != null;
    if (hello.resumeToken() != null) {
      lookup = conversations.byResumeHash(Secrets.sha256(hello.resumeToken()));
    } else if (reload) {
      // 256 random bits like the token, so no address budget; single use: consumed here whatever
      // the outcome.
      lookup =
          conversations.takeReloadTicket(
              Secrets.sha256(hello.reloadTicket()), RELOAD_WINDOW_SECONDS);
    } else if (resume.admitCode(vertx, socket.remoteAddress(), "hello")) {
      lookup = conversations.byResumeCodeHash(resume.lookupHash(hello.resumeCode()));
    } else {
      error(
          "rate_limited",
          "Te veel pogingen. Probeer het over een paar minuten opnieuw. / Too many attempts, "
              + "please try again in a few minutes.");
      return;
    }
    lookup
        .onSuccess(
            found -> {
              if (found.isEmpty() || found.get().isClosed()) {
                resume.failed(vertx, "hello", "unknown");
                error(
                    "unknown_resume",
                    "Dit gesprek bestaat niet meer. / This conversation no longer exists.");
                return;
              }
              if (reload) {
                // The old page's memory (and its resume token) is gone: the reloaded page gets a
                // new token; the old one is
                // worthless from now on.
                String token = Secrets.token();
                conversations
                    .rotateResumeToken(found.get().id(), Secrets.sha256(token))
                    .onComplete(
                        r -> {
                          if (r.failed()) {
                            internal("hello", r.cause());
                            return;
                          }
                          attach(found.get(), hello.lastSeq(), token, null);
                          visitorBack(found.get());
                        });
                return;
              }
              attach(found.get(), hello.lastSeq(), null, null);
              visitorBack(found.get());
            })
        .onFailure(e -> internal("hello", e));
  }

  /**
   * The visitor is back on a resumed conversation: clears the drop, tells the console, and for an
   * inbox thread the organisation's inbox. From the looked-up row, not this connection's fields:
   * attach sets those only after the reload-ticket UPDATE.
   */
  private void visitorBack(Conversation conversation) {
    UUID id = conversation.id();
    String org = conversation.orgId();
    boolean inbox = conversation.status() == ConversationStatus.INBOX;
    // A pause the page sends right after the welcome (it was paused while offline) must land after
    // this UPDATE,
    // which clears the pause flag; otherwise the later statement would undo the pause (issue 19).
    Future<Void> back = conversations.visitorBack(id);
    backStored = back.transform(ignored -> Future.<Void>succeededFuture());
    back.onComplete(
        r -> {
          BusNotes.publish(vertx.eventBus(), id, new ConversationNote.VisitorBack());
          if (inbox) {
            // The console's inbox shows who is back now (a thread can become a live chat while the
            // visitor is here).
            BusNotes.publish(vertx.eventBus(), org, new InboxNote(InboxNote.Kind.BACK, id));
          }
        });
  }

  private void startNew() {
    KeyedLimiter.Verdict verdict =
        queue == null ? KeyedLimiter.Verdict.ALLOWED : queue.newConversations().tryAcquire(address);
    if (!verdict.allowed()) {
      LOG.info(
          "new conversation refused: {} reached",
          verdict == KeyedLimiter.Verdict.ADDRESS_LIMIT ? "per-address limit" : "node limit");
      // The page shows 112 itself (Q0 is built in); the frame carries it too, so no refusal hides
      // it.
      send(
          new JsonObject()
              .put("type", "error")
              .put("code", "busy")
              .put("emergencyNumber", nl.veiligpraten.routing.RoutingEngine.EMERGENCY_NUMBER)
              .put(
                  "message",
                  "Er starten nu heel veel gesprekken tegelijk. Probeer het over een minuut opnieuw. "
                      + "Ben je nu in gevaar? Bel 112. / Very many chats are starting right now. Please try again in a "
                      + "minute. In danger now? Call 112."));
      // The hello timer keeps running: a socket that never gets a conversation is closed by it.
      return;
    }
    UUID id = UUID.randomUUID();
    String token = Secrets.token();
    String code = Secrets.code(ResumeGuard.CODE_LENGTH);
    conversations
        .create(id, Secrets.sha256(token), resume.codeHash(code))
        .compose(v -> conversations.byId(id))
        .onSuccess(c -> attach(c.orElseThrow(), 0, token, code))
        .onFailure(e -> internal("hello", e));
  }

  private void attach(Conversation conversation, long lastSeq, String newToken, String newCode) {
    if (closed) {
      return;
    }
    // A new single-use reload ticket at every (re)connect (issue 19); the earlier one is worthless
    // from now on. It is
    // stored before the welcome, so a reload right after the welcome never meets the old hash.
    String ticket = Secrets.token();
    conversations
        .setReloadTicket(conversation.id(), Secrets.sha256(ticket))
        .onComplete(
            r -> {
              if (r.failed()) {
                // Without a ticket only a reload is lost (the resume token and code still work):
                // logged, and the chat goes on.
                LOG.warn("reload ticket not stored: {}", r.cause().getClass().getName());
              }
              attachNow(conversation, lastSeq, newToken, newCode, r.succeeded() ? ticket : null);
            });
  }

  private void attachNow(
      Conversation conversation, long lastSeq, String newToken, String newCode, String ticket) {
    if (closed) {
      return;
    }
    vertx.cancelTimer(helloTimer);
    conversationId = conversation.id();
    orgId = conversation.orgId();
    status = conversation.status();
    intakeCodes = parse(conversation.intakeJson());
    delivered = Math.min(lastSeq, conversation.nextSeq());
    // Any older socket of the same conversation (on any node) is told to go: one live socket per
    // conversation.
    BusNotes.publish(
        vertx.eventBus(), conversationId, new ConversationNote.VisitorSocket(connectionId));
    consumer = BusNotes.onConversation(vertx.eventBus(), conversationId, n -> n.accept(notes));
    JsonObject welcome =
        new JsonObject()
            .put("type", "welcome")
            .put("v", VisitorFrame.VERSION)
            .put("status", status.code())
            .put("lastSeq", conversation.nextSeq());
    if (newToken != null) {
      welcome.put("resumeToken", newToken);
    }
    if (newCode != null) {
      welcome.put("resumeCode", newCode);
    }
    if (conversation.helpPoint() != null) {
      welcome.put("helpPoint", conversation.helpPoint());
    }
    if (ticket != null) {
      welcome.put("reloadTicket", ticket);
    }
    send(welcome);
    if (status == ConversationStatus.ASSIGNED) {
      send(new JsonObject().put("type", "assigned").put("counselor", conversation.counselorName()));
    }
    if (referrals != null && status == ConversationStatus.ASSIGNED) {
      referrals.resendOpen(conversationId, this::send);
    }
    // A counselor rule (U1) stays visible after a reconnect or on another device: it is recorded in
    // the intake.
    counselorRules(conversation.intakeJson()).forEach(this::sendCounselorRule);
    consumer
        .completion()
        .onSuccess(
            v -> {
              if (status == ConversationStatus.QUEUED) {
                sendQueued();
                watchQueue();
              }
              pump();
            });
  }

  private void onChoose(VisitorFrame.Choose choose) {
    if (status != ConversationStatus.INTAKE) {
      throw new FrameException("already_routed", "A help point was already chosen.");
    }
    // The staffing view first (from memory, or one shared read): the route, its cards and the
    // closed-choice options
    // are decided with the queues staffed now, so the page and the engine say the same (rule N1).
    snapshot(queueChangedAt)
        .onSuccess(snapshot -> guarded("choose", () -> chosen(choose, snapshot)));
  }

  private void chosen(VisitorFrame.Choose choose, QueueSnapshot snapshot) {
    if (status != ConversationStatus.INTAKE || closed) {
      return;
    }
    java.util.Set<String> staffed = staffed(snapshot);
    Optional<IntakeRouting.Route> route =
        intake.route(choose.helpPoint(), choose.answers(), staffed);
    if (route.isEmpty()) {
      // No dead end (N1): with the card come the options of the visitor's own route that are
      // reachable now, which
      // the page shows when the card itself is not known to be open now.
      send(
          new JsonObject()
              .put("type", "card")
              .put("helpPoint", choose.helpPoint())
              .put("card", intake.card(choose.helpPoint(), staffed))
              .put(
                  "alternatives",
                  intake.openAlternatives(choose.answers(), choose.helpPoint(), staffed))
              // the engine's view of the closed choice: when it opens, which of its lines are open
              // now
              .put(
                  "options",
                  intake.unavailableOptions(choose.helpPoint(), choose.answers(), staffed)));
      return;
    }
    IntakeRouting.Route r = route.get();
    JsonObject codes = r.intakeCodes().copy();
    if (choose.lang() != null) {
      // Top level, beside the answers: the statistics trigger and the console's skills read
      // intake.lang.
      codes.put("lang", choose.lang().key());
    }
    if (!intake.isOpenNow(choose.helpPoint())) {
      // Out of hours: nothing is queued; the page shows the hours, other help and 112.
      unavailable(r, "closed", snapshot);
      return;
    }
    if (r.priority() > 0 && queue != null && queue.waits().full(snapshot, r.helpPoint())) {
      // A full queue is said before anything is queued (a P0 claim is never refused, so it skips
      // the cap).
      unavailable(r, "full", snapshot);
      return;
    }
    int priority = r.priority();
    KeyedLimiter.Verdict p0 = KeyedLimiter.Verdict.ALLOWED;
    if (priority == 0 && queue != null) {
      p0 = queue.p0Claims().tryAcquire(address);
      if (!p0.allowed()) {
        // Beyond the limit a P0 claim is still queued (never refused; the visitor saw 112 already),
        // at P1 until
        // a supervisor confirms it, so a flood cannot push real visitors down the queue.
        priority = 1;
      }
    }
    queueAs(r, priority, p0, codes);
  }

  /** The page language the visitor chose the help point in ({@code intake.lang}), or null. */
  private String visitorLanguage() {
    return intakeCodes != null && intakeCodes.getValue("lang") instanceof String l ? l : null;
  }

  /** The queue help points staffed now according to this event loop's snapshot (unknown = none). */
  private java.util.Set<String> staffed(QueueSnapshot snapshot) {
    return queue == null ? java.util.Set.of() : queue.waits().staffedQueues(snapshot);
  }

  /**
   * Runs a step that continues after the asynchronous staffing read: its refusals and failures
   * still answer the visitor with an error frame (outside {@code onText}'s handler they would
   * otherwise be lost).
   */
  private void guarded(String operation, Runnable step) {
    try {
      step.run();
    } catch (FrameException e) {
      error(e.code(), e.getMessage());
    } catch (IntakeRouting.InvalidIntakeException e) {
      send(e.toJson().put("type", "error").put("code", "invalid_answer"));
    } catch (RuntimeException e) {
      internal(operation, e);
    }
  }

  private void queueAs(
      IntakeRouting.Route r, int priority, KeyedLimiter.Verdict p0, JsonObject codes) {
    transcripts
        .route(conversationId, r.orgId(), r.helpPoint(), priority, r.rulesVersion(), codes.encode())
        .compose(
            routed -> {
              if (routed.isEmpty() || p0.allowed()) {
                return Future.succeededFuture(routed);
              }
              return queue.staffing().holdP0Claim(conversationId).map(routed);
            })
        .onSuccess(
            routed -> {
              if (routed.isEmpty()) {
                error("already_routed", "A help point was already chosen.");
                return;
              }
              status = ConversationStatus.QUEUED;
              orgId = r.orgId();
              intakeCodes = codes;
              if (!p0.allowed()) {
                LOG.info(
                    "P0 claim held at P1 for a supervisor: {} reached",
                    p0 == KeyedLimiter.Verdict.ADDRESS_LIMIT ? "per-address limit" : "node limit");
                BusNotes.publish(
                    vertx.eventBus(),
                    orgId,
                    new SupervisorAlert.P0Held(
                        conversationId,
                        r.helpPoint(),
                        p0 == KeyedLimiter.Verdict.ADDRESS_LIMIT ? "address" : "node"));
              }
              BusNotes.publish(vertx.eventBus(), orgId, QueueNote.QUEUED);
              sendQueued();
              watchQueue();
            })
        .onFailure(e -> internal("choose", e));
  }

  /** Nothing is queued; the visitor gets the help point's card and what is open now instead. */
  private void unavailable(IntakeRouting.Route r, String reason, QueueSnapshot snapshot) {
    java.util.Set<String> staffed = staffed(snapshot);
    JsonObject frame =
        new JsonObject()
            .put("type", "unavailable")
            .put("helpPoint", r.helpPoint())
            .put("reason", reason)
            .put("card", intake.card(r.helpPoint(), staffed));
    JsonArray open = new JsonArray();
    try {
      open = intake.openAlternatives(QueueWaits.answers(r.intakeCodes()), r.helpPoint(), staffed);
      frame.put(
          "alternatives",
          queue == null
              ? open
              : queue
                  .waits()
                  .alternatives(
                      snapshot,
                      open,
                      QueueWaits.suggested(r.intakeCodes()),
                      r.priority(),
                      null,
                      "full".equals(reason) ? r.helpPoint() : null));
      // the routing engine's view of the closed choice: when it opens and which of its lines are
      // open now (N1)
      frame.put(
          "options",
          intake.unavailableOptions(r.helpPoint(), QueueWaits.answers(r.intakeCodes()), staffed));
    } catch (RuntimeException e) {
      // The visitor must always get an answer (never "Even geduld…" for ever): the routing core's
      // list then.
      LOG.warn("alternatives for an unavailable help point failed: {}", e.toString());
      frame.put("alternatives", open);
    }
    send(frame);
  }

  /**
   * The staffing view (read after {@code after} when that is set); unknown when it cannot be read.
   */
  private Future<QueueSnapshot> snapshot(long after) {
    if (queue == null) {
      return Future.succeededFuture(QueueSnapshot.EMPTY);
    }
    Future<QueueSnapshot> read =
        after == 0 ? queue.view().current() : queue.view().takenAfter(after);
    return read.recover(
        e -> {
          // Unknown counts as not staffed: the visitor is told nobody is there rather than promised
          // someone.
          LOG.warn("staffing view failed: {}", e.getClass().getName());
          return Future.succeededFuture(QueueSnapshot.EMPTY);
        });
  }

  private static JsonObject parse(String json) {
    try {
      return json == null ? null : new JsonObject(json);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private void onAnswers(VisitorFrame.Answers a) {
    IntakeStep.answer(intake, queue, a)
        .onSuccess(this::send)
        .onFailure(e -> internal("answers", e));
  }

  private void sendQueued() {
    if (queue == null) {
      return;
    }
    long after = queueChangedAt;
    queue
        .staffing()
        .place(conversationId)
        .onSuccess(
            place -> {
              if (place.isEmpty() || status != ConversationStatus.QUEUED) {
                return;
              }
              snapshot(after)
                  .onSuccess(
                      snapshot -> {
                        if (status != ConversationStatus.QUEUED) {
                          return;
                        }
                        var p = place.get();
                        QueueWait wait = queue.waits().forQueued(snapshot, p.orgId(), p.ahead());
                        JsonObject frame =
                            QueueWaits.json(wait)
                                .put("type", "queued")
                                .put("position", p.position());
                        String lang = visitorLanguage();
                        String skill =
                            lang == null
                                ? null
                                : nl.veiligpraten.assignment.IntakeSkills.LANGUAGE_SKILLS.get(lang);
                        if (skill != null) {
                          // Issue 23: whether someone on shift speaks the visitor's language, and
                          // if not, in which language the
                          // counselor will most likely write (assignment prefers a speaker, then
                          // English, see AssignmentRepository).
                          java.util.Set<String> present = snapshot.presentSkills(p.orgId());
                          boolean spoken = present.contains(skill);
                          frame.put(
                              "language",
                              new JsonObject()
                                  .put("lang", lang)
                                  .put("spoken", spoken)
                                  .put(
                                      "writes",
                                      spoken
                                          ? lang
                                          : nl.veiligpraten.assignment.IntakeSkills.writesIn(
                                              lang, present)));
                        }
                        if (!wait.staffed()) {
                          // Nobody who can answer is there now: say so, and what is open now
                          // instead.
                          JsonArray open;
                          try {
                            open =
                                intake.openAlternatives(
                                    QueueWaits.answers(intakeCodes),
                                    p.helpPoint(),
                                    staffed(snapshot));
                          } catch (IntakeRouting.InvalidIntakeException e) {
                            // Answers stored under an older rules version: the 24/7 lines are still
                            // offered.
                            open = new JsonArray();
                          }
                          frame.put(
                              "alternatives",
                              queue
                                  .waits()
                                  .alternatives(
                                      snapshot,
                                      open,
                                      QueueWaits.suggested(intakeCodes),
                                      p.priority(),
                                      p.orgId(),
                                      null));
                        }
                        send(frame);
                      });
            })
        .onFailure(e -> internal("queue_place", e));
  }

  /**
   * While queued, any change in the organisation's queue (queued, taken, left) refreshes the
   * visitor's place.
   */
  private void watchQueue() {
    if (queueConsumer != null || orgId == null || closed) {
      return;
    }
    queueConsumer = BusNotes.onQueue(vertx.eventBus(), orgId, n -> refreshQueueSoon());
    queueTimer = vertx.setPeriodic(QUEUE_REFRESH_MS, t -> refreshQueueSoon());
  }

  /** Coalesces bursts of queue notifications into one position query. */
  private void refreshQueueSoon() {
    queueChangedAt = System.nanoTime();
    if (queueRefreshPending || status != ConversationStatus.QUEUED) {
      if (status != ConversationStatus.QUEUED) {
        unwatchQueue();
      }
      return;
    }
    queueRefreshPending = true;
    vertx.setTimer(
        200,
        t -> {
          queueRefreshPending = false;
          sendQueued();
        });
  }

  private void unwatchQueue() {
    if (queueConsumer != null) {
      queueConsumer.unregister();
      queueConsumer = null;
    }
    if (queueTimer >= 0) {
      vertx.cancelTimer(queueTimer);
      queueTimer = -1;
    }
  }

  /**
   * Issue 19: the visitor leaves a message for the chosen organisation instead of queueing. The
   * conversation moves from intake into the organisation's inbox with its own data key (sealed like
   * any transcript) and a new 16 character message code replaces the resume code; the message is
   * stored like a chat message, and only after its commit does the page get the ack and the code. A
   * retry after a failure (status already 'inbox') gets a fresh code: the earlier one was never
   * shown.
   */
  private void onLeaveMessage(VisitorFrame.LeaveMessage leave) {
    String code = Secrets.code(ResumeGuard.MESSAGE_CODE_LENGTH);
    if (status == ConversationStatus.INBOX) {
      conversations
          .newInboxCode(conversationId, resume.codeHash(code))
          .onSuccess(
              found -> {
                if (found.isEmpty()) {
                  error("closed", "Dit gesprek is gesloten. / This conversation is closed.");
                } else {
                  storeLeftMessage(leave.message(), code);
                }
              })
          .onFailure(e -> internal("leave_message", e));
      return;
    }
    if (status != ConversationStatus.INTAKE) {
      throw new FrameException("already_routed", "A help point was already chosen.");
    }
    // The stored route (suggestions, also-offers) with the last staffing this event loop read: a
    // message does not
    // wait for anyone online, so no fresh read is needed here.
    Optional<IntakeRouting.Route> route =
        intake.route(
            leave.helpPoint(),
            leave.answers(),
            staffed(queue == null ? QueueSnapshot.EMPTY : queue.view().last()));
    if (route.isEmpty()) {
      throw new FrameException("no_inbox", "This help point does not take messages here.");
    }
    IntakeRouting.Route r = route.get();
    JsonObject codes = r.intakeCodes().copy().put("channel", "message");
    if (leave.lang() != null) {
      codes.put("lang", leave.lang().key());
    }
    transcripts
        .toInbox(
            conversationId,
            r.orgId(),
            r.helpPoint(),
            r.priority(),
            r.rulesVersion(),
            codes.encode(),
            resume.codeHash(code))
        .onSuccess(
            left -> {
              if (left.isEmpty()) {
                error("already_routed", "A help point was already chosen.");
                return;
              }
              status = ConversationStatus.INBOX;
              orgId = r.orgId();
              intakeCodes = codes;
              storeLeftMessage(leave.message(), code);
            })
        .onFailure(e -> internal("leave_message", e));
  }

  private void storeLeftMessage(VisitorFrame.Message message, String code) {
    appendChain =
        appendChain
            .transform(
                ignored ->
                    transcripts.append(
                        conversationId, orgId, "visitor", null, message.clientId(), message.body()))
            .onSuccess(
                result -> {
                  send(
                      FrameText.of("ack")
                          .put("clientId", message.clientId())
                          .put("seq", result.seq())
                          .put("duplicate", result.duplicate())
                          .encode());
                  send(new JsonObject().put("type", "message-left").put("code", code));
                  notifyConversation(new ConversationNote.Message(result.seq()));
                  BusNotes.publish(
                      vertx.eventBus(), orgId, new InboxNote(InboxNote.Kind.LEFT, conversationId));
                })
            .onFailure(
                e -> {
                  if (e instanceof ConversationClosedException) {
                    error("closed", "Dit gesprek is gesloten. / This conversation is closed.");
                  } else {
                    internal("leave_message", e);
                  }
                });
  }

  private void onMessage(VisitorFrame.Message message) {
    if (orgId == null) {
      throw new FrameException("not_routed", "Choose a help point before sending messages.");
    }
    // One append at a time per socket, in arrival order: concurrent transactions could otherwise
    // commit a later
    // message (e.g. a new one right after a resend) before an earlier one, and the transcript order
    // would not be
    // the order the visitor typed.
    appendChain =
        appendChain
            .transform(
                ignored ->
                    transcripts.append(
                        conversationId, orgId, "visitor", null, message.clientId(), message.body()))
            .onSuccess(
                result -> {
                  send(
                      FrameText.of("ack")
                          .put("clientId", message.clientId())
                          .put("seq", result.seq())
                          .put("duplicate", result.duplicate())
                          .encode());
                  if (!result.duplicate()) {
                    notifyConversation(new ConversationNote.Message(result.seq()));
                    if (status == ConversationStatus.INBOX) {
                      BusNotes.publish(
                          vertx.eventBus(),
                          orgId,
                          new InboxNote(InboxNote.Kind.REPLY, conversationId));
                    }
                  }
                })
            .onFailure(
                e -> {
                  if (e instanceof ConversationClosedException) {
                    error("closed", "Dit gesprek is gesloten. / This conversation is closed.");
                  } else {
                    internal("message", e);
                  }
                });
  }

  private void onBye(VisitorFrame.Bye bye) {
    String outcome = (bye.hurry() ? Outcome.VISITOR_LEFT_HURRY : Outcome.VISITOR_LEFT).code();
    conversations
        .closeByVisitor(conversationId, outcome)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("visitor close not stored: {}", ar.cause().getClass().getName());
              }
              // The page sends the quick-exit beacon beside the bye (issue 19): whichever closed
              // the chat tells the counselor,
              // so "left in a hurry" shows once.
              boolean closedElsewhere = ar.succeeded() && ar.result().isEmpty();
              if (!closedElsewhere) {
                notifyConversation(
                    new ConversationNote.Closed(outcome, ConversationNote.Party.VISITOR));
                if (orgId != null) {
                  BusNotes.publish(vertx.eventBus(), orgId, QueueNote.LEFT);
                }
              }
              send(new JsonObject().put("type", "closed").put("outcome", outcome));
              socket.close(1000, "ended");
            });
  }

  /**
   * Delete on request: keys and messages go at once; the counselor's console is told, then the
   * socket closes.
   */
  private void onDelete() {
    UUID id = conversationId;
    transcripts
        .eraseOnRequest(id)
        .onSuccess(
            erased -> {
              status = ConversationStatus.CLOSED;
              notifyConversation(new ConversationNote.Deleted());
              // Every node drops a cached data key of this conversation.
              vertx.eventBus().publish(Addresses.PRIVACY_SHREDDED, id.toString());
              if (orgId != null) {
                BusNotes.publish(vertx.eventBus(), orgId, QueueNote.LEFT);
                BusNotes.publish(
                    vertx.eventBus(), orgId, new InboxNote(InboxNote.Kind.DELETED, id));
              }
              send(
                  new JsonObject()
                      .put("type", "deleted")
                      .put(
                          "message",
                          "Je gesprek is gewist. / Your conversation has been deleted."));
              socket.close(1000, "ended");
            })
        .onFailure(e -> internal("delete", e));
  }

  /**
   * What this visitor's socket does with each note on its conversation's address; one method per
   * kind, so a new kind is a compile error here until it is handled or explicitly ignored.
   */
  private final ConversationNote.Handler notes =
      new ConversationNote.Handler() {
        @Override
        public void message(ConversationNote.Message note) {
          announced = Math.max(announced, note.seq());
          // A pump takes every gap-free message memory holds, so it often delivers past what was
          // announced; a note
          // for a message this socket already sent must not start a read (it would go to PostgreSQL
          // for nothing).
          if (announced > delivered) {
            pump();
          }
        }

        @Override
        public void noteAdded(ConversationNote.NoteAdded note) {
          // Staff notes (whispers) are for the console only.
        }

        @Override
        public void typing(ConversationNote.Typing note) {
          if (note.from() != ConversationNote.Party.VISITOR) {
            send(new JsonObject().put("type", "typing").put("from", "counselor"));
          }
        }

        @Override
        public void visitorPaused(ConversationNote.VisitorPaused note) {
          // This socket's own pause, told to the console.
        }

        @Override
        public void visitorBack(ConversationNote.VisitorBack note) {
          // This socket's own return, told to the console.
        }

        @Override
        public void visitorDisconnected(ConversationNote.VisitorDisconnected note) {
          // A socket of this visitor went away; told to the console.
        }

        @Override
        public void visitorSocket(ConversationNote.VisitorSocket note) {
          if (!connectionId.equals(note.connection()) && !closed) {
            send(
                new JsonObject()
                    .put("type", "error")
                    .put("code", "replaced")
                    .put(
                        "message",
                        "Dit gesprek is op een ander apparaat geopend. / Opened on another device."));
            // The new socket owns the conversation now: this close must not mark the visitor as
            // gone.
            replaced = true;
            socket.close(CLOSE_REPLACED, "replaced");
          }
        }

        @Override
        public void assigned(ConversationNote.Assigned note) {
          status = ConversationStatus.ASSIGNED;
          unwatchQueue();
          JsonObject assigned =
              new JsonObject().put("type", "assigned").put("counselor", note.counselor());
          // Issue 23: in which language the counselor writes, from the counselor's language skills
          // (Dutch always).
          String lang = visitorLanguage();
          if (lang != null && note.skills() != null) {
            assigned.put(
                "writes", nl.veiligpraten.assignment.IntakeSkills.writesIn(lang, note.skills()));
          }
          send(assigned);
        }

        @Override
        public void requeued(ConversationNote.Requeued note) {
          status = ConversationStatus.QUEUED;
          sendQueued();
          // Back in its own queue (the counselor went away or did not answer): follow the place
          // again.
          watchQueue();
        }

        @Override
        public void referral(ConversationNote.Referral note) {
          if (referrals != null && "offered".equals(note.state())) {
            referrals.offered(conversationId, note.referralId(), VisitorConnection.this::send);
          }
        }

        @Override
        public void referred(ConversationNote.Referred note) {
          status = ConversationStatus.QUEUED;
          sendQueued();
          watchQueue();
        }

        @Override
        public void counselorRule(ConversationNote.CounselorRule note) {
          sendCounselorRule(note.rule());
        }

        @Override
        public void routeOverridden(ConversationNote.RouteOverridden note) {
          // An override is the console's record; the visitor's page learns the new queue from
          // requeued/referred.
        }

        @Override
        public void closed(ConversationNote.Closed note) {
          status = ConversationStatus.CLOSED;
          if (note.by() != ConversationNote.Party.VISITOR) {
            pump();
            send(new JsonObject().put("type", "closed").put("outcome", note.outcome()));
          }
        }

        @Override
        public void deleted(ConversationNote.Deleted note) {
          // This socket deleted it (and closes itself), or another device of the visitor did: that
          // one was replaced.
        }
      };

  /**
   * Reads and sends every stored message after the last one delivered; coalesces concurrent
   * notifications.
   */
  private void pump() {
    if (orgId == null || closed) {
      return;
    }
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    pumpAgain = false;
    transcripts
        .read(conversationId, orgId, delivered, announced, PAGE)
        .onComplete(
            ar -> {
              pumping = false;
              if (ar.failed()) {
                internal("deliver", ar.cause());
                return;
              }
              for (PlainMessage m : ar.result()) {
                if (m.seq() <= delivered) {
                  continue;
                }
                delivered = m.seq();
                FrameText frame =
                    FrameText.of("message", m.body().length())
                        .put("seq", m.seq())
                        .put("from", m.sender())
                        .put("body", m.body())
                        .put("at", m.createdAt().toInstant().toString());
                if ("visitor".equals(m.sender())) {
                  frame.put("clientId", m.clientId());
                }
                send(frame.encode());
              }
              if (pumpAgain || ar.result().size() == PAGE) {
                pump();
              }
            });
  }

  /** The visitor's card of a counselor-triggered rule (U1: the 113 card, at P0). */
  private void sendCounselorRule(String rule) {
    intake.counselorRule(rule).ifPresent(card -> send(card.copy().put("type", "urgent-card")));
  }

  /** Counselor rules recorded in a conversation's intake codes ({@code counselorRules: ["U1"]}). */
  static java.util.List<String> counselorRules(String intakeJson) {
    if (intakeJson == null || !intakeJson.contains("counselorRules")) {
      return java.util.List.of();
    }
    try {
      io.vertx.core.json.JsonArray rules =
          new JsonObject(intakeJson).getJsonArray("counselorRules");
      return rules == null
          ? java.util.List.of()
          : rules.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    } catch (RuntimeException e) {
      LOG.warn("stored intake codes unreadable: {}", e.getClass().getName());
      return java.util.List.of();
    }
  }

  private void notifyConversation(ConversationNote note) {
    BusNotes.publish(vertx.eventBus(), conversationId, note);
  }

  private void onClose() {
    closed = true;
    whenClosed.run();
    vertx.cancelTimer(helloTimer);
    if (consumer != null) {
      consumer.unregister();
    }
    unwatchQueue();
    if (conversationId != null && status != ConversationStatus.CLOSED && !replaced) {
      // Told after the row says so, so whatever the counselor's side reads next agrees with
      // "visitor gone".
      conversations
          .visitorLeft(conversationId)
          .onComplete(
              r -> {
                if (r.failed()) {
                  LOG.warn("visitor left not stored: {}", r.cause().getClass().getName());
                }
                notifyConversation(new ConversationNote.VisitorDisconnected());
                if (status == ConversationStatus.INBOX && orgId != null) {
                  BusNotes.publish(
                      vertx.eventBus(), orgId, new InboxNote(InboxNote.Kind.GONE, conversationId));
                }
              });
    }
  }

  private void send(JsonObject frame) {
    send(frame.encode());
  }

  private void send(String frame) {
    if (!closed) {
      socket.write(frame);
    }
  }

  private void error(String code, String message) {
    send(new JsonObject().put("type", "error").put("code", code).put("message", message));
  }

  /**
   * An unexpected failure: logged once, with the operation and the conversation id, and answered
   * with an error frame so the visitor never waits in silence (issue 25).
   */
  private void internal(String operation, Throwable e) {
    // The failure class only: exception messages may carry data from a frame or the database.
    LOG.warn(
        "visitor {} failed in state {} for conversation {}: {}",
        operation,
        status == null ? null : status.code(),
        conversationId,
        e.getClass().getName());
    error(
        "internal",
        "Er ging iets mis. Probeer het opnieuw. / Something went wrong, please try again.");
  }
}
