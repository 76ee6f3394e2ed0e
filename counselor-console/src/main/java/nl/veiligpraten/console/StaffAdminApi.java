package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import nl.veiligpraten.audit.AdminAudit;
import nl.veiligpraten.audit.AdminAudit.Action;
import nl.veiligpraten.infra.bus.Addresses;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.routing.staff.Role;
import nl.veiligpraten.staff.EnrolmentLink;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.StaffRepository.AdminView;
import nl.veiligpraten.staff.StaffUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff lifecycle and organisations (issue 21), for organisation admins (their own organisation)
 * and platform admins (every organisation): list accounts with their last sign-in, invite with a
 * one-time enrolment link, edit name, role, skills, languages and capacity, disable (every session
 * and console socket of the account ends at once, on every node), enable, reset two-factor (a new
 * enrolment link), create organisations (with their key-encryption key) and read the admin audit
 * trail.
 *
 * <p>Every action, done or refused, is written to the admin audit trail before the answer goes out;
 * refusals carry a code ({@code other_organisation}, {@code role_escalation}, ...) and change
 * nothing. Secrets (enrolment links, initial passwords) appear only in the answer to the admin who
 * asked, never in the trail or the log.
 */
final class StaffAdminApi {

  private static final Logger LOG = LoggerFactory.getLogger(StaffAdminApi.class);

  /** Roles that belong to one organisation; an organisation admin may give only these. */
  static final List<String> ORG_ROLES = Role.codes(Role.organisationRoles());

  /** Roles without an organisation: only a platform admin may give them. */
  static final List<String> PLATFORM_ROLES = Role.codes(Role.platformRoles());

  /** Skills an admin sets directly; language skills are set through {@link #LANGUAGES}. */
  static final List<String> SKILLS = List.of("youth", "perpetrator");

  /**
   * Languages a counselor chats in besides Dutch, stored as the assignment skills the intake
   * derives from the visitor's reading mode ({@code IntakeSkills}): so a language set here steers
   * assignment without a second list.
   */
  static final Map<String, String> LANGUAGES = new LinkedHashMap<>();

  static {
    LANGUAGES.put("nl_easy", "easy_language");
    // Issue 23: every non-Dutch page language, with the skill the intake derives from it
    // (IntakeSkills).
    LANGUAGES.putAll(nl.veiligpraten.assignment.IntakeSkills.LANGUAGE_SKILLS);
  }

  /** Languages an account may list: Dutch (everyone) and those of {@link #LANGUAGES}. */
  static final List<String> LANGUAGE_CODES = languageCodes();

  private static List<String> languageCodes() {
    List<String> out = new ArrayList<>(List.of("nl"));
    out.addAll(LANGUAGES.keySet());
    return List.copyOf(out);
  }

  private static final String USERNAME = "[a-z0-9][a-z0-9._-]{2,63}";

  private final Vertx vertx;
  private final StaffRepository staff;
  private final AdminAudit audit;
  private final ConsoleSettings settings;
  private final AutoAssigner assigner;

  /**
   * Creates an organisation's key-encryption key under the cluster-wide key-store lock; resolves
   * with its id.
   */
  private final Function<String, Future<String>> organisationKeys;

  private final nl.veiligpraten.staff.SsoAccounts ssoAccounts;

  StaffAdminApi(
      Vertx vertx,
      StaffRepository staff,
      AdminAudit audit,
      ConsoleSettings settings,
      AutoAssigner assigner,
      Function<String, Future<String>> organisationKeys,
      nl.veiligpraten.staff.SsoAccounts ssoAccounts) {
    this.ssoAccounts = ssoAccounts;
    this.vertx = vertx;
    this.staff = staff;
    this.audit = audit;
    this.settings = settings;
    this.assigner = assigner;
    this.organisationKeys = organisationKeys;
  }

  // ---- reading
  // --------------------------------------------------------------------------------------------------

  /**
   * {@code GET /api/admin/staff[?org=ID]}: the own organisation's accounts; a platform admin: one
   * or all.
   */
  void list(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (!isAdmin(s)) {
      ConsoleApi.refuse(ctx, 403, "forbidden", "Alleen voor beheerders. / Admins only.");
      return;
    }
    String org = Roles.platformAdmin(s) ? ctx.request().getParam("org") : s.orgId();
    staff
        .adminList(org)
        .onSuccess(
            list -> {
              JsonArray out = new JsonArray();
              list.forEach(u -> out.add(json(u)));
              ConsoleVerticle.json(
                  ctx,
                  200,
                  new JsonObject()
                      .put("staff", out)
                      .put("organisation", org)
                      .put("roles", new JsonArray(Roles.platformAdmin(s) ? allRoles() : ORG_ROLES))
                      .put("skills", new JsonArray(SKILLS))
                      .put("languages", new JsonArray(LANGUAGE_CODES))
                      .put(
                          "ssoOrganisations",
                          new JsonArray(
                              settings.sso().organisations().stream()
                                  .map(nl.veiligpraten.console.sso.SsoOrganisation::orgId)
                                  .toList())));
            })
        .onFailure(ctx::fail);
  }

