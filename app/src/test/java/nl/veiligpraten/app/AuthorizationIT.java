package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import nl.veiligpraten.console.ConsoleVerticle;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Generated cross-organisation attacks: for every HTTP route the console serves and every WebSocket
 * frame type it accepts, staff of organisation A (counselor, supervisor, organisation admin) act on
 * resources of organisation B. Each attempt must be refused (or return nothing of B) and leave B's
 * data exactly as it was.
 */
@DisplayName(
    "Authorization: staff of one organisation cannot act on another organisation's chats, users or replies")
class AuthorizationIT extends SharedServiceIT {

  static UUID queuedB;
  static UUID assignedB;

  /** Issue 19: a message B's organisation holds in its inbox. */
  static UUID inboxB;

  static UUID ownA;
  static long cannedB;
  static long counselorB;
  static List<UUID> bChats;

  /** Everything of organisation B an attack could change, as one comparable string. */
  static String snapshotB() throws Exception {
    String sql =
        "SELECT string_agg(x, '|' ORDER BY x) FROM ("
            + "SELECT 'conv' || id || status || coalesce(counselor_id::text, '-') || org_id || coalesce(outcome, '-') "
            + "|| array_to_string(tags, ',') || transfer_count || queue_head AS x FROM conversation WHERE id = ANY($1) "
            + "UNION ALL SELECT 'ref' || count(*) FROM referral WHERE conversation_id = ANY($1) "
            + "UNION ALL SELECT 'note' || count(*) FROM staff_note WHERE conversation_id = ANY($1) "
            + "UNION ALL SELECT 'msg' || count(*) FROM message WHERE conversation_id = ANY($1) "
            + "UNION ALL SELECT 'asg' || count(*) FROM assignment WHERE conversation_id = ANY($1) "
            + "UNION ALL SELECT 'key' || coalesce(string_agg(org_id, ',' ORDER BY org_id), '') FROM conversation_key "
            + "WHERE conversation_id = ANY($1) "
            + "UNION ALL SELECT 'canned' || coalesce(string_agg(id || title || body, ',' ORDER BY id), '') "
            + "FROM canned_reply WHERE org_id = 'veilig_thuis' "
            + "UNION ALL SELECT 'staff' || string_agg(id || status || capacity || coalesce(encode(totp_secret, 'hex'), '-') "
            + "|| display_name || role || array_to_string(skills, ',') || password_hash || coalesce(disabled_at::text, '-') "
            + "|| coalesce(enrolled_at::text, '-') "
            + "|| coalesce(encode(totp_pending, 'hex'), '-'), ',' ORDER BY id) FROM staff_user WHERE org_id = 'veilig_thuis' "
            + "UNION ALL SELECT 'org' || name FROM organisation WHERE id = 'veilig_thuis') t";
    return await(
            app.pool()
                .preparedQuery(sql)
                .execute(Tuple.tuple().addArrayOfUUID(bChats.toArray(new UUID[0]))))
        .iterator()
        .next()
        .getString(0);
  }

  record Attacker(String role, ConsoleFixtures.Login login, WsProbe socket) {}

