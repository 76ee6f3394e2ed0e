package nl.veiligpraten.console;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import nl.veiligpraten.audit.AdminAudit;
import nl.veiligpraten.audit.AdminAudit.Action;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.staff.EnrolmentLink;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;
import nl.veiligpraten.staff.Totp;
import nl.veiligpraten.staff.TotpSealer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-time enrolment link, without a session (the person has no password yet): {@code POST
 * /api/enrolment/start {token}} checks the link and offers a fresh TOTP secret (QR code and manual
 * key); {@code POST /api/enrolment/finish {token, password, code}} sets the password and, with a
 * correct code, the TOTP secret, and uses the link up, in one transaction. An unknown, used,
 * expired or burnt link is refused with its reason and changes nothing; refusals are written to the
 * admin audit trail (never the token, the password or the code).
 */
final class EnrolmentApi {

  private static final Logger LOG = LoggerFactory.getLogger(EnrolmentApi.class);
  private static final AdminAudit.Actor UNKNOWN_LINK =
      new AdminAudit.Actor(null, "unknown-link", "anonymous", null);

  private final Vertx vertx;
  private final StaffRepository staff;
  private final AdminAudit audit;
  private final ConsoleSettings settings;
  private final TotpSealer sealer;

  EnrolmentApi(
      Vertx vertx,
      StaffRepository staff,
      AdminAudit audit,
      ConsoleSettings settings,
      TotpSealer sealer) {
    this.sealer = sealer;
    this.vertx = vertx;
    this.staff = staff;
    this.audit = audit;
    this.settings = settings;
  }

  /**
   * Same guards as the login: a browser's Origin must be the console's, and only a JSON body is
   * read.
   */
  private JsonObject guardedBody(RoutingContext ctx) {
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && !settings.allowedOrigins().contains(origin)) {
      ConsoleVerticle.error(ctx, 403, "origin", "Origin not allowed.");
      return null;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    JsonObject body =
        contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")
            ? ConsoleApi.body(ctx)
            : null;
    if (body == null
        || !(body.getValue("token") instanceof String token)
        || token.isEmpty()
        || token.length() > 64) {
      ConsoleVerticle.error(
          ctx, 400, "malformed", "Body must be {\"token\": \"...\"} as application/json.");
      return null;
    }
    return body;
  }

  void start(RoutingContext ctx) {
    JsonObject body = guardedBody(ctx);
    if (body == null) {
      return;
    }
    byte[] hash = Secrets.sha256(body.getString("token"));
    staff
        .enrolment(hash)
        .onSuccess(
            found -> {
              String refusal = refusal(found.orElse(null));
              if (refusal != null) {
                refuse(ctx, found.orElse(null), refusal);
                return;
              }
              StaffRepository.Enrolment e = found.get();
              byte[] secret = Totp.newSecret();
              String uri = Totp.otpauthUri("Veilig Praten", e.user().username(), secret);
              // Sealed under the server key like every TOTP secret (issue 20, finding 6).
              staff
                  .setPendingTotp(e.user().id(), sealer.seal(e.user().id(), secret))
                  .onSuccess(
                      v ->
                          ConsoleVerticle.json(
                              ctx,
                              200,
                              new JsonObject()
                                  .put("username", e.user().username())
                                  .put("displayName", e.user().displayName())
                                  .put("role", e.user().role())
                                  .put("organisation", e.user().orgId())
                                  .put("expiresAt", e.expiresAt().toInstant().toString())
                                  .put("minPasswordLength", EnrolmentLink.MIN_PASSWORD_LENGTH)
                                  .put("secret", Totp.base32(secret))
                                  .put("otpauthUri", uri)
                                  .put("qrPng", TotpQr.pngBase64(uri))))
                  .onFailure(ctx::fail);
            })
        .onFailure(ctx::fail);
  }