  /** {@code GET /api/admin/audit?before=&limit=}: the admin audit trail, newest first. */
  void auditTrail(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    if (!isAdmin(s)) {
      ConsoleApi.refuse(ctx, 403, "forbidden", "Alleen voor beheerders. / Admins only.");
      return;
    }
    long before;
    int limit;
    try {
      before = number(ctx.request().getParam("before"), Long.MAX_VALUE, 1, Long.MAX_VALUE);
      limit = (int) number(ctx.request().getParam("limit"), 100, 1, AdminAudit.MAX_PAGE);
    } catch (NumberFormatException e) {
      ConsoleApi.refuse(
          ctx,
          400,
          "invalid_field",
          "before and limit are whole numbers (limit 1-" + AdminAudit.MAX_PAGE + ").");
      return;
    }
    String org = Roles.platformAdmin(s) ? ctx.request().getParam("org") : s.orgId();
    audit
        .page(org, before, limit)
        .onSuccess(
            entries -> {
              JsonArray out = new JsonArray();
              entries.forEach(
                  e ->
                      out.add(
                          new JsonObject()
                              .put("id", e.id())
                              .put("at", e.at().toInstant().toString())
                              .put(
                                  "actor",
                                  new JsonObject()
                                      .put("id", e.actor().id())
                                      .put("name", e.actor().name())
                                      .put("role", e.actor().role())
                                      .put("organisation", e.actor().orgId()))
                              .put("action", e.action())
                              .put("target", targetView(e.target(), org))
                              .put("outcome", e.done() ? "done" : "refused")
                              .put("reason", e.reason())
                              .put("detail", e.detail())));
              ConsoleVerticle.json(
                  ctx, 200, new JsonObject().put("organisation", org).put("entries", out));
            })
        .onFailure(ctx::fail);
  }

  /**
   * The target of a trail entry as the viewing organisation may see it. An attempt on another
   * organisation's account is in both organisations' trails; in the attempting organisation's trail
   * the target keeps only the id the actor sent, not that account's name or organisation, so
   * probing ids and reading the own trail cannot list another organisation's staff.
   */
  private static JsonObject targetView(AdminAudit.Target target, String viewerOrg) {
    boolean foreign =
        viewerOrg != null && target.orgId() != null && !viewerOrg.equals(target.orgId());
    if (foreign) {
      return new JsonObject()
          .put("id", target.id())
          .putNull("name")
          .putNull("organisation")
          .put("otherOrganisation", true);
    }
    return new JsonObject()
        .put("id", target.id())
        .put("name", target.name())
        .put("organisation", target.orgId());
  }

  // ---- invite
  // ---------------------------------------------------------------------------------------------------

