package nl.veiligpraten.app;

import static nl.veiligpraten.app.AdminFixtures.enrol;
import static nl.veiligpraten.app.AdminFixtures.enrolment;
import static nl.veiligpraten.app.AdminFixtures.patch;
import static nl.veiligpraten.app.AdminFixtures.token;
import static nl.veiligpraten.app.AdminFixtures.trail;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static nl.veiligpraten.app.ConsoleFixtures.get;
import static nl.veiligpraten.app.ConsoleFixtures.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.staff.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Staff lifecycle (issue 21): invite, enrol, edit, disable, reset two-factor, organisations, admin audit")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StaffLifecycleIT {

  @TempDir static Path dataDir;
  static Vertx client;
  static WebClient web;
  static RunningApp app;
  static Instant startedAt;
  static ConsoleFixtures.Login csgAdmin;
  static ConsoleFixtures.Login vtAdmin;

  /**
   * Every secret the test saw (links, passwords, TOTP secrets): none may appear in the trail or its
   * table.
   */
  static final List<String> secrets = new ArrayList<>();

  static long newId;
  static final String NEW_PASSWORD = "een-lang-wachtwoord-42";
  static byte[] newSecret;

  /**
   * The new counselor's session from the first sign-in (a second TOTP sign-in would need the next
   * time step).
   */
  static ConsoleFixtures.Login counselorLogin;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    app = TestApp.start(dataDir);
    startedAt = Instant.now().minusSeconds(1);
    csgAdmin =
        ConsoleFixtures.login(
            web, app, "csg-demo-admin", TestApp.demoPasswordOf(app, "csg-demo-admin"), null);
    vtAdmin =
        ConsoleFixtures.login(
            web,
            app,
            "veilig-thuis-demo-admin",
            TestApp.demoPasswordOf(app, "veilig-thuis-demo-admin"),
            null);
    secrets.add(NEW_PASSWORD);
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static HttpResponse<Buffer> invite(ConsoleFixtures.Login admin, JsonObject body)
      throws Exception {
    HttpResponse<Buffer> r = post(web, app, admin, "/api/admin/invitations", body);
    if (r.statusCode() == 201) {
      secrets.add(token(r.bodyAsJsonObject().getString("enrolmentUrl")));
    }
    return r;
  }

  static Row user(String username) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT id, display_name, role, skills, capacity, password_hash, "
                        + "totp_secret, enrolled_at, disabled_at, last_sign_in_at FROM staff_user WHERE username = $1")
                .execute(Tuple.of(username)))
        .iterator()
        .next();
  }

  static JsonObject listed(ConsoleFixtures.Login admin, String username) throws Exception {
    HttpResponse<Buffer> r = get(web, app, admin, "/api/admin/staff");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("staff").stream()
        .map(JsonObject.class::cast)
        .filter(u -> username.equals(u.getString("username")))
        .findFirst()
        .orElse(null);
  }

  @Test
  @Order(1)
  @DisplayName(
      "an organisation admin invites a counselor, who sets a password and TOTP through the one-time link "
          + "and signs in; the link cannot be used again; the admin sees the last sign-in")
  void inviteEnrolSignIn() throws Exception {
    HttpResponse<Buffer> r =
        invite(
            csgAdmin,
            new JsonObject()
                .put("username", "nieuw-csg")
                .put("displayName", "Nieuwe Collega")
                .put("role", "counselor")
                .put("skills", new JsonArray().add("youth"))
                .put("languages", new JsonArray().add("nl").add("en"))
                .put("capacity", 2)
                .put("orgId", "veilig_thuis"));
    assertEquals(201, r.statusCode(), r.bodyAsString());
    String url = r.bodyAsJsonObject().getString("enrolmentUrl");
    assertTrue(url.startsWith(ConsoleFixtures.origin(app) + "/enrol.html#t="), url);
    assertEquals(
        "csg", r.bodyAsJsonObject().getString("organisation"), "an orgId in the body is ignored");
    newId = r.bodyAsJsonObject().getLong("id");

    JsonObject invited = listed(csgAdmin, "nieuw-csg");
    assertEquals("invited", invited.getString("state"));
    assertNull(invited.getString("lastSignInAt"));
    assertEquals(
        401,
        ConsoleFixtures.loginResponse(web, app, "nieuw-csg", NEW_PASSWORD, null).statusCode(),
        "no sign-in before enrolment");

    newSecret = enrol(web, app, url, NEW_PASSWORD);
    secrets.add(Totp.base32(newSecret));
    for (String step : List.of("start", "finish")) {
      HttpResponse<Buffer> again =
          enrolment(
              web,
              app,
              step,
              new JsonObject()
                  .put("token", token(url))
                  .put("password", "een-ander-wachtwoord-43")
                  .put("code", ConsoleFixtures.nextCode(newSecret)));
      assertEquals(410, again.statusCode(), again.bodyAsString());
      assertEquals("enrolment_used", again.bodyAsJsonObject().getString("error"));
    }

    ConsoleFixtures.Login counselor =
        ConsoleFixtures.login(
            web, app, "nieuw-csg", NEW_PASSWORD, ConsoleFixtures.nextCode(newSecret));
    assertEquals("counselor", counselor.user().getString("role"));
    counselorLogin = counselor;
    JsonObject active = listed(csgAdmin, "nieuw-csg");
    assertEquals("active", active.getString("state"));
    assertTrue(active.getBoolean("twoFactor"));
    assertNotNull(active.getString("lastSignInAt"));
    assertEquals(new JsonArray().add("youth"), active.getJsonArray("skills"));
    assertEquals(new JsonArray().add("nl").add("en"), active.getJsonArray("languages"));
    assertEquals(2, active.getInteger("capacity"));
    // Languages are the assignment skills the intake derives from the visitor's reading mode.
    assertEquals(
        List.of("youth", "english"), List.of(user("nieuw-csg").getArrayOfStrings("skills")));
  }

  @Test
  @Order(2)
  @DisplayName(
      "an expired link, a weak password, wrong TOTP codes and an unknown link are refused with their reason "
          + "and change nothing; five wrong codes burn the link")
  void badLinks() throws Exception {
    String expiredUrl =
        invite(
                csgAdmin,
                new JsonObject()
                    .put("username", "verlopen-csg")
                    .put("displayName", "Laat")
                    .put("role", "counselor"))
            .bodyAsJsonObject()
            .getString("enrolmentUrl");
    long expiredId = user("verlopen-csg").getLong("id");
    await(
        app.pool()
            .preparedQuery(
                "UPDATE staff_enrolment SET expires_at = now() - interval '1 second' "
                    + "WHERE user_id = $1")
            .execute(Tuple.of(expiredId)));
    String hashBefore = user("verlopen-csg").getString("password_hash");
    for (String step : List.of("start", "finish")) {
      HttpResponse<Buffer> r =
          enrolment(
              web,
              app,
              step,
              new JsonObject()
                  .put("token", token(expiredUrl))
                  .put("password", "lang-genoeg-wachtwoord")
                  .put("code", "123456"));
      assertEquals(410, r.statusCode(), r.bodyAsString());
      assertEquals("enrolment_expired", r.bodyAsJsonObject().getString("error"));
      assertTrue(r.bodyAsJsonObject().getString("message").contains("verlopen"));
    }
    assertEquals(hashBefore, user("verlopen-csg").getString("password_hash"));
    assertNull(user("verlopen-csg").getValue("enrolled_at"));

    String weakUrl =
        invite(
                csgAdmin,
                new JsonObject()
                    .put("username", "zwak-csg")
                    .put("displayName", "Zwak")
                    .put("role", "counselor"))
            .bodyAsJsonObject()
            .getString("enrolmentUrl");
    HttpResponse<Buffer> start =
        enrolment(web, app, "start", new JsonObject().put("token", token(weakUrl)));
    assertEquals(200, start.statusCode());
    secrets.add(start.bodyAsJsonObject().getString("secret"));
    HttpResponse<Buffer> weak =
        enrolment(
            web,
            app,
            "finish",
            new JsonObject()
                .put("token", token(weakUrl))
                .put("password", "kort")
                .put("code", "000000"));
    assertEquals(400, weak.statusCode());
    assertEquals("weak_password", weak.bodyAsJsonObject().getString("error"));
    byte[] secret = ConsoleFixtures.base32(start.bodyAsJsonObject().getString("secret"));
    String wrong = Totp.code(secret, Totp.stepAt(System.currentTimeMillis() / 1000) + 20);
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> bad =
          enrolment(
              web,
              app,
              "finish",
              new JsonObject()
                  .put("token", token(weakUrl))
                  .put("password", "lang-genoeg-wachtwoord")
                  .put("code", wrong));
      assertEquals("bad_totp", bad.bodyAsJsonObject().getString("error"), bad.bodyAsString());
    }
    String right = Totp.code(secret, Totp.stepAt(System.currentTimeMillis() / 1000));
    HttpResponse<Buffer> burnt =
        enrolment(
            web,
            app,
            "finish",
            new JsonObject()
                .put("token", token(weakUrl))
                .put("password", "lang-genoeg-wachtwoord")
                .put("code", right));
    assertEquals(410, burnt.statusCode());
    assertEquals("enrolment_burnt", burnt.bodyAsJsonObject().getString("error"));
    assertNull(user("zwak-csg").getValue("totp_secret"));
    assertNull(user("zwak-csg").getValue("enrolled_at"));

    HttpResponse<Buffer> unknown =
        enrolment(web, app, "start", new JsonObject().put("token", "x".repeat(43)));
    assertEquals(404, unknown.statusCode());
    assertEquals("enrolment_unknown", unknown.bodyAsJsonObject().getString("error"));
  }

  @Test
  @Order(3)
  @DisplayName(
      "edit name, skills, languages and capacity; disable closes the counselor's open console socket at "
          + "once and refuses sign-in; enable; reset two-factor gives a new link and no sign-in until it is used")
  void editDisableEnableReset() throws Exception {
    ConsoleFixtures.Login counselor = counselorLogin;
    WsProbe socket =
        WsProbe.connect(
                client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), counselor.cookie())
            .pinging(client, 1000);
    socket.awaitType("hello");

    HttpResponse<Buffer> edited =
        patch(
            web,
            app,
            csgAdmin,
            "/api/admin/staff/" + newId,
            new JsonObject()
                .put("displayName", "Collega Nieuw")
                .put("skills", new JsonArray().add("perpetrator"))
                .put("languages", new JsonArray().add("nl_easy"))
                .put("capacity", 4));
    assertEquals(200, edited.statusCode(), edited.bodyAsString());
    assertEquals(
        new JsonArray().add("displayName").add("skills").add("capacity"),
        edited.bodyAsJsonObject().getJsonArray("changed"));
    Row row = user("nieuw-csg");
    assertEquals("Collega Nieuw", row.getString("display_name"));
    assertEquals(List.of("perpetrator", "easy_language"), List.of(row.getArrayOfStrings("skills")));
    assertEquals(4, row.getInteger("capacity"));
    assertNull(socket.closeCode, "a profile edit keeps the console open");

    HttpResponse<Buffer> disabled =
        post(web, app, csgAdmin, "/api/admin/staff/" + newId + "/disable", null);
    assertEquals(200, disabled.statusCode(), disabled.bodyAsString());
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (socket.closeCode == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertEquals((short) 4401, socket.closeCode, "the open console socket closed as signed out");
    assertEquals(
        "ended",
        socket
            .await(f -> "session-ended".equals(f.getString("type")), Duration.ofSeconds(1))
            .getString("reason"),
        "the console is told its session ended");
    assertEquals(401, get(web, app, counselor, "/api/me").statusCode(), "the session ended");
    assertEquals(
        401,
        ConsoleFixtures.loginResponse(
                web, app, "nieuw-csg", NEW_PASSWORD, ConsoleFixtures.nextCode(newSecret))
            .statusCode(),
        "a disabled account cannot sign in");
    assertEquals("disabled", listed(csgAdmin, "nieuw-csg").getString("state"));
    HttpResponse<Buffer> twice =
        post(web, app, csgAdmin, "/api/admin/staff/" + newId + "/disable", null);
    assertEquals(409, twice.statusCode());
    assertEquals("already_disabled", twice.bodyAsJsonObject().getString("error"));

    assertEquals(
        200, post(web, app, csgAdmin, "/api/admin/staff/" + newId + "/enable", null).statusCode());
    HttpResponse<Buffer> reset =
        post(web, app, csgAdmin, "/api/admin/staff/" + newId + "/reset-two-factor", null);
    assertEquals(200, reset.statusCode(), reset.bodyAsString());
    String url = reset.bodyAsJsonObject().getString("enrolmentUrl");
    secrets.add(token(url));
    assertNull(user("nieuw-csg").getValue("totp_secret"));
    assertEquals(
        401,
        ConsoleFixtures.loginResponse(web, app, "nieuw-csg", NEW_PASSWORD, null).statusCode(),
        "no password-only sign-in after a two-factor reset");
    newSecret = enrol(web, app, url, NEW_PASSWORD);
    secrets.add(Totp.base32(newSecret));
    ConsoleFixtures.login(web, app, "nieuw-csg", NEW_PASSWORD, ConsoleFixtures.nextCode(newSecret));
  }

  @Test
  @Order(4)
  @DisplayName(
      "refused with a clear reason, nothing changed, the attempt in the trail: an admin of another "
          + "organisation, a role escalation, an admin changing their own role or disabling themselves, a counselor")
  void refusals() throws Exception {
    Row before = user("nieuw-csg");
    for (String path : List.of("/disable", "/reset-two-factor", "/enable")) {
      HttpResponse<Buffer> r = post(web, app, vtAdmin, "/api/admin/staff/" + newId + path, null);
      assertEquals(403, r.statusCode(), path + " " + r.bodyAsString());
      assertEquals("other_organisation", r.bodyAsJsonObject().getString("error"));
    }
    HttpResponse<Buffer> crossEdit =
        patch(
            web,
            app,
            vtAdmin,
            "/api/admin/staff/" + newId,
            new JsonObject().put("displayName", "Overgenomen"));
    assertEquals(403, crossEdit.statusCode());
    assertEquals("other_organisation", crossEdit.bodyAsJsonObject().getString("error"));

    HttpResponse<Buffer> escalate =
        patch(
            web,
            app,
            csgAdmin,
            "/api/admin/staff/" + newId,
            new JsonObject().put("role", "platform_admin"));
    assertEquals(403, escalate.statusCode());
    assertEquals("role_escalation", escalate.bodyAsJsonObject().getString("error"));
    assertTrue(escalate.bodyAsJsonObject().getString("message").contains("platform"));
    HttpResponse<Buffer> inviteEscalate =
        invite(
            csgAdmin,
            new JsonObject()
                .put("username", "te-hoog")
                .put("displayName", "Te hoog")
                .put("role", "platform_admin"));
    assertEquals(403, inviteEscalate.statusCode());
    assertEquals("role_escalation", inviteEscalate.bodyAsJsonObject().getString("error"));
    assertEquals(
        0L,
        await(
                app.pool()
                    .preparedQuery("SELECT count(*) FROM staff_user WHERE username = 'te-hoog'")
                    .execute())
            .iterator()
            .next()
            .getLong(0));

    long csgAdminId = csgAdmin.user().getLong("id");
    HttpResponse<Buffer> self =
        patch(
            web,
            app,
            csgAdmin,
            "/api/admin/staff/" + csgAdminId,
            new JsonObject().put("role", "counselor"));
    assertEquals(400, self.statusCode());
    assertEquals("self", self.bodyAsJsonObject().getString("error"));
    assertEquals(
        "self",
        post(web, app, csgAdmin, "/api/admin/staff/" + csgAdminId + "/disable", null)
            .bodyAsJsonObject()
            .getString("error"));

    ConsoleFixtures.Login counselor = ConsoleFixtures.loginDemo(web, app, "csg");
    assertEquals(403, get(web, app, counselor, "/api/admin/staff").statusCode());
    assertEquals(
        403,
        post(web, app, counselor, "/api/admin/staff/" + newId + "/disable", null).statusCode());

    Row after = user("nieuw-csg");
    for (String column :
        List.of(
            "display_name", "role", "capacity", "password_hash", "enrolled_at", "disabled_at")) {
      assertEquals(
          String.valueOf(before.getValue(column)), String.valueOf(after.getValue(column)), column);
    }
    assertEquals(
        List.of(before.getArrayOfStrings("skills")), List.of(after.getArrayOfStrings("skills")));

    // The attempts are in the trail of the organisation they aimed at, and of the attacker's own
    // organisation.
    JsonArray csgTrail = trail(web, app, csgAdmin);
    JsonArray vtTrail = trail(web, app, vtAdmin);
    for (JsonArray t : List.of(csgTrail, vtTrail)) {
      assertTrue(
          t.stream()
              .map(JsonObject.class::cast)
              .anyMatch(
                  e ->
                      "refused".equals(e.getString("outcome"))
                          && "other_organisation".equals(e.getString("reason"))
                          && "disable".equals(e.getString("action"))
                          && "veilig-thuis-demo-admin"
                              .equals(e.getJsonObject("actor").getString("name"))
                          && Long.valueOf(newId).equals(e.getJsonObject("target").getLong("id"))),
          t.encodePrettily());
    }
    // The attacker's own trail keeps only the id it sent: not the other organisation's account name
    // (no listing of
    // another organisation's staff by probing ids), while the aimed-at organisation sees whose
    // account it was.
    JsonObject seenByAttacker =
        vtTrail.stream()
            .map(JsonObject.class::cast)
            .filter(
                e ->
                    "disable".equals(e.getString("action"))
                        && Long.valueOf(newId).equals(e.getJsonObject("target").getLong("id")))
            .findFirst()
            .orElseThrow()
            .getJsonObject("target");
    assertNull(seenByAttacker.getString("name"), seenByAttacker.encode());
    assertNull(seenByAttacker.getString("organisation"), seenByAttacker.encode());
    assertTrue(seenByAttacker.getBoolean("otherOrganisation"), seenByAttacker.encode());
    assertTrue(
        csgTrail.stream()
            .map(JsonObject.class::cast)
            .anyMatch(
                e ->
                    "disable".equals(e.getString("action"))
                        && "nieuw-csg".equals(e.getJsonObject("target").getString("name"))),
        csgTrail.encodePrettily());
    assertTrue(
        csgTrail.stream()
            .map(JsonObject.class::cast)
            .anyMatch(
                e ->
                    "role_escalation".equals(e.getString("reason"))
                        && "edit".equals(e.getString("action"))));
  }

  @Test
  @Order(5)
  @DisplayName(
      "every admin action is in the admin audit trail with who, what and when, never a secret; the trail "
          + "cannot be rewritten")
  void everyActionInTrail() throws Exception {
    JsonArray entries = trail(web, app, csgAdmin);
    Instant now = Instant.now().plusSeconds(1);
    for (String action :
        List.of("invite", "edit", "disable", "enable", "reset_two_factor", "enrol")) {
      JsonObject e =
          entries.stream()
              .map(JsonObject.class::cast)
              .filter(
                  x ->
                      action.equals(x.getString("action"))
                          && "done".equals(x.getString("outcome"))
                          && Long.valueOf(newId).equals(x.getJsonObject("target").getLong("id")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no " + action + " in " + entries));
      Instant at = Instant.parse(e.getString("at"));
      assertTrue(!at.isBefore(startedAt) && at.isBefore(now), action + " at " + at);
      String expectedActor = "enrol".equals(action) ? "nieuw-csg" : "csg-demo-admin";
      assertEquals(expectedActor, e.getJsonObject("actor").getString("name"), action);
      assertEquals("nieuw-csg", e.getJsonObject("target").getString("name"), action);
      assertEquals("csg", e.getJsonObject("target").getString("organisation"), action);
    }
    JsonObject edit =
        entries.stream()
            .map(JsonObject.class::cast)
            .filter(
                x -> "edit".equals(x.getString("action")) && "done".equals(x.getString("outcome")))
            .findFirst()
            .orElseThrow();
    assertEquals(
        4,
        edit.getJsonObject("detail")
            .getJsonObject("changes")
            .getJsonObject("capacity")
            .getInteger("to"));
    // Organisation admins of csg do not see veilig_thuis' own actions.
    assertFalse(
        entries.stream()
            .map(JsonObject.class::cast)
            .anyMatch(
                x ->
                    "veilig_thuis".equals(x.getJsonObject("target").getString("organisation"))
                        && "veilig_thuis"
                            .equals(x.getJsonObject("actor").getString("organisation"))));

    String table =
        await(
                app.pool()
                    .query(
                        "SELECT coalesce(string_agg(admin_audit::text, '|'), '') FROM admin_audit")
                    .execute())
            .iterator()
            .next()
            .getString(0);
    for (String secret : secrets) {
      assertFalse(table.contains(secret), "the trail holds a secret");
      assertFalse(entries.encode().contains(secret), "the read API shows a secret");
    }
    assertThrows(
        Exception.class,
        () -> await(app.pool().query("UPDATE admin_audit SET reason = 'x'").execute()));
  }

  @Test
  @Order(6)
  @DisplayName(
      "a platform admin adds an organisation: its key-encryption key is created in the shared key store at "
          + "once, and its first organisation admin is invited; an organisation admin cannot add one")
  void platformAdminAddsOrganisation() throws Exception {
    ConsoleFixtures.Login platform =
        ConsoleFixtures.login(
            web,
            app,
            "demo-platform-admin",
            TestApp.demoPasswordOf(app, "demo-platform-admin"),
            null);
    HttpResponse<Buffer> refused =
        post(
            web,
            app,
            csgAdmin,
            "/api/admin/organisations",
            new JsonObject().put("id", "nieuwe_org").put("name", "Nieuwe Organisatie"));
    assertEquals(403, refused.statusCode());

    HttpResponse<Buffer> created =
        post(
            web,
            app,
            platform,
            "/api/admin/organisations",
            new JsonObject().put("id", "nieuwe_org").put("name", "Nieuwe Organisatie"));
    assertEquals(201, created.statusCode(), created.bodyAsString());
    assertEquals("nieuwe_org#v1", created.bodyAsJsonObject().getString("keyId"));
    assertEquals("nieuwe_org#v1", app.keyStore().currentKeyId("nieuwe_org").toString());
    // On disk under the shared key-store lock, with the change notice: what another node reloads.
    try (OrganisationKeyStore reopened =
        OrganisationKeyStore.openOrCreate(
            app.keyStore().file(), Launcher.DEMO_PASSPHRASE.toCharArray(), false)) {
      assertTrue(reopened.key(reopened.currentKeyId("nieuwe_org")).isPresent());
    }
    assertEquals(
        409,
        post(
                web,
                app,
                platform,
                "/api/admin/organisations",
                new JsonObject().put("id", "nieuwe_org").put("name", "Nog een keer"))
            .statusCode());

    HttpResponse<Buffer> inviteAdmin =
        invite(
            platform,
            new JsonObject()
                .put("username", "nieuwe-beheerder")
                .put("displayName", "Nieuwe Beheerder")
                .put("role", "org_admin")
                .put("orgId", "nieuwe_org"));
    assertEquals(201, inviteAdmin.statusCode(), inviteAdmin.bodyAsString());
    byte[] secret =
        enrol(
            web,
            app,
            inviteAdmin.bodyAsJsonObject().getString("enrolmentUrl"),
            "beheerder-wachtwoord-1");
    ConsoleFixtures.Login orgAdmin =
        ConsoleFixtures.login(
            web,
            app,
            "nieuwe-beheerder",
            "beheerder-wachtwoord-1",
            ConsoleFixtures.nextCode(secret));
    JsonArray own =
        get(web, app, orgAdmin, "/api/admin/staff").bodyAsJsonObject().getJsonArray("staff");
    assertEquals(1, own.size(), own.encode());

    JsonArray all = trail(web, app, platform);
    assertTrue(
        all.stream()
            .map(JsonObject.class::cast)
            .anyMatch(
                e ->
                    "create_organisation".equals(e.getString("action"))
                        && "done".equals(e.getString("outcome"))
                        && "nieuwe_org#v1".equals(e.getJsonObject("detail").getString("keyId"))
                        && "demo-platform-admin"
                            .equals(e.getJsonObject("actor").getString("name"))),
        all.encode());
  }
}