  @Test
  @DisplayName(
      "every console HTTP route and WebSocket frame type, tried by A's counselor, supervisor and admin "
          + "on B's resources, is refused and changes nothing")
  void generatedCrossOrganisationAttacks() throws Exception {
    // Organisation B (veilig_thuis): a queued chat, a chat held by its counselor, a canned reply.
    ConsoleFixtures.Visitor vq = ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    ConsoleFixtures.Visitor va = ConsoleFixtures.queuedVisitor(client, app, "veilig_thuis", null);
    queuedB = vq.conversationId();
    assignedB = va.conversationId();
    ConsoleFixtures.Login bLogin = ConsoleFixtures.loginDemo(web, app, "veilig_thuis");
    counselorB = bLogin.user().getLong("id");
    WsProbe bSocket =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), bLogin.cookie());
    bSocket.awaitType("hello");
    bSocket.send(new JsonObject().put("type", "take").put("conversationId", assignedB.toString()));
    bSocket.await(f -> "assigned".equals(f.getString("type")), Duration.ofSeconds(10));
    va.probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v1")
                .put("body", "geheim van B"));
    va.probe().awaitType("ack");
    ConsoleFixtures.createStaff(
        app, "veilig_thuis", "vt-admin", "org_admin", "vt-admin-password", 3);
    ConsoleFixtures.Login bAdmin =
        ConsoleFixtures.login(web, app, "vt-admin", "vt-admin-password", null);
    HttpResponse<Buffer> canned =
        ConsoleFixtures.post(
            web,
            app,
            bAdmin,
            "/api/canned",
            new JsonObject().put("title", "B-intern").put("body", "Tekst van B"));
    assertEquals(201, canned.statusCode(), canned.bodyAsString());
    cannedB = canned.bodyAsJsonObject().getLong("id");
    WsProbe vi =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    vi.send(new JsonObject().put("type", "hello").put("v", 1));
    String inboxToken = vi.awaitType("welcome").getString("resumeToken");
    vi.send(
        new JsonObject()
            .put("type", "leave-message")
            .put("helpPoint", "veilig_thuis")
            .put("clientId", "b-1")
            .put("body", "geheim van B in de inbox"));
    vi.awaitType("message-left");
    vi.close();
    inboxB =
        await(
                app.pool()
                    .preparedQuery("SELECT id FROM conversation WHERE resume_hash = $1")
                    .execute(
                        Tuple.of(
                            Buffer.buffer(nl.veiligpraten.infra.web.Secrets.sha256(inboxToken)))))
            .iterator()
            .next()
            .getUUID(0);
    bChats = List.of(queuedB, assignedB, inboxB);

    // Organisation A (csg): counselor with a chat of its own, supervisor, admin.
    ConsoleFixtures.Visitor own = ConsoleFixtures.queuedVisitor(client, app, "csg", null);
    ownA = own.conversationId();
    ConsoleFixtures.createStaff(app, "csg", "csg-super", "supervisor", "super-password", 3);
    ConsoleFixtures.createStaff(app, "csg", "csg-admin", "org_admin", "admin-password", 3);
    List<Attacker> attackers = new ArrayList<>();
    ConsoleFixtures.Login aCounselor = ConsoleFixtures.loginDemo(web, app, "csg");
    WsProbe aSocket =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), aCounselor.cookie());
    aSocket.awaitType("hello");
    aSocket.send(new JsonObject().put("type", "take").put("conversationId", ownA.toString()));
    aSocket.await(f -> "assigned".equals(f.getString("type")), Duration.ofSeconds(10));
    attackers.add(new Attacker("counselor", aCounselor, aSocket));
    ConsoleFixtures.Login aSuper =
        ConsoleFixtures.login(web, app, "csg-super", "super-password", null);
    WsProbe superSocket =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), aSuper.cookie());
    superSocket.awaitType("hello");
    attackers.add(new Attacker("supervisor", aSuper, superSocket));
    attackers.add(
        new Attacker(
            "org_admin",
            ConsoleFixtures.login(web, app, "csg-admin", "admin-password", null),
            null));

    List<String> markers =
        List.of(
            queuedB.toString(),
            assignedB.toString(),
            "geheim van B",
            "B-intern",
            "Tekst van B",
            "Hulpverlener Veilig Thuis",
            "vt-admin");
    String before = snapshotB();
    int attempts = 0;
    Map<String, Integer> perTarget = new LinkedHashMap<>();

    // ---- HTTP: generated from the console's own route table
    // --------------------------------------------------
    List<String> routes =
        app.console().routeTable().stream()
            .filter(r -> r.contains(" /api/"))
            .filter(r -> !r.endsWith(" /api/login") && !r.endsWith(" /api/logout"))
            .distinct()
            .toList();
    assertTrue(routes.size() >= 14, "route table " + routes);
    for (Attacker attacker : attackers) {
      for (String route : routes) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1);
        for (String concrete : concretePaths(path)) {
          for (JsonObject body : bodies(method)) {
            HttpResponse<Buffer> r = send(attacker.login(), method, concrete, body);
            attempts++;
            perTarget.merge(method + " " + path, 1, Integer::sum);
            String text = r.bodyAsString() == null ? "" : r.bodyAsString();
            for (String marker : markers) {
              assertFalse(
                  text.contains(marker),
                  attacker.role()
                      + " "
                      + method
                      + " "
                      + concrete
                      + " leaked "
                      + marker
                      + ": "
                      + text);
            }
            if (path.contains("/inbox/:id")) {
              // 400: the body is checked before any lookup (the same answer for every id, so it
              // tells nothing).
              assertTrue(
                  List.of(400, 403, 404, 409).contains(r.statusCode()),
                  attacker.role() + " " + method + " " + concrete + " -> " + r.statusCode());
            }
            if (path.contains("/conversations/:id") || path.contains("/canned/:id")) {
              assertTrue(
                  r.statusCode() == 403 || r.statusCode() == 404,
                  attacker.role() + " " + method + " " + concrete + " -> " + r.statusCode());
            }
            assertEquals(
                before,
                snapshotB(),
                attacker.role() + " " + method + " " + concrete + " changed B");
          }
        }
      }
    }

    // ---- WebSocket: every frame type, on each of B's chats (and A's own chat towards B's
    // counselor) ----------
    for (Attacker attacker : attackers) {
      if (attacker.socket() == null) {
        // Roles without a chat console are refused at the upgrade.
        try {
          WsProbe.connect(
              client,
              app.consolePort(),
              "/ws",
              ConsoleFixtures.origin(app),
              attacker.login().cookie());
          fail("org_admin got a chat socket");
        } catch (Exception expected) {
          attempts++;
          perTarget.merge("WS upgrade", 1, Integer::sum);
        }
        continue;
      }
      for (String type : ConsoleVerticle.frameTypes()) {
        List<UUID> targets = new ArrayList<>(bChats);
        if ("transfer".equals(type)) {
          targets.add(ownA);
        }
        for (UUID target : targets) {
          JsonObject frame =
              new JsonObject()
                  .put("type", type)
                  .put("conversationId", target.toString())
                  .put("clientId", "attack-" + attempts)
                  .put("body", "aanval")
                  .put("outcome", "listened")
                  .put("tags", new JsonArray())
                  .put("toStaffId", counselorB)
                  .put("helpPoint", "sense")
                  .put("status", "busy")
                  .put("note", "aanval")
                  .put("reason", "aanval");
          attacker.socket().send(frame);
          attempts++;
          perTarget.merge("WS " + type, 1, Integer::sum);
          if ("ping".equals(type)) {
            attacker.socket().awaitType("pong");
          } else if ("status".equals(type)) {
            attacker.socket().awaitType("status");
          } else {
            String id = target.toString();
            JsonObject refused =
                attacker
                    .socket()
                    .await(
                        f ->
                            "error".equals(f.getString("type"))
                                && id.equals(f.getString("conversationId")),
                        Duration.ofSeconds(10));
            assertFalse(refused.getString("code").isEmpty());
          }
          assertEquals(
              before,
              snapshotB(),
              attacker.role() + " frame " + type + " on " + target + " changed B");
        }
      }
    }
    // Nothing of B ever reached A's sockets. B's visitor writes once more and B's counselor
    // receives it, so anything
    // subscribed to B's chat has been sent it too; then a ping on each of A's sockets: every frame
    // before its pong
    // (those the awaits above skipped included) is checked, instead of sleeping and reading what is
    // left queued.
    va.probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v-late")
                .put("body", "geheim van B, later"));
    bSocket.await(
        f ->
            "message".equals(f.getString("type"))
                && "geheim van B, later".equals(f.getString("body")),
        Duration.ofSeconds(10));
    for (Attacker attacker : attackers) {
      if (attacker.socket() == null) {
        continue;
      }
      attacker.socket().send(new JsonObject().put("type", "ping"));
      for (JsonObject f :
          attacker
              .socket()
              .before(f -> "pong".equals(f.getString("type")), Duration.ofSeconds(10))) {
        String text = f.encode();
        boolean echoOfOwnRequest = "error".equals(f.getString("type"));
        if (!echoOfOwnRequest) {
          for (String marker : markers) {
            assertFalse(text.contains(marker), attacker.role() + " received " + text);
          }
        }
      }
    }
    long ownCounselor =
        await(
                app.pool()
                    .preparedQuery("SELECT counselor_id FROM conversation WHERE id = $1")
                    .execute(Tuple.of(ownA)))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(
        aCounselor.user().getLong("id"), ownCounselor, "A's chat was not handed to B's counselor");
    System.out.printf(
        "authorization: %d cross-organisation attempts over %d HTTP routes and %d frame types, all "
            + "refused; per target %s%n",
        attempts, routes.size(), ConsoleVerticle.frameTypes().size(), perTarget);
    assertTrue(attempts > 100);
  }

  /**
   * Concrete paths for a route: every path parameter replaced by ids of B's resources (and a
   * malformed one).
   */
  static List<String> concretePaths(String path) {
    if (path.contains("/conversations/:id")) {
      return List.of(
          path.replace(":id", queuedB.toString()),
          path.replace(":id", assignedB.toString()),
          path.replace(":id", "not-a-uuid"));
    }
    if (path.contains("/inbox/:id")) {
      return List.of(path.replace(":id", inboxB.toString()), path.replace(":id", "not-a-uuid"));
    }
    if (path.contains("/canned/:id")) {
      return List.of(path.replace(":id", String.valueOf(cannedB)), path.replace(":id", "-1"));
    }
    if (path.contains("/admin/staff/:id")) {
      // Staff administration: B's counselor as the target (issue 21), and a malformed id.
      return List.of(path.replace(":id", String.valueOf(counselorB)), path.replace(":id", "x"));
    }
    if (path.contains(":")) {
      // Routes mounted by other modules (e.g. statistics): every parameter gets B's organisation id
      // and B's chat id.
      return List.of(
          path.replaceAll(":[A-Za-z]+", "veilig_thuis"),
          path.replaceAll(":[A-Za-z]+", assignedB.toString()));
    }
    return List.of(path);
  }

  /** Bodies that point at B in every field a handler might read. */
  static List<JsonObject> bodies(String method) {
    if ("GET".equals(method) || "DELETE".equals(method)) {
      return java.util.Collections.singletonList(null);
    }
    JsonObject b =
        new JsonObject()
            .put("conversationId", queuedB.toString())
            .put("orgId", "veilig_thuis")
            .put("organisation", "veilig_thuis")
            .put("org", "veilig_thuis")
            .put("userId", counselorB)
            .put("staffId", counselorB)
            .put("status", "busy")
            .put("title", "A-titel")
            .put("body", "A-tekst")
            .put("code", "000000")
            .put("id", "veilig_thuis")
            .put("name", "Overgenomen");
    return List.of(
        b, b.copy().put("conversationId", assignedB.toString()).put("id", "veilig_thuis_2"));
  }

  static HttpResponse<Buffer> send(
      ConsoleFixtures.Login login, String method, String path, JsonObject body) throws Exception {
    var req =
        web.request(HttpMethod.valueOf(method), app.consolePort(), "127.0.0.1", path)
            .putHeader("Cookie", login.cookie())
            .putHeader("X-CSRF-Token", login.csrf())
            .putHeader("Origin", ConsoleFixtures.origin(app));
    return await(body == null ? req.send() : req.sendJsonObject(body));
  }
}