  /**
   * {@code POST /api/admin/invitations {username, displayName, role, orgId?, skills?, languages?,
   * capacity?}}: an account that cannot sign in until its person opens the one-time link (answer:
   * {@code enrolmentUrl}) and sets a password and TOTP. An organisation admin invites into the own
   * organisation (an {@code orgId} is ignored).
   */
  void invite(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    JsonObject body = ConsoleApi.body(ctx);
    NewAccount account = newAccount(ctx, s, body, Action.INVITE);
    if (account == null) {
      return;
    }
    String username = account.username();
    String displayName = account.displayName();
    String role = account.role();
    String org = account.orgId();
    AdminAudit.Target target = account.target();
    Profile profile;
    try {
      profile = Profile.parse(body, new Profile(displayName, role, List.of(), 3));
    } catch (IllegalArgumentException e) {
      refuse(ctx, Action.INVITE, target, 400, "invalid_field", e.getMessage());
      return;
    }
    if (!username.matches(USERNAME) || displayName.isEmpty()) {
      refuse(
          ctx,
          Action.INVITE,
          target,
          400,
          "invalid_field",
          "username: 3-64 tekens a-z 0-9 . _ -; displayName: "
              + "1-64 tekens. / username: 3-64 of a-z 0-9 . _ -; displayName: 1-64 characters.");
      return;
    }
    String orgId = org;
    AdminAudit.Target t = target;
    EnrolmentLink link = EnrolmentLink.create();
    Future<Boolean> orgExists =
        orgId == null
            ? Future.succeededFuture(true)
            : staff.organisationName(orgId).map(Optional::isPresent);
    orgExists
        .compose(
            exists ->
                !exists
                    ? Future.succeededFuture("unknown_organisation")
                    : staff
                        .byUsername(username)
                        .compose(
                            existing ->
                                existing.isPresent()
                                    ? Future.succeededFuture("username_taken")
                                    : vertx
                                        .executeBlocking(
                                            () -> PasswordHasher.hash(Secrets.token()), false)
                                        .compose(
                                            placeholder ->
                                                staff.invite(
                                                    orgId,
                                                    username,
                                                    profile.displayName(),
                                                    profile.role(),
                                                    profile.skills(),
                                                    profile.capacity(),
                                                    placeholder,
                                                    link.hash(),
                                                    "invite",
                                                    EnrolmentLink.VALID_FOR.toSeconds()))
                                        .compose(
                                            invited ->
                                                audit
                                                    .done(
                                                        actor(s),
                                                        Action.INVITE,
                                                        new AdminAudit.Target(
                                                            invited.user().id(), username, orgId),
                                                        profile
                                                            .detail()
                                                            .put(
                                                                "expiresAt",
                                                                invited
                                                                    .expiresAt()
                                                                    .toInstant()
                                                                    .toString()))
                                                    .map(
                                                        v -> {
                                                          LOG.info(
                                                              "staff {} ({}) invited by staff {}",
                                                              invited.user().id(),
                                                              profile.role(),
                                                              s.user().id());
                                                          ConsoleVerticle.json(
                                                              ctx,
                                                              201,
                                                              new JsonObject()
                                                                  .put("id", invited.user().id())
                                                                  .put("username", username)
                                                                  .put("role", profile.role())
                                                                  .put("organisation", orgId)
                                                                  .put(
                                                                      "enrolmentUrl",
                                                                      link.url(origin(ctx)))
                                                                  .put(
                                                                      "expiresAt",
                                                                      invited
                                                                          .expiresAt()
                                                                          .toInstant()
                                                                          .toString()));
                                                          return (String) null;
                                                        }))))
        .onSuccess(
            refusal -> {
              if ("unknown_organisation".equals(refusal)) {
                refuse(
                    ctx,
                    Action.INVITE,
                    t,
                    404,
                    refusal,
                    "Onbekende organisatie. / Unknown organisation.");
              } else if ("username_taken".equals(refusal)) {
                refuse(
                    ctx,
                    Action.INVITE,
                    t,
                    409,
                    refusal,
                    "Deze gebruikersnaam bestaat al. / User name taken.");
              }
            })
        .onFailure(ctx::fail);
  }

  // ---- edit, disable, enable, reset two-factor
  // ------------------------------------------------------------------

  /** {@code PATCH /api/admin/staff/:id {displayName?, role?, skills?, languages?, capacity?}}. */
  void edit(RoutingContext ctx) {
    withTarget(
        ctx,
        Action.EDIT,
        (s, u) -> {
          AdminAudit.Target target = target(u);
          JsonObject body = ConsoleApi.body(ctx);
          Profile before = Profile.of(u);
          Profile after;
          try {
            after = Profile.parse(body, before);
          } catch (IllegalArgumentException e) {
            refuse(ctx, Action.EDIT, target, 400, "invalid_field", e.getMessage());
            return;
          }
          if (!after.role().equals(before.role())) {
            String refusal = roleRefusal(s, after.role(), u);
            if (refusal != null) {
              refuseRole(ctx, Action.EDIT, target, refusal, after.role());
              return;
            }
          }
          JsonObject changes = before.changesTo(after);
          if (changes.isEmpty()) {
            ConsoleVerticle.json(
                ctx, 200, new JsonObject().put("user", json(u)).put("changed", new JsonArray()));
            return;
          }
          boolean roleChanged = changes.containsKey("role");
          List<byte[]> ended = new ArrayList<>();
          staff
              .updateProfile(
                  u.id(), after.displayName(), after.role(), after.skills(), after.capacity())
              // A new role takes effect with a new sign-in: the sessions end, so no socket keeps
              // the old role's rights.
              .compose(
                  v ->
                      roleChanged
                          ? staff.endSessions(u.id()).map(ended::addAll).<Void>mapEmpty()
                          : Future.<Void>succeededFuture())
              .compose(
                  v ->
                      audit.done(
                          actor(s), Action.EDIT, target, new JsonObject().put("changes", changes)))
              .compose(v -> staff.adminView(u.id()))
              .onSuccess(
                  view -> {
                    endSockets(vertx, ended);
                    if (u.orgId() != null) {
                      assigner.run(u.orgId());
                    }
                    ConsoleVerticle.json(
                        ctx,
                        200,
                        new JsonObject()
                            .put("user", json(view.orElseThrow()))
                            .put("changed", new JsonArray(new ArrayList<>(changes.fieldNames()))));
                  })
              .onFailure(ctx::fail);
        });
  }

