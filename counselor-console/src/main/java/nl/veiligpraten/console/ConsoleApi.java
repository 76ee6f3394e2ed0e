package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.veiligpraten.assignment.AssignmentRepository;
import nl.veiligpraten.assignment.IntakeSkills;
import nl.veiligpraten.assignment.QueueItem;
import nl.veiligpraten.cannedreply.CannedReplyRepository;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.bus.BusNotes;
import nl.veiligpraten.infra.bus.QueueNote;
import nl.veiligpraten.referral.Referral;
import nl.veiligpraten.routing.conversation.ConversationStatus;
import nl.veiligpraten.routing.staff.Role;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.Totp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's HTTP routes beyond login: TOTP enrolment, the ordered queue and intake preview,
 * colleagues and referral targets, canned replies, referrals, the supervisor board and availability
 * (staff and organisation administration: {@link StaffAdminApi}). Every handler reads the
 * organisation from the session, never from the request, so an id of another organisation can only
 * ever miss.
 */
final class ConsoleApi {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleApi.class);
  static final List<String> STATUSES = List.of("available", "away", "busy");

  private final Vertx vertx;
  private final StaffRepository staff;
  private final ConsoleServices services;
  private final AutoAssigner assigner;
  private final CannedReplyRepository canned;

  ConsoleApi(
      Vertx vertx,
      StaffRepository staff,
      ConsoleServices services,
      AutoAssigner assigner,
      CannedReplyRepository canned) {
    this.vertx = vertx;
    this.staff = staff;
    this.services = services;
    this.assigner = assigner;
    this.canned = canned;
  }

  // ---- TOTP enrolment
  // -------------------------------------------------------------------------------------------

  void enrolTotp(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    byte[] secret = Totp.newSecret();
    String uri = Totp.otpauthUri("Veilig Praten", s.user().username(), secret);
    // Stored sealed under the server key (issue 20, finding 6), like the active secret.
    staff
        .setPendingTotp(s.user().id(), services.totpSealer().seal(s.user().id(), secret))
        .onSuccess(
            v ->
                ConsoleVerticle.json(
                    ctx,
                    200,
                    new JsonObject()
                        .put("secret", Totp.base32(secret))
                        .put("otpauthUri", uri)
                        .put("qrPng", TotpQr.pngBase64(uri))))
        .onFailure(ctx::fail);
  }

  void confirmTotp(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    JsonObject body = body(ctx);
    String code = body != null && body.getValue("code") instanceof String c ? c : null;
    staff
        .pendingTotp(s.user().id())
        .compose(
            pending -> {
              if (pending.isEmpty()) {
                return Future.succeededFuture("no_pending");
              }
              long step =
                  Totp.matchingStep(
                      services.totpSealer().open(s.user().id(), pending.get()),
                      code,
                      Totp.stepAt(System.currentTimeMillis() / 1000));
              if (step < 0) {
                return Future.succeededFuture("bad_totp");
              }
              return staff.confirmTotp(s.user().id(), step).map(ok -> ok ? "ok" : "totp_reused");
            })
        .onSuccess(
            result -> {
              if ("ok".equals(result)) {
                ConsoleVerticle.json(ctx, 200, new JsonObject().put("status", "enrolled"));
              } else {
                refuse(
                    ctx,
                    400,
                    result,
                    "De code klopt niet of is al gebruikt. / Wrong or used code.");
              }
            })
        .onFailure(ctx::fail);
  }

  // ---- queue and intake preview
  // ---------------------------------------------------------------------------------

  void queue(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (!Roles.chats(s) && !Roles.supervises(s)) {
      refuse(ctx, 403, "forbidden", "Your role has no queue.");
      return;
    }
    services
        .assignments()
        .queue(s.orgId(), 200)
        .onSuccess(
            list -> ConsoleVerticle.json(ctx, 200, new JsonObject().put("queue", cards(list))))
        .onFailure(ctx::fail);
  }

  /**
   * Intake preview before a manual pick: only for a chat queued in, or held by, the user's
   * organisation.
   */
  void preview(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    UUID id = uuidParam(ctx, "id");
    if (id == null || (!Roles.chats(s) && !Roles.supervises(s))) {
      refuse(ctx, 404, "not_found", "Onbekend gesprek.");
      return;
    }
    services
        .assignments()
        .item(id)
        .onSuccess(
            found -> {
              if (found.isEmpty()
                  || !s.orgId().equals(found.get().item().orgId())
                  || found.get().status().isFinal()
                  || (found.get().status() == ConversationStatus.ASSIGNED
                      && !Roles.supervises(s)
                      && !Long.valueOf(s.user().id()).equals(found.get().counselorId()))) {
                refuse(ctx, 404, "not_found", "Onbekend gesprek.");
                return;
              }
              ConsoleVerticle.json(
                  ctx, 200, card(found.get().item()).put("status", found.get().status().code()));
            })
        .onFailure(ctx::fail);
  }

  JsonArray cards(List<QueueItem> items) {
    JsonArray out = new JsonArray();
    items.forEach(i -> out.add(card(i)));
    return out;
  }

  /**
   * The intake summary card: answers, route and why, priority, waiting time, easy-language flag.
   */
  JsonObject card(QueueItem i) {
    JsonObject intake;
    try {
      intake = new JsonObject(i.intakeJson() == null ? "{}" : i.intakeJson());
    } catch (RuntimeException e) {
      intake = new JsonObject();
    }
    JsonObject out =
        new JsonObject()
            .put("conversationId", i.id().toString())
            .put("helpPoint", i.helpPoint())
            .put(
                "helpPointName",
                services
                    .helpPoints()
                    .queue(i.helpPoint())
                    .map(HelpPointDirectory.Info::name)
                    .orElse(i.helpPoint()))
            .put("priority", i.priority())
            .put("waitingSeconds", i.waitingSeconds())
            .put("intake", intake)
            .put("easyLanguage", IntakeSkills.easyLanguage(i.intakeJson()))
            .put("skills", new JsonArray(IntakeSkills.of(i.intakeJson())))
            .put("queueHead", i.queueHead())
            .put("transferCount", i.transferCount());
    services
        .helpPoints()
        .target(i.helpPoint(), i.priority())
        .ifPresent(
            t ->
                out.put("targetSeconds", t)
                    .put("overdue", i.priority() <= 1 && i.waitingSeconds() > t));
    return out;
  }

  // ---- colleagues, referral targets, referrals
  // ------------------------------------------------------------------

  void colleagues(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (s.orgId() == null) {
      ConsoleVerticle.json(ctx, 200, new JsonObject().put("staff", new JsonArray()));
      return;
    }
    staff
        .staffOf(s.orgId())
        .onSuccess(
            list -> {
              JsonArray out = new JsonArray();
              list.stream()
                  .filter(u -> Role.fromCode(u.role()).holdsChats())
                  .forEach(u -> out.add(staffJson(u)));
              ConsoleVerticle.json(ctx, 200, new JsonObject().put("staff", out));
            })
        .onFailure(ctx::fail);
  }

  static JsonObject staffJson(StaffRepository.StaffLoad u) {
    return new JsonObject()
        .put("id", u.id())
        .put("displayName", u.displayName())
        .put("role", u.role())
        .put("status", u.status())
        .put("online", u.online())
        .put("load", u.load())
        .put("capacity", u.capacity())
        .put("skills", new JsonArray(u.skills()));
  }

  /**
   * Queue help points of other organisations (referral targets) and of the own organisation
   * (transfers).
   */
  void helpPoints(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    JsonArray out = new JsonArray();
    for (HelpPointDirectory.Info i : services.helpPoints().queues().values()) {
      out.add(
          new JsonObject()
              .put("id", i.id())
              .put("name", i.name())
              .put("own", i.orgId().equals(s.orgId()))
              .put("openNow", services.helpPoints().openNow(i.id())));
    }
    ConsoleVerticle.json(ctx, 200, new JsonObject().put("helpPoints", out));
  }

  void referrals(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (s.orgId() == null) {
      ConsoleVerticle.json(ctx, 200, new JsonObject().put("referrals", new JsonArray()));
      return;
    }
    services
        .referrals()
        .ofOrganisation(s.orgId(), 50)
        .onSuccess(
            list -> {
              JsonArray out = new JsonArray();
              list.forEach(r -> out.add(referralJson(r, s.orgId())));
              ConsoleVerticle.json(ctx, 200, new JsonObject().put("referrals", out));
            })
        .onFailure(ctx::fail);
  }

  static JsonObject referralJson(Referral r, String viewerOrg) {
    return new JsonObject()
        .put("referralId", r.id().toString())
        .put("conversationId", r.conversationId().toString())
        .put("fromOrg", r.fromOrg())
        .put("toOrg", r.toOrg())
        .put("toHelpPoint", r.toHelpPoint())
        .put("state", r.state())
        .put("direction", r.fromOrg().equals(viewerOrg) ? "sent" : "received")
        .put("createdAt", r.createdAt().toInstant().toString());
  }

  // ---- canned replies
  // -------------------------------------------------------------------------------------------

  void canned(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (s.orgId() == null) {
      ConsoleVerticle.json(ctx, 200, new JsonObject().put("canned", new JsonArray()));
      return;
    }
    canned
        .of(s.orgId())
        .onSuccess(
            list -> {
              JsonArray out = new JsonArray();
              list.forEach(
                  c ->
                      out.add(
                          new JsonObject()
                              .put("id", c.id())
                              .put("title", c.title())
                              .put("body", c.body())
                              .put("own", c.orgId() != null)));
              ConsoleVerticle.json(ctx, 200, new JsonObject().put("canned", out));
            })
        .onFailure(ctx::fail);
  }

  void addCanned(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (!Roles.orgAdmin(s)) {
      refuse(
          ctx,
          403,
          "forbidden",
          "Alleen de beheerder van de organisatie. / Organisation admins only.");
      return;
    }
    JsonObject body = body(ctx);
    String title = body != null && body.getValue("title") instanceof String t ? t.strip() : "";
    String text = body != null && body.getValue("body") instanceof String b ? b.strip() : "";
    if (title.isEmpty() || title.length() > 60 || text.isEmpty() || text.length() > 2000) {
      refuse(ctx, 400, "invalid_field", "title 1-60 and body 1-2000 characters.");
      return;
    }
    canned
        .add(s.orgId(), title, text)
        .onSuccess(id -> ConsoleVerticle.json(ctx, 201, new JsonObject().put("id", id)))
        .onFailure(ctx::fail);
  }

  void deleteCanned(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      refuse(ctx, 404, "not_found", "Unknown canned reply.");
      return;
    }
    if (!Roles.orgAdmin(s)) {
      refuse(ctx, 403, "forbidden", "Organisation admins only.");
      return;
    }
    canned
        .delete(id, s.orgId())
        .onSuccess(
            ok -> {
              if (ok) {
                ConsoleVerticle.json(ctx, 200, new JsonObject().put("status", "deleted"));
              } else {
                refuse(ctx, 404, "not_found", "Unknown canned reply.");
              }
            })
        .onFailure(ctx::fail);
  }

  // ---- availability
  // ---------------------------------------------------------------------------------------------

  void status(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    JsonObject body = body(ctx);
    String status = body != null && body.getValue("status") instanceof String v ? v : null;
    if (!Roles.chats(s) || !STATUSES.contains(status)) {
      refuse(ctx, 400, "invalid_field", "status must be one of " + STATUSES);
      return;
    }
    setStatus(s, status)
        .onSuccess(v -> ConsoleVerticle.json(ctx, 200, new JsonObject().put("status", status)))
        .onFailure(ctx::fail);
  }

  Future<Void> setStatus(StaffSession s, String status) {
    return staff
        .setStatus(s.user().id(), status)
        .onSuccess(
            v -> {
              if ("available".equals(status)) {
                assigner.run(s.orgId());
              }
              // Cached staffed-now views are stale; waiting visitors recompute whether their queue
              // is staffed.
              vertx
                  .eventBus()
                  .publish(Addresses.STAFFING, new JsonObject().put("orgId", s.orgId()));
              BusNotes.publish(vertx.eventBus(), s.orgId(), QueueNote.STAFFING);
            });
  }

  /** The stored availability of the session's user (shown again after a reload). */
  Future<String> statusOf(StaffSession s) {
    return staff
        .staffOf(s.orgId())
        .map(
            list ->
                list.stream()
                    .filter(u -> u.id() == s.user().id())
                    .map(StaffRepository.StaffLoad::status)
                    .findFirst()
                    .orElse("away"));
  }

  // ---- supervisor board
  // -----------------------------------------------------------------------------------------

  void board(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (!Roles.supervises(s)) {
      refuse(ctx, 403, "forbidden", "Alleen voor leidinggevenden. / Supervisors only.");
      return;
    }
    Future.all(
            services.assignments().queue(s.orgId(), 500),
            staff.staffOf(s.orgId()),
            services.assignments().active(s.orgId()),
            services
                .routeActions()
                .marked(s.orgId(), nl.veiligpraten.routing.config.RuleSet.SUICIDE_RISK_RULE),
            services.supervisor().unanswered(s.orgId()))
        .onSuccess(
            all -> {
              List<QueueItem> items = all.resultAt(0);
              List<nl.veiligpraten.assignment.SupervisorRepository.Unanswered> open =
                  all.resultAt(4);
              // Targets missed right now: open chats without a first answer that waited longer than
              // their target
              // (queued, or assigned to someone who has not answered); and P0 claims held at P1
              // after a flood.
              JsonArray missed = new JsonArray();
              JsonArray heldP0 = new JsonArray();
              for (var u : open) {
                services
                    .helpPoints()
                    .target(u.helpPoint(), u.priority())
                    .filter(t -> u.waitedSeconds() > t)
                    .ifPresent(
                        t ->
                            missed.add(
                                new JsonObject()
                                    .put("conversationId", u.conversationId().toString())
                                    .put("helpPoint", u.helpPoint())
                                    .put("priority", u.priority())
                                    .put("status", u.status())
                                    .put("waitingSeconds", u.waitedSeconds())
                                    .put("targetSeconds", t)));
                if (u.p0Held() && ConversationStatus.QUEUED.code().equals(u.status())) {
                  heldP0.add(
                      new JsonObject()
                          .put("conversationId", u.conversationId().toString())
                          .put("helpPoint", u.helpPoint())
                          .put("waitingSeconds", u.waitedSeconds()));
                }
              }
              List<StaffRepository.StaffLoad> people = all.resultAt(1);
              List<AssignmentRepository.ActiveChat> active = all.resultAt(2);
              JsonArray activeJson = new JsonArray();
              active.forEach(
                  a ->
                      activeJson.add(
                          new JsonObject()
                              .put("conversationId", a.conversationId().toString())
                              .put("helpPoint", a.helpPoint())
                              .put("priority", a.priority())
                              .put("counselorId", a.counselorId())
                              .put("counselor", a.counselorName())
                              .put("seconds", a.secondsSinceAssigned())));
              Map<String, JsonObject> groups = new java.util.LinkedHashMap<>();
              JsonArray alerts = new JsonArray();
              for (QueueItem i : items) {
                String key = i.helpPoint() + "/P" + i.priority();
                JsonObject g =
                    groups.computeIfAbsent(
                        key,
                        k ->
                            new JsonObject()
                                .put("helpPoint", i.helpPoint())
                                .put("priority", i.priority())
                                .put("waiting", 0)
                                .put("longestWaitSeconds", 0L));
                g.put("waiting", g.getInteger("waiting") + 1)
                    .put(
                        "longestWaitSeconds",
                        Math.max(g.getLong("longestWaitSeconds"), i.waitingSeconds()));
                services
                    .helpPoints()
                    .target(i.helpPoint(), i.priority())
                    .ifPresent(
                        t -> {
                          g.put("targetSeconds", t);
                          if (i.priority() <= 1 && i.waitingSeconds() > t) {
                            alerts.add(
                                new JsonObject()
                                    .put("conversationId", i.id().toString())
                                    .put("helpPoint", i.helpPoint())
                                    .put("priority", i.priority())
                                    .put("waitingSeconds", i.waitingSeconds())
                                    .put("targetSeconds", t));
                          }
                        });
              }
              JsonArray counselors = new JsonArray();
              people.forEach(p -> counselors.add(staffJson(p)));
              JsonObject hours = new JsonObject();
              services.helpPoints().queues().values().stream()
                  .filter(i -> i.orgId().equals(s.orgId()))
                  .forEach(i -> hours.put(i.id(), services.helpPoints().openNow(i.id())));
              // Live chats a counselor marked with suicide risk (U1): a standing alert until the
              // chat is closed.
              JsonArray risk = new JsonArray();
              List<nl.veiligpraten.routeaction.RouteActionRepository.MarkedChat> marked =
                  all.resultAt(3);
              marked.forEach(
                  m ->
                      risk.add(
                          new JsonObject()
                              .put("kind", "suicide_risk")
                              .put("conversationId", m.conversationId().toString())
                              .put("helpPoint", m.helpPoint())
                              .put("priority", m.priority())
                              .put("status", m.status())));
              ConsoleVerticle.json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("openNow", hours)
                      .put("riskAlerts", risk)
                      .put("queues", new JsonArray(new ArrayList<>(groups.values())))
                      .put("alerts", alerts)
                      .put("missed", missed)
                      .put("heldP0", heldP0)
                      .put("counselors", counselors)
                      .put("queue", cards(items))
                      .put("active", activeJson));
            })
        .onFailure(ctx::fail);
  }

  // ---- helpers
  // --------------------------------------------------------------------------------------------------

  /** Refusals are logged with the code and staff id only, never with content. */
  static void refuse(RoutingContext ctx, int status, String code, String message) {
    StaffSession s = ctx.get(StaffSession.KEY);
    LOG.info(
        "refused {} {} -> {} ({}) for staff {}",
        ctx.request().method(),
        ctx.currentRoute() == null ? "?" : ctx.currentRoute().getPath(),
        status,
        code,
        s == null ? "-" : s.user().id());
    ConsoleVerticle.error(ctx, status, code, message);
  }

  static JsonObject body(RoutingContext ctx) {
    try {
      return ctx.body() == null ? null : ctx.body().asJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }

  static UUID uuidParam(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(ctx.pathParam(name));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