  void finish(RoutingContext ctx) {
    JsonObject body = guardedBody(ctx);
    if (body == null) {
      return;
    }
    byte[] hash = Secrets.sha256(body.getString("token"));
    String password = body.getValue("password") instanceof String p ? p : "";
    String code = body.getValue("code") instanceof String c ? c.strip() : "";
    staff
        .enrolment(hash)
        .onSuccess(
            found -> {
              String refusal = refusal(found.orElse(null));
              if (refusal != null) {
                refuse(ctx, found.orElse(null), refusal);
                return;
              }
              StaffRepository.Enrolment e = found.get();
              if (password.length() < EnrolmentLink.MIN_PASSWORD_LENGTH
                  || password.length() > 256
                  || password.equalsIgnoreCase(e.user().username())) {
                refuse(ctx, e, "weak_password");
                return;
              }
              staff
                  .pendingTotp(e.user().id())
                  .compose(
                      pending -> {
                        if (pending.isEmpty()) {
                          return Future.succeededFuture("no_pending");
                        }
                        long step =
                            Totp.matchingStep(
                                sealer.open(e.user().id(), pending.get()),
                                code,
                                Totp.stepAt(System.currentTimeMillis() / 1000));
                        if (step < 0) {
                          return staff.enrolmentFailedCode(hash).map("bad_totp");
                        }
                        return vertx
                            .executeBlocking(() -> PasswordHasher.hash(password), false)
                            .compose(
                                pwHash ->
                                    staff.finishEnrolment(
                                        hash,
                                        e.user().id(),
                                        pwHash,
                                        step,
                                        EnrolmentLink.MAX_FAILED_CODES))
                            .map(
                                done -> {
                                  if (done.isEmpty()) {
                                    return "enrolment_used";
                                  }
                                  // Sessions of the account ended in the same transaction; their
                                  // sockets on every node end now.
                                  StaffAdminApi.endSockets(vertx, done.get());
                                  return null;
                                });
                      })
                  .onSuccess(
                      result -> {
                        if (result != null) {
                          refuse(ctx, e, result);
                          return;
                        }
                        AdminAudit.Actor self =
                            new AdminAudit.Actor(
                                e.user().id(),
                                e.user().username(),
                                e.user().role(),
                                e.user().orgId());
                        audit
                            .done(
                                self,
                                Action.ENROL,
                                new AdminAudit.Target(
                                    e.user().id(), e.user().username(), e.user().orgId()),
                                new JsonObject().put("purpose", e.purpose()))
                            .onComplete(
                                ar -> {
                                  if (ar.failed()) {
                                    LOG.warn(
                                        "admin audit write failed: {}",
                                        ar.cause().getClass().getName());
                                  }
                                  LOG.info("staff {} enrolled ({})", e.user().id(), e.purpose());
                                  ConsoleVerticle.json(
                                      ctx,
                                      200,
                                      new JsonObject()
                                          .put("status", "enrolled")
                                          .put("username", e.user().username()));
                                });
                      })
                  .onFailure(ctx::fail);
            })
        .onFailure(ctx::fail);
  }

  /** Why a link cannot be used now, or null. */
  private static String refusal(StaffRepository.Enrolment e) {
    if (e == null) {
      return "enrolment_unknown";
    }
    if (e.used()) {
      return "enrolment_used";
    }
    if (e.expired()) {
      return "enrolment_expired";
    }
    if (e.failedCodes() >= EnrolmentLink.MAX_FAILED_CODES) {
      return "enrolment_burnt";
    }
    if (e.disabled()) {
      return "account_disabled";
    }
    return null;
  }

  private void refuse(RoutingContext ctx, StaffRepository.Enrolment e, String code) {
    AdminAudit.Actor actor =
        e == null
            ? UNKNOWN_LINK
            : new AdminAudit.Actor(
                e.user().id(), e.user().username(), e.user().role(), e.user().orgId());
    AdminAudit.Target target =
        e == null
            ? null
            : new AdminAudit.Target(e.user().id(), e.user().username(), e.user().orgId());
    int status =
        switch (code) {
          case "enrolment_unknown" -> 404;
          case "enrolment_used", "enrolment_expired", "enrolment_burnt", "account_disabled" -> 410;
          default -> 400;
        };
    String message =
        switch (code) {
          case "enrolment_unknown" ->
              "Deze link bestaat niet. Vraag je beheerder om een nieuwe. / This link does not "
                  + "exist; ask your admin for a new one.";
          case "enrolment_used" ->
              "Deze link is al gebruikt. Log in, of vraag je beheerder om een nieuwe. / This link "
                  + "was used already; sign in, or ask your admin for a new one.";
          case "enrolment_expired" ->
              "Deze link is verlopen. Vraag je beheerder om een nieuwe. / This link has expired; "
                  + "ask your admin for a new one.";
          case "enrolment_burnt" ->
              "Te vaak een verkeerde code. Vraag je beheerder om een nieuwe link. / Too many wrong "
                  + "codes; ask your admin for a new link.";
          case "account_disabled" -> "Dit account is uitgeschakeld. / This account is disabled.";
          case "weak_password" ->
              "Kies een wachtwoord van minstens "
                  + EnrolmentLink.MIN_PASSWORD_LENGTH
                  + " tekens, "
                  + "niet je gebruikersnaam. / Choose a password of at least "
                  + EnrolmentLink.MIN_PASSWORD_LENGTH
                  + " characters, not your user name.";
          case "bad_totp" ->
              "De code klopt niet. Kijk of de tijd op je telefoon goed staat. / Wrong code; check the time "
                  + "on your phone.";
          default -> "Start opnieuw via de link. / Start again from the link.";
        };
    audit
        .refused(actor, Action.ENROL, target, code, new JsonObject())
        .onComplete(
            ar -> {
              if (ar.failed()) {
                LOG.warn("admin audit write failed: {}", ar.cause().getClass().getName());
              }
              LOG.info("enrolment refused: {}", code);
              ConsoleVerticle.error(ctx, status, code, message);
            });
  }
}