  /**
   * {@code POST /api/admin/staff/:id/disable}: no sign-in, every session and console socket ends,
   * cluster-wide.
   */
  void disable(RoutingContext ctx) {
    withTarget(
        ctx,
        Action.DISABLE,
        (s, u) -> {
          if (u.id() == s.user().id()) {
            refuse(
                ctx,
                Action.DISABLE,
                target(u),
                400,
                "self",
                "Je kunt jezelf niet uitschakelen. / You cannot disable " + "yourself.");
            return;
          }
          staff
              .disable(u.id())
              .compose(
                  ended ->
                      ended.isEmpty()
                          ? Future.succeededFuture(ended)
                          : audit
                              .done(actor(s), Action.DISABLE, target(u), new JsonObject())
                              .map(ended))
              .onSuccess(
                  ended -> {
                    if (ended.isEmpty()) {
                      refuse(
                          ctx,
                          Action.DISABLE,
                          target(u),
                          409,
                          "already_disabled",
                          "Dit account is al uitgeschakeld. / " + "Already disabled.");
                      return;
                    }
                    endSockets(vertx, ended.get());
                    LOG.info("staff {} disabled by staff {}", u.id(), s.user().id());
                    ConsoleVerticle.json(
                        ctx, 200, new JsonObject().put("status", "disabled").put("id", u.id()));
                  })
              .onFailure(ctx::fail);
        });
  }

  /**
   * {@code POST /api/admin/staff/:id/enable}: the account may sign in again (with its password and
   * TOTP).
   */
  void enable(RoutingContext ctx) {
    withTarget(
        ctx,
        Action.ENABLE,
        (s, u) ->
            staff
                .enable(u.id())
                .compose(
                    changed ->
                        !changed
                            ? Future.succeededFuture(false)
                            : audit
                                .done(actor(s), Action.ENABLE, target(u), new JsonObject())
                                .map(true))
                .onSuccess(
                    changed -> {
                      if (!changed) {
                        refuse(
                            ctx,
                            Action.ENABLE,
                            target(u),
                            409,
                            "not_disabled",
                            "Dit account is niet uitgeschakeld. / Not " + "disabled.");
                        return;
                      }
                      ConsoleVerticle.json(
                          ctx, 200, new JsonObject().put("status", "enabled").put("id", u.id()));
                    })
                .onFailure(ctx::fail));
  }

  /**
   * {@code POST /api/admin/staff/:id/reset-two-factor}: the TOTP secret goes, the sessions and
   * sockets end, and the answer carries a new one-time enrolment link with which the person sets a
   * password and TOTP again.
   */
  void resetTwoFactor(RoutingContext ctx) {
    withTarget(
        ctx,
        Action.RESET_TWO_FACTOR,
        (s, u) -> {
          if (u.disabledAt() != null) {
            refuse(
                ctx,
                Action.RESET_TWO_FACTOR,
                target(u),
                409,
                "disabled",
                "Schakel het account eerst weer in. / " + "Enable the account first.");
            return;
          }
          EnrolmentLink link = EnrolmentLink.create();
          staff
              .newEnrolment(
                  u.id(),
                  link.hash(),
                  "reset_two_factor",
                  EnrolmentLink.VALID_FOR.toSeconds(),
                  true)
              .compose(
                  made ->
                      audit
                          .done(
                              actor(s),
                              Action.RESET_TWO_FACTOR,
                              target(u),
                              new JsonObject()
                                  .put("expiresAt", made.expiresAt().toInstant().toString()))
                          .map(made))
              .onSuccess(
                  made -> {
                    endSockets(vertx, made.endedSessions());
                    ConsoleVerticle.json(
                        ctx,
                        200,
                        new JsonObject()
                            .put("status", "reset")
                            .put("id", u.id())
                            .put("enrolmentUrl", link.url(origin(ctx)))
                            .put("expiresAt", made.expiresAt().toInstant().toString()));
                  })
              .onFailure(ctx::fail);
        });
  }

  /**
   * {@code POST /api/admin/staff/:id/sso {subject}}: binds an account of an organisation with
   * single sign-on to the person's subject ({@code sub}) at that organisation's provider (issue
   * 21). From then on the account signs in only through the provider: its password no longer works,
   * its TOTP secret and open enrolment links go, and its sessions end. In the trail as an edit
   * ({@code changes.sso = "bound"}; the subject itself is not written there).
   */
  void bindSso(RoutingContext ctx) {
    withTarget(
        ctx,
        Action.EDIT,
        (s, u) -> {
          AdminAudit.Target target = target(u);
          JsonObject body = ConsoleApi.body(ctx);
          String subject = body == null ? null : text(body, "subject");
          if (subject == null
              || subject.isEmpty()
              || subject.length() > 255
              || subject.chars().anyMatch(c -> c < 0x20)) {
            refuse(
                ctx,
                Action.EDIT,
                target,
                400,
                "invalid_field",
                "subject: 1-255 tekens, zoals de 'sub' van de "
                    + "identity provider. / subject: 1-255 characters, the provider's 'sub' of the person.");
            return;
          }
          if (u.orgId() == null || settings.sso().of(u.orgId()).isEmpty()) {
            refuse(
                ctx,
                Action.EDIT,
                target,
                409,
                "sso_not_configured",
                "Deze organisatie heeft geen single sign-on. / "
                    + "This organisation has no single sign-on configured.");
            return;
          }
          ssoAccounts
              .bind(u.id(), subject)
              .onSuccess(
                  bound -> {
                    if (bound instanceof nl.veiligpraten.staff.SsoAccounts.Bound.Done done) {
                      audit
                          .done(
                              actor(s),
                              Action.EDIT,
                              target,
                              new JsonObject().put("changes", new JsonObject().put("sso", "bound")))
                          .onSuccess(
                              v -> {
                                endSockets(vertx, done.endedSessions());
                                LOG.info(
                                    "staff {} bound to single sign-on by staff {}",
                                    u.id(),
                                    s.user().id());
                                ConsoleVerticle.json(
                                    ctx,
                                    200,
                                    new JsonObject().put("status", "bound").put("id", u.id()));
                              })
                          .onFailure(ctx::fail);
                    } else if (bound
                        instanceof nl.veiligpraten.staff.SsoAccounts.Bound.SubjectTaken) {
                      refuse(
                          ctx,
                          Action.EDIT,
                          target,
                          409,
                          "sso_subject_taken",
                          "Een ander account is al aan deze persoon "
                              + "gekoppeld. / Another account is bound to this person already.");
                    } else {
                      refuse(
                          ctx,
                          Action.EDIT,
                          target,
                          400,
                          "role_scope",
                          "Alleen accounts van een organisatie. / Organisation "
                              + "accounts only.");
                    }
                  })
              .onFailure(ctx::fail);
        });
  }

  /**
   * The fields of a new account as an invitation or a direct creation reads them, after the role
   * rules.
   */
  private record NewAccount(
      String username, String displayName, String role, String orgId, AdminAudit.Target target) {}

  /**
   * Reads and checks what an invitation and a direct account creation share: only admins, no role
   * escalation, a platform role without an organisation and every other role with one (an
   * organisation admin's own). On a refusal the answer is sent and audited here and the result is
   * {@code null}.
   */
  private NewAccount newAccount(
      RoutingContext ctx, StaffSession s, JsonObject body, Action action) {
    String username = text(body, "username");
    String displayName = text(body, "displayName");
    String role = text(body, "role");
    String org =
        Roles.platformAdmin(s)
            ? (body != null && body.getValue("orgId") instanceof String o ? o : null)
            : s.orgId();
    AdminAudit.Target target =
        new AdminAudit.Target(null, username.isEmpty() ? null : clip(username), org);
    if (!isAdmin(s)) {
      refuse(ctx, action, target, 403, "forbidden", "Alleen voor beheerders. / Admins only.");
      return null;
    }
    String roleRefusal = roleRefusal(s, role, null);
    if (roleRefusal != null) {
      refuseRole(ctx, action, target, roleRefusal, role);
      return null;
    }
    if (PLATFORM_ROLES.contains(role)) {
      return new NewAccount(
          username, displayName, role, null, new AdminAudit.Target(null, target.name(), null));
    }
    if (org == null) {
      refuse(
          ctx,
          action,
          target,
          400,
          "invalid_field",
          "orgId is nodig voor deze rol. / orgId is required " + "for this role.");
      return null;
    }
    return new NewAccount(username, displayName, role, org, target);
  }

  // ---- accounts and organisations created directly
  // --------------------------------------------------------------

  /**
   * {@code POST /api/admin/users}: an account with a random initial password shown once in the
   * answer (kept for scripts; the console invites instead). Same role rules as an invitation.
   */
  void createUser(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    JsonObject body = ConsoleApi.body(ctx);
    NewAccount account = newAccount(ctx, s, body, Action.CREATE_USER);
    if (account == null) {
      return;
    }
    String username = account.username();
    String displayName = account.displayName();
    String role = account.role();
    String org = account.orgId();
    AdminAudit.Target target = account.target();
    if (!username.matches(USERNAME) || displayName.isEmpty() || displayName.length() > 64) {
      refuse(
          ctx,
          Action.CREATE_USER,
          target,
          400,
          "invalid_field",
          "username: 3-64 of a-z 0-9 . _ -; displayName: " + "1-64 characters.");
      return;
    }
    String orgId = org;
    String password = Secrets.code(16).toLowerCase();
    Future<Boolean> orgOk =
        orgId == null
            ? Future.succeededFuture(true)
            : staff.organisationName(orgId).map(Optional::isPresent);
    orgOk
        .compose(
            ok ->
                !ok
                    ? Future.succeededFuture((StaffUser) null)
                    : staff
                        .byUsername(username)
                        .compose(
                            existing ->
                                existing.isPresent()
                                    ? Future.succeededFuture((StaffUser) null)
                                    : vertx
                                        .executeBlocking(() -> PasswordHasher.hash(password), false)
                                        .compose(
                                            hash ->
                                                staff.createUser(
                                                    orgId, username, displayName, role, hash))
                                        .compose(
                                            user ->
                                                audit
                                                    .done(
                                                        actor(s),
                                                        Action.CREATE_USER,
                                                        new AdminAudit.Target(
                                                            user.id(), username, orgId),
                                                        new JsonObject()
                                                            .put("role", role)
                                                            .put("displayName", displayName))
                                                    .map(user))))
        .onSuccess(
            user -> {
              if (user == null) {
                refuse(
                    ctx,
                    Action.CREATE_USER,
                    target,
                    409,
                    "not_possible",
                    "Unknown organisation or user name taken.");
                return;
              }
              LOG.info("staff {} ({}) created by staff {}", user.id(), role, s.user().id());
              ConsoleVerticle.json(
                  ctx,
                  201,
                  new JsonObject()
                      .put("id", user.id())
                      .put("username", username)
                      .put("role", role)
                      .put("organisation", orgId)
                      .put("initialPassword", password));
            })
        .onFailure(ctx::fail);
  }

  /**
   * {@code POST /api/admin/organisations {id, name}} (platform admins): first the organisation's
   * key-encryption key (created under the cluster-wide key-store lock and announced to every node,
   * see {@code KeyStoreChanges}), then its row; a retry after a failure between the two finds the
   * key and creates the row.
   */
  void createOrganisation(RoutingContext ctx) {
    StaffSession s = ctx.get(StaffSession.KEY);
    JsonObject body = ConsoleApi.body(ctx);
    String id = body != null && body.getValue("id") instanceof String v ? v : "";
    String name = body != null && body.getValue("name") instanceof String v ? v.strip() : "";
    AdminAudit.Target target =
        new AdminAudit.Target(null, null, id.matches("[a-z][a-z0-9_]{1,39}") ? id : null);
    if (!Roles.platformAdmin(s)) {
      refuse(ctx, Action.CREATE_ORGANISATION, target, 403, "forbidden", "Platform admins only.");
      return;
    }
    if (!id.matches("[a-z][a-z0-9_]{1,39}") || name.isEmpty() || name.length() > 80) {
      refuse(
          ctx,
          Action.CREATE_ORGANISATION,
          target,
          400,
          "invalid_field",
          "id: [a-z][a-z0-9_]{1,39}; name: 1-80 " + "characters.");
      return;
    }
    staff
        .organisationName(id)
        .compose(
            existing ->
                existing.isPresent()
                    ? Future.succeededFuture((String) null)
                    : organisationKeys
                        .apply(id)
                        .compose(
                            keyId ->
                                staff
                                    .createOrganisation(id, name)
                                    .compose(
                                        v ->
                                            audit.done(
                                                actor(s),
                                                Action.CREATE_ORGANISATION,
                                                target,
                                                new JsonObject()
                                                    .put("name", name)
                                                    .put("keyId", keyId)))
                                    .map(keyId)))
        .onSuccess(
            keyId -> {
              if (keyId == null) {
                refuse(
                    ctx,
                    Action.CREATE_ORGANISATION,
                    target,
                    409,
                    "exists",
                    "Organisation exists already.");
                return;
              }
              assigner.watch(id);
              LOG.info("organisation {} created by staff {} with key {}", id, s.user().id(), keyId);
              ConsoleVerticle.json(
                  ctx, 201, new JsonObject().put("id", id).put("name", name).put("keyId", keyId));
            })
        .onFailure(ctx::fail);
  }

  // ---- rules
  // ----------------------------------------------------------------------------------------------------

  static boolean isAdmin(StaffSession s) {
    return Roles.orgAdmin(s) || Roles.platformAdmin(s);
  }

  /**
   * Why {@code actor} may not give {@code role} (to {@code current}, or to a new account when
   * null), or null. An organisation admin gives organisation roles only (a platform role is an
   * escalation); a platform admin does not move an account between an organisation and the platform
   * (the organisation would be lost or invented).
   */
  static String roleRefusal(StaffSession actor, String role, AdminView current) {
    if (!ORG_ROLES.contains(role) && !PLATFORM_ROLES.contains(role)) {
      return "invalid_role";
    }
    if (!Roles.platformAdmin(actor) && PLATFORM_ROLES.contains(role)) {
      return "role_escalation";
    }
    if (current != null && current.id() == actor.user().id()) {
      return "self";
    }
    if (current != null && ORG_ROLES.contains(current.role()) != ORG_ROLES.contains(role)) {
      return "role_scope";
    }
    return null;
  }

  private void refuseRole(
      RoutingContext ctx, Action action, AdminAudit.Target target, String code, String role) {
    String message =
        switch (code) {
          case "role_escalation" ->
              "Een organisatiebeheerder kan geen platformrol geven. / An organisation admin "
                  + "cannot give a platform role.";
          case "self" -> "Je kunt je eigen rol niet wijzigen. / You cannot change your own role.";
          case "role_scope" ->
              "Een account gaat niet tussen organisatie en platform. / An account does not move between "
                  + "an organisation and the platform.";
          default -> "Onbekende rol. / Unknown role; one of " + allRoles() + ".";
        };
    int status =
        "invalid_role".equals(code) || "role_scope".equals(code) || "self".equals(code) ? 400 : 403;
    refuse(ctx, action, target, status, code, message, new JsonObject().put("role", clip(role)));
  }

  /**
   * Loads the account named by {@code :id} and checks the actor may act on it: admins only; an
   * organisation admin only on accounts of the own organisation. Refusals are written to the trail.
   */
  private void withTarget(
      RoutingContext ctx,
      Action action,
      java.util.function.BiConsumer<StaffSession, AdminView> then) {
    StaffSession s = ctx.get(StaffSession.KEY);
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ConsoleApi.refuse(ctx, 404, "not_found", "Onbekend account. / Unknown account.");
      return;
    }
    if (!isAdmin(s)) {
      refuse(
          ctx,
          action,
          new AdminAudit.Target(id, null, null),
          403,
          "forbidden",
          "Alleen voor beheerders. / " + "Admins only.");
      return;
    }
    staff
        .adminView(id)
        .onSuccess(
            found -> {
              if (found.isEmpty()) {
                refuse(
                    ctx,
                    action,
                    new AdminAudit.Target(id, null, null),
                    404,
                    "not_found",
                    "Onbekend account. / Unknown " + "account.");
                return;
              }
              AdminView u = found.get();
              if (!Roles.platformAdmin(s) && (u.orgId() == null || !u.orgId().equals(s.orgId()))) {
                // The attempt is in the trail of the organisation it aimed at too (target_org),
                // without changing anything.
                refuse(
                    ctx,
                    action,
                    target(u),
                    403,
                    "other_organisation",
                    "Dit account hoort niet bij jouw organisatie. / "
                        + "This account is not in your organisation.");
                return;
              }
              then.accept(s, u);
            })
        .onFailure(ctx::fail);
  }

  private void refuse(
      RoutingContext ctx,
      Action action,
      AdminAudit.Target target,
      int status,
      String code,
      String message) {
    refuse(ctx, action, target, status, code, message, new JsonObject());
  }

  /**
   * Writes the refusal to the trail, then answers (an unloggable refusal still refuses, with the
   * audit error).
   */
  private void refuse(
      RoutingContext ctx,
      Action action,
      AdminAudit.Target target,
      int status,
      String code,
      String message,
      JsonObject detail) {
    StaffSession s = ctx.get(StaffSession.KEY);
    audit
        .refused(actor(s), action, target, code, detail)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("admin audit write failed: {}", ar.cause().getClass().getName());
              }
              ConsoleApi.refuse(ctx, status, code, message);
            });
  }

  /**
   * Closes the console sockets of ended sessions on every node at once: the per-session note of the
   * logout ({@code Addresses.staffSession}, issue 20), which sends a {@code session-ended} frame
   * and closes with 4401. The sessions were deleted in PostgreSQL before, so the sockets' periodic
   * session re-check would close them too if a node missed the note.
   */
  static void endSockets(Vertx vertx, List<byte[]> sessionHashes) {
    sessionHashes.forEach(
        hash ->
            vertx
                .eventBus()
                .publish(
                    Addresses.staffSession(StaffSession.busKey(hash)),
                    ConsoleAuth.Ended.ENDED.code));
  }

  /**
   * The origin the admin uses (their browser sent it), else the first configured console origin.
   */
  private String origin(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && settings.allowedOrigins().contains(origin)) {
      return origin;
    }
    return settings.allowedOrigins().stream().sorted().findFirst().orElse("");
  }

  static AdminAudit.Actor actor(StaffSession s) {
    return new AdminAudit.Actor(s.user().id(), s.user().username(), s.role(), s.orgId());
  }

  private static AdminAudit.Target target(AdminView u) {
    return new AdminAudit.Target(u.id(), u.username(), u.orgId());
  }

  private static List<String> allRoles() {
    List<String> all = new ArrayList<>(ORG_ROLES);
    all.addAll(PLATFORM_ROLES);
    return all;
  }

  static JsonObject json(AdminView u) {
    List<String> skills = new ArrayList<>();
    List<String> languages = new ArrayList<>(List.of("nl"));
    for (String skill : u.skills()) {
      String lang =
          LANGUAGES.entrySet().stream()
              .filter(e -> e.getValue().equals(skill))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElse(null);
      if (lang != null) {
        languages.add(lang);
      } else {
        skills.add(skill);
      }
    }
    return new JsonObject()
        .put("id", u.id())
        .put("organisation", u.orgId())
        .put("username", u.username())
        .put("displayName", u.displayName())
        .put("role", u.role())
        .put("skills", new JsonArray(skills))
        .put("languages", new JsonArray(languages))
        .put("capacity", u.capacity())
        .put(
            "state",
            u.disabledAt() != null ? "disabled" : u.enrolledAt() == null ? "invited" : "active")
        .put("twoFactor", u.twoFactor())
        .put("online", u.online())
        .put("sso", u.sso())
        .put(
            "lastSignInAt",
            u.lastSignInAt() == null ? null : u.lastSignInAt().toInstant().toString())
        .put("disabledAt", time(u.disabledAt()));
  }

  private static String time(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static String text(JsonObject body, String field) {
    return body != null && body.getValue(field) instanceof String v ? v.strip() : "";
  }

  /**
   * A user-supplied value in the trail is cut short: the trail records what was tried, not whatever
   * was sent.
   */
  private static String clip(String value) {
    return value == null ? null : value.length() > 64 ? value.substring(0, 64) : value;
  }

  private static long number(String value, long fallback, long min, long max) {
    if (value == null) {
      return fallback;
    }
    long n = Long.parseLong(value);
    if (n < min || n > max) {
      throw new NumberFormatException();
    }
    return n;
  }

  /**
   * The editable part of an account; {@code skills} holds the stored skill codes, language skills
   * included.
   */
  record Profile(String displayName, String role, List<String> skills, int capacity) {

    static Profile of(AdminView u) {
      return new Profile(u.displayName(), u.role(), u.skills(), u.capacity());
    }

    /**
     * Applies the fields present in {@code body} to {@code base}; a bad field throws with a clear
     * message.
     */
    static Profile parse(JsonObject body, Profile base) {
      if (body == null) {
        throw new IllegalArgumentException("Stuur JSON. / Send a JSON body.");
      }
      String displayName = base.displayName();
      if (body.containsKey("displayName")) {
        if (!(body.getValue("displayName") instanceof String d)
            || d.strip().isEmpty()
            || d.strip().length() > 64) {
          throw new IllegalArgumentException(
              "displayName: 1-64 tekens. / displayName: 1-64 characters.");
        }
        displayName = d.strip();
      }
      String role = base.role();
      if (body.containsKey("role")) {
        if (!(body.getValue("role") instanceof String r)) {
          throw new IllegalArgumentException("role is tekst. / role is text.");
        }
        role = r;
      }
      Set<String> skills = new java.util.LinkedHashSet<>();
      List<String> own = base.skills().stream().filter(SKILLS::contains).toList();
      List<String> langs = base.skills().stream().filter(LANGUAGES::containsValue).toList();
      if (body.containsKey("skills")) {
        own = codes(body.getValue("skills"), SKILLS, "skills");
      }
      if (body.containsKey("languages")) {
        langs =
            codes(body.getValue("languages"), LANGUAGE_CODES, "languages").stream()
                .filter(LANGUAGES::containsKey)
                .map(LANGUAGES::get)
                .toList();
      }
      skills.addAll(own);
      skills.addAll(langs);
      int capacity = base.capacity();
      if (body.containsKey("capacity")) {
        if (!(body.getValue("capacity") instanceof Integer c) || c < 1 || c > 20) {
          throw new IllegalArgumentException(
              "capacity: 1-20 gesprekken tegelijk. / capacity: 1-20 chats at once.");
        }
        capacity = c;
      }
      return new Profile(displayName, role, List.copyOf(skills), capacity);
    }

    private static List<String> codes(Object value, List<String> allowed, String field) {
      if (!(value instanceof JsonArray array) || array.size() > allowed.size()) {
        throw new IllegalArgumentException(field + ": een lijst uit / a list of " + allowed);
      }
      List<String> out = new ArrayList<>();
      for (Object o : array) {
        if (!(o instanceof String code) || !allowed.contains(code)) {
          throw new IllegalArgumentException(field + ": een lijst uit / a list of " + allowed);
        }
        if (!out.contains(code)) {
          out.add(code);
        }
      }
      return out;
    }

    /** Field by field {from, to} for the trail; skills and languages compared as sets. */
    JsonObject changesTo(Profile after) {
      JsonObject out = new JsonObject();
      if (!displayName.equals(after.displayName)) {
        out.put(
            "displayName", new JsonObject().put("from", displayName).put("to", after.displayName));
      }
      if (!role.equals(after.role)) {
        out.put("role", new JsonObject().put("from", role).put("to", after.role));
      }
      if (!new java.util.HashSet<>(skills).equals(new java.util.HashSet<>(after.skills))) {
        out.put(
            "skills",
            new JsonObject()
                .put("from", new JsonArray(skills))
                .put("to", new JsonArray(after.skills)));
      }
      if (capacity != after.capacity) {
        out.put("capacity", new JsonObject().put("from", capacity).put("to", after.capacity));
      }
      return out;
    }

    /** What an invitation set, for the trail. */
    JsonObject detail() {
      return new JsonObject()
          .put("role", role)
          .put("displayName", displayName)
          .put("skills", new JsonArray(skills))
          .put("capacity", capacity);
    }
  }
}
