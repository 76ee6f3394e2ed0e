package nl.veiligpraten.app;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Tuple;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.abuse.AbuseLimits;
import nl.veiligpraten.infra.abuse.Limit;
import nl.veiligpraten.routing.PriorityAgeing;
import nl.veiligpraten.routing.config.RoutingConfig;
import nl.veiligpraten.staffing.StaffingRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 on real sockets: honest staffing-aware waits, a P0 flood from one address that cannot
 * push a real visitor down, and supervisor control (take over, reassign, close a burst as abuse).
 * One service for the whole class; each test uses its own organisation, so who is online in one
 * test does not change another.
 */
@DisplayName("Queue control: staffed waits, flood limits and supervisor control on real sockets")
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class QueueControlIT {

  /** P0 claims one address may make before further claims are held at P1 for a supervisor. */
  static final int P0_BURST = 3;

  @TempDir static Path dataDir;
  @TempDir static Path configDir;
  static Vertx client;
  static WebClient web;
  static RunningApp app;

  @BeforeAll
  static void setUp() throws Exception {
    client = Vertx.vertx();
    web = WebClient.create(client);
    Files.writeString(configDir.resolve("help-points.yaml"), allQueuesAlwaysOpen());
    Limit lots = new Limit(100_000, Duration.ofMinutes(1));
    AbuseLimits limits =
        new AbuseLimits(
            lots, lots, new Limit(P0_BURST, Duration.ofHours(1)), lots, Duration.ofMinutes(60));
    app =
        TestApp.start(
            AppSettings.forTest(dataDir).withConfigDir(configDir).withAbuseLimits(limits));
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /**
   * The bundled help points with every queue open day and night (the tests must not depend on the
   * clock).
   */
  static String allQueuesAlwaysOpen() throws Exception {
    try (InputStream in =
        QueueControlIT.class.getClassLoader().getResourceAsStream("config/help-points.yaml")) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.replaceAll(
          "openingHours:\\n(\\s+(mon|tue|wed|thu|fri|sat|sun): [^\\n]+\\n)+",
          "openingHours: \"24/7\"\n");
    }
  }

  static WsProbe visitor() throws Exception {
    return visitorFrom("127.0.0.1");
  }

  static WsProbe visitorFrom(String address) throws Exception {
    WsProbe v =
        WsProbe.connectFrom(
            client,
            address,
            app.visitorPort(),
            "/ws",
            "http://127.0.0.1:" + app.visitorPort(),
            null);
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    v.awaitType("welcome");
    return v;
  }

  static WsProbe console(ConsoleFixtures.Login login) throws Exception {
    WsProbe p =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie());
    p.awaitType("hello");
    return p;
  }

  static JsonObject queued(WsProbe v) throws InterruptedException {
    return v.await(f -> "queued".equals(f.getString("type")), Duration.ofSeconds(15));
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  @DisplayName(
      "(a) with nobody online, suggestions and queued say staffed: false with no estimate and list what is "
          + "open now; (b) once a counselor is online, a waiting visitor and new suggestions say staffed: true")
  void staffedOrNot() throws Exception {
    // veilig_thuis staffs general triage; nobody of it is online yet.
    WsProbe first = visitor();
    JsonObject answers = new JsonObject().put("Q0", "no").put("talk_now", true);
    first.send(new JsonObject().put("type", "answers").put("answers", answers));
    JsonObject suggestions = first.awaitType("suggestions");
    JsonObject triage = suggestions.getJsonObject("cards").getJsonObject("triage");
    assertFalse(triage.getJsonObject("wait").getBoolean("staffed"), suggestions.encode());
    assertTrue(triage.getJsonObject("wait").containsKey("estimatedWaitSeconds"));
    assertNull(triage.getJsonObject("wait").getValue("estimatedWaitSeconds"));
    JsonArray open = suggestions.getJsonArray("alternatives");
    assertTrue(
        open.stream()
            .map(o -> ((JsonObject) o).getString("id"))
            .toList()
            .containsAll(List.of("csg", "veilig_thuis")),
        "24/7 phone lines of the queue organisations are offered: " + open);
    for (Object o : open) {
      JsonObject card = (JsonObject) o;
      if ("queue".equals(card.getString("kind"))) {
        assertFalse(
            card.getBoolean("chatNow"),
            "nobody is online, so no queue is offered as a chat: " + card);
      }
    }

    first.send(
        new JsonObject().put("type", "choose").put("helpPoint", "triage").put("answers", answers));
    JsonObject q1 = queued(first);
    assertFalse(q1.getBoolean("staffed"), q1.encode());
    assertNull(q1.getValue("estimatedWaitSeconds"));
    assertTrue(q1.containsKey("estimatedWaitSeconds"));
    assertEquals(1, q1.getInteger("position"));
    assertFalse(q1.getJsonArray("alternatives").isEmpty());

    WsProbe second = visitor();
    second.send(
        new JsonObject().put("type", "choose").put("helpPoint", "triage").put("answers", answers));
    JsonObject q2 = queued(second);
    assertFalse(q2.getBoolean("staffed"));
    assertEquals(2, q2.getInteger("position"));

    // (b) A counselor with room for one chat comes online: the first visitor is assigned, the
    // second is told
    // someone is there now (no estimate yet: too little history).
    ConsoleFixtures.createStaff(app, "veilig_thuis", "vt-wait", "counselor", "wait-password", 1);
    WsProbe counselor = console(ConsoleFixtures.login(web, app, "vt-wait", "wait-password", null));
    counselor.send(new JsonObject().put("type", "status").put("status", "available"));
    first.awaitType("assigned");
    JsonObject staffed =
        second.await(
            f ->
                "queued".equals(f.getString("type"))
                    && f.getBoolean("staffed")
                    && f.getInteger("position") == 1,
            Duration.ofSeconds(15));
    assertNull(
        staffed.getValue("estimatedWaitSeconds"), "no estimate without recent handling times");
    assertFalse(staffed.containsKey("alternatives"));

    WsProbe third = visitor();
    third.send(new JsonObject().put("type", "answers").put("answers", answers));
    JsonObject later = third.awaitType("suggestions");
    assertTrue(
        later
            .getJsonObject("cards")
            .getJsonObject("triage")
            .getJsonObject("wait")
            .getBoolean("staffed"),
        later.encode());

    // The counselor leaves: waiting visitors are told at once that nobody is there any more.
    counselor.close();
    JsonObject gone =
        second.await(
            f -> "queued".equals(f.getString("type")) && !f.getBoolean("staffed"),
            Duration.ofSeconds(15));
    assertNull(gone.getValue("estimatedWaitSeconds"));
    for (WsProbe p : List.of(first, second, third)) {
      p.close();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  @DisplayName(
      "(e) a flood of P0 chats over many sockets from one address moves a waiting P1 visitor down by at "
          + "most the burst; every flooding socket saw 112; the supervisor is alerted, confirms one claim and closes "
          + "the rest as abuse in one action, and a burst with another organisation's chat in it changes nothing")
  void p0Flood() throws Exception {
    ConsoleFixtures.createStaff(app, "csg", "csg-flood-sup", "supervisor", "flood-password", 3);
    WsProbe supervisor =
        console(ConsoleFixtures.login(web, app, "csg-flood-sup", "flood-password", null));

    WsProbe real = visitor();
    JsonObject realAnswers =
        new JsonObject()
            .put("Q0", "no")
            .put("Q1", "victim")
            .put("Q3", "today")
            .put("Q4", new JsonArray().add("physical"));
    real.send(
        new JsonObject().put("type", "choose").put("helpPoint", "csg").put("answers", realAnswers));
    long before = queued(real).getLong("position");

    int flood = 15;
    JsonObject danger = new JsonObject().put("Q0", "yes");
    List<UUID> flooded = new ArrayList<>();
    for (int i = 0; i < flood; i++) {
      // A new socket each time, all from one address (127.0.0.9), as a script rotating connections
      // would.
      WsProbe f = visitorFrom("127.0.0.9");
      f.send(new JsonObject().put("type", "answers").put("answers", danger));
      JsonObject s = f.awaitType("suggestions");
      assertTrue(
          s.getJsonObject("route").getBoolean("emergency"),
          "socket " + i + " saw the 112 screen data");
      f.send(new JsonObject().put("type", "choose").put("helpPoint", "csg").put("answers", danger));
      JsonObject q = queued(f);
      assertNotNull(q.getValue("position"), "a P0 claim beyond the limit is never refused");
      flooded.add(newestQueued("csg"));
      f.close();
    }
    long held =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM conversation WHERE id = ANY($1) AND p0_held "
                            + "AND priority = 1")
                    .execute(Tuple.tuple().addArrayOfUUID(flooded.toArray(new UUID[0]))))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(flood - P0_BURST, held, "claims beyond the burst wait at P1 for a supervisor");

    // The real visitor moved down by at most the burst, in every frame it got and in the database.
    real.send(new JsonObject().put("type", "ping"));
    real.awaitType("pong");
    UUID realId = placeOf(real, "csg");
    long now =
        new StaffingRepository(
                app.pool(), PriorityAgeing.fromConfig(RoutingConfig.defaults()), 3600, 50)
            .place(realId)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .orElseThrow()
            .position();
    assertTrue(now <= before + P0_BURST, "moved from " + before + " to " + now);
    for (JsonObject f : real.frames) {
      if ("queued".equals(f.getString("type"))) {
        assertTrue(f.getLong("position") <= before + P0_BURST, f.encode());
      }
    }

    // The supervisor was alerted to every held claim.
    for (int i = 0; i < flood - P0_BURST; i++) {
      supervisor.await(
          f -> "alert".equals(f.getString("type")) && "p0_held".equals(f.getString("kind")),
          Duration.ofSeconds(10));
    }
    ConsoleFixtures.Login supLogin =
        ConsoleFixtures.login(web, app, "csg-flood-sup", "flood-password", null);
    JsonObject board = ConsoleFixtures.get(web, app, supLogin, "/api/board").bodyAsJsonObject();
    assertEquals(flood - P0_BURST, board.getJsonArray("heldP0").size(), board.encode());

    // Confirming a held claim makes it P0 again.
    UUID heldOne = flooded.get(flood - 1);
    supervisor.send(
        new JsonObject().put("type", "confirm-p0").put("conversationId", heldOne.toString()));
    supervisor.awaitType("p0-confirmed");
    assertEquals(
        0,
        (int)
            await(
                    app.pool()
                        .preparedQuery("SELECT priority FROM conversation WHERE id = $1")
                        .execute(Tuple.of(heldOne)))
                .iterator()
                .next()
                .getShort(0));

    // A burst that names another organisation's chat is refused and closes nothing.
    UUID foreign = ConsoleFixtures.queuedVisitor(client, app, "mores", null).conversationId();
    List<UUID> withForeign = new ArrayList<>(flooded);
    withForeign.add(foreign);
    supervisor.send(closeAbuse(withForeign));
    supervisor.await(
        f -> "error".equals(f.getString("type")) && "not_yours".equals(f.getString("code")),
        Duration.ofSeconds(10));
    assertEquals(0L, closedCount(withForeign));

    // The burst alone is closed in one action with the coded reason.
    supervisor.send(closeAbuse(flooded));
    JsonObject done = supervisor.awaitType("closed-abuse");
    assertEquals(flood, done.getJsonArray("conversationIds").size());
    assertEquals((long) flood, closedCount(flooded));
    assertEquals(
        "misbruik",
        await(
                app.pool()
                    .preparedQuery("SELECT outcome FROM conversation WHERE id = $1")
                    .execute(Tuple.of(flooded.get(0))))
            .iterator()
            .next()
            .getString(0));
    JsonObject back =
        real.await(
            f -> "queued".equals(f.getString("type")) && f.getLong("position") <= before,
            Duration.ofSeconds(15));
    assertTrue(back.getLong("position") <= before);
    real.close();
    supervisor.close();
  }

  static JsonObject closeAbuse(List<UUID> ids) {
    JsonArray list = new JsonArray();
    ids.forEach(id -> list.add(id.toString()));
    return new JsonObject()
        .put("type", "close-abuse")
        .put("conversationIds", list)
        .put("reason", "misbruik");
  }

  static long closedCount(List<UUID> ids) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT count(*) FROM conversation WHERE id = ANY($1) AND status = 'closed'")
                .execute(Tuple.tuple().addArrayOfUUID(ids.toArray(new UUID[0]))))
        .iterator()
        .next()
        .getLong(0);
  }

  /**
   * The most recently queued chat of a help point (the one the test just queued; the test queues
   * one at a time).
   */
  static UUID newestQueued(String helpPoint) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT id FROM conversation WHERE help_point = $1 AND status = 'queued' "
                        + "ORDER BY queued_at DESC, id LIMIT 1")
                .execute(Tuple.of(helpPoint)))
        .iterator()
        .next()
        .getUUID(0);
  }

  /**
   * The queued non-P0, non-held chat of the help point that was queued first (the real visitor).
   */
  static UUID placeOf(WsProbe ignored, String helpPoint) throws Exception {
    return await(
            app.pool()
                .preparedQuery(
                    "SELECT id FROM conversation WHERE help_point = $1 AND status = 'queued' "
                        + "AND NOT p0_held AND priority = 1 ORDER BY queued_at LIMIT 1")
                .execute(Tuple.of(helpPoint)))
        .iterator()
        .next()
        .getUUID(0);
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  @DisplayName(
      "(f) a supervisor takes over one chat and reassigns another to a named counselor; both visitors see "
          + "one continuous conversation, and a supervisor of another organisation changes nothing")
  void takeOverAndReassign() throws Exception {
    ConsoleFixtures.createStaff(app, "cvsn", "cvsn-c1", "counselor", "c1-password", 2);
    ConsoleFixtures.createStaff(app, "cvsn", "cvsn-c2", "counselor", "c2-password", 2);
    ConsoleFixtures.createStaff(app, "cvsn", "cvsn-sup", "supervisor", "sup-password", 2);
    ConsoleFixtures.createStaff(app, "sense", "sense-sup", "supervisor", "other-password", 2);
    ConsoleFixtures.Login c1Login = ConsoleFixtures.login(web, app, "cvsn-c1", "c1-password", null);
    ConsoleFixtures.Login c2Login = ConsoleFixtures.login(web, app, "cvsn-c2", "c2-password", null);
    WsProbe c1 = console(c1Login);
    WsProbe c2 = console(c2Login);
    WsProbe sup = console(ConsoleFixtures.login(web, app, "cvsn-sup", "sup-password", null));
    WsProbe other = console(ConsoleFixtures.login(web, app, "sense-sup", "other-password", null));

    ConsoleFixtures.Visitor v1 = ConsoleFixtures.queuedVisitor(client, app, "cvsn", null);
    ConsoleFixtures.Visitor v2 = ConsoleFixtures.queuedVisitor(client, app, "cvsn", null);
    for (ConsoleFixtures.Visitor v : List.of(v1, v2)) {
      c1.send(
          new JsonObject()
              .put("type", "take")
              .put("conversationId", v.conversationId().toString()));
      v.probe().awaitType("assigned");
      c1.send(
          new JsonObject()
              .put("type", "message")
              .put("conversationId", v.conversationId().toString())
              .put("clientId", "c1-" + v.conversationId())
              .put("body", "Hallo, ik ben er."));
      JsonObject m = v.probe().awaitType("message");
      assertEquals(1, m.getInteger("seq"));
    }

    // Another organisation's supervisor: refused, nothing changes.
    other.send(
        new JsonObject()
            .put("type", "takeover")
            .put("conversationId", v1.conversationId().toString()));
    other.await(f -> "error".equals(f.getString("type")), Duration.ofSeconds(10));
    other.send(
        new JsonObject()
            .put("type", "reassign")
            .put("conversationId", v2.conversationId().toString())
            .put("toStaffId", c2Login.user().getLong("id")));
    other.await(f -> "error".equals(f.getString("type")), Duration.ofSeconds(10));
    assertEquals(c1Login.user().getLong("id"), owner(v1.conversationId()));
    assertEquals(c1Login.user().getLong("id"), owner(v2.conversationId()));

    // Take-over: the visitor is told who they talk to now, the first counselor lets go, the chat
    // goes on.
    sup.send(
        new JsonObject()
            .put("type", "takeover")
            .put("conversationId", v1.conversationId().toString()));
    JsonObject a1 = v1.probe().awaitType("assigned");
    assertEquals("Medewerker cvsn-sup", a1.getString("counselor"));
    c1.await(
        f ->
            "released".equals(f.getString("type"))
                && v1.conversationId().toString().equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    sup.await(
        f ->
            "message".equals(f.getString("type"))
                && f.getInteger("seq") == 1
                && v1.conversationId().toString().equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    sup.send(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", v1.conversationId().toString())
            .put("clientId", "sup-1")
            .put("body", "Ik neem het gesprek over."));
    assertEquals(2, v1.probe().awaitType("message").getInteger("seq"));
    v1.probe()
        .send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "v1-after")
                .put("body", "Dank je."));
    sup.await(
        f ->
            "message".equals(f.getString("type"))
                && "visitor".equals(f.getString("from"))
                && f.getInteger("seq") == 3,
        Duration.ofSeconds(10));

    // Reassign to a named colleague: same conversation, the next counselor continues at the next
    // seq.
    sup.send(
        new JsonObject()
            .put("type", "reassign")
            .put("conversationId", v2.conversationId().toString())
            .put("toStaffId", c2Login.user().getLong("id")));
    sup.awaitType("reassigned");
    assertEquals("Medewerker cvsn-c2", v2.probe().awaitType("assigned").getString("counselor"));
    c2.await(
        f ->
            "message".equals(f.getString("type"))
                && f.getInteger("seq") == 1
                && v2.conversationId().toString().equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    c2.send(
        new JsonObject()
            .put("type", "message")
            .put("conversationId", v2.conversationId().toString())
            .put("clientId", "c2-1")
            .put("body", "Ik help je verder."));
    JsonObject next = v2.probe().awaitType("message");
    assertEquals(2, next.getInteger("seq"));
    assertEquals("counselor", next.getString("from"));
    c1.await(
        f ->
            "released".equals(f.getString("type"))
                && v2.conversationId().toString().equals(f.getString("conversationId")),
        Duration.ofSeconds(10));
    assertEquals(c2Login.user().getLong("id"), owner(v2.conversationId()));
    long logged =
        await(
                app.pool()
                    .preparedQuery(
                        "SELECT count(*) FROM assignment WHERE conversation_id = ANY($1) "
                            + "AND how IN ('takeover', 'reassign')")
                    .execute(
                        Tuple.tuple()
                            .addArrayOfUUID(new UUID[] {v1.conversationId(), v2.conversationId()})))
            .iterator()
            .next()
            .getLong(0);
    assertEquals(2L, logged);
    for (WsProbe p : List.of(c1, c2, sup, other, v1.probe(), v2.probe())) {
      p.close();
    }
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  @DisplayName(
      "(a) in the browser: a visitor in danger who asks for a chat while nobody is online is told so, and "
          + "the page shows what is open now: 112 and the 24/7 phone lines")
  void pageShowsAlternatives() throws Exception {
    try (VisitorBrowser browser = new VisitorBrowser();
        BrowserContext context = browser.phone()) {
      Page page = context.newPage();
      page.navigate("http://127.0.0.1:" + app.visitorPort() + "/");
      page.locator("button[data-code=yes]").click();
      page.locator("#emergency-chat").click();
      assertThat(page.locator("#screen[data-screen=chat] #status"))
          .containsText(
              "niemand online", new LocatorAssertions.ContainsTextOptions().setTimeout(15_000));
      Locator alternatives = page.locator("#alternatives");
      assertThat(page.locator("#keep-112-call")).isVisible();
      assertThat(alternatives.locator("[data-help-point=csg] a[href^='tel:']"))
          .containsText("0800-0188");
      assertThat(alternatives.locator("[data-help-point=veilig_thuis] a[href^='tel:']"))
          .containsText("0800-2000");
      assertEquals(
          0, alternatives.locator("button").count(), "no chat is offered while nobody is online");
      VisitorBrowser.screenshot(page, "visitor-queue-unstaffed-alternatives");
    }
  }

  @Test
  @org.junit.jupiter.api.Order(5)
  @DisplayName(
      "(issue 16, N1) the routing engine decides with the real staffing: an unstaffed queue without a phone "
          + "is not reachable now and rule N1 adds a line open now; once a counselor of it is online the same queue is "
          + "offered as reachable now, in the explain endpoint, the suggestions frame and its card alike")
  void engineSeesStaffing() throws Exception {
    // Mores: a queue with no phone line (open day and night in this test's configuration); nobody
    // of it is online.
    JsonObject answers =
        new JsonObject()
            .put("Q0", "no")
            .put("Q1", "victim")
            .put("Q2", "25plus")
            .put("Q3", "older")
            .put("Q5", "culture_media")
            .put("Q7", new JsonArray().add("advice"));
    JsonObject before = explain(answers);
    JsonObject mores = item(before, "mores");
    assertFalse(
        mores.getBoolean("reachableNow"),
        "unstaffed queue offered as reachable: " + before.encode());
    assertEquals(List.of(), mores.getJsonArray("openNow").getList(), before.encode());
    assertTrue(
        rules(before).contains("N1"),
        "no line open now was added for an unstaffed queue: " + before.encode());
    assertTrue(reachableAndFree(before), before.encode());
    JsonObject frameBefore = suggestionsFor(answers);
    assertFalse(
        item(frameBefore.getJsonObject("route"), "mores").getBoolean("reachableNow"),
        frameBefore.encode());
    JsonObject cardBefore = frameBefore.getJsonObject("cards").getJsonObject("mores");
    assertFalse(cardBefore.getBoolean("reachableNow"), cardBefore.encode());
    assertFalse(cardBefore.getJsonObject("wait").getBoolean("staffed"), cardBefore.encode());

    ConsoleFixtures.createStaff(app, "mores", "mores-c1", "counselor", "mores-password", 2);
    WsProbe counselor =
        console(ConsoleFixtures.login(web, app, "mores-c1", "mores-password", null));
    counselor.send(new JsonObject().put("type", "status").put("status", "available"));
    // The staffing note reaches each event loop's view asynchronously: wait for the engine to see
    // it (bounded).
    JsonObject after =
        until(() -> explain(answers), r -> item(r, "mores").getBoolean("reachableNow"));
    assertEquals(
        List.of("queue"), item(after, "mores").getJsonArray("openNow").getList(), after.encode());
    assertFalse(
        rules(after).contains("N1"),
        "a staffed queue is reachable now, N1 adds nothing: " + after.encode());
    JsonObject frameAfter = suggestionsFor(answers);
    assertTrue(
        item(frameAfter.getJsonObject("route"), "mores").getBoolean("reachableNow"),
        frameAfter.encode());
    JsonObject cardAfter = frameAfter.getJsonObject("cards").getJsonObject("mores");
    assertTrue(cardAfter.getBoolean("reachableNow"), cardAfter.encode());
    assertTrue(
        cardAfter.getJsonObject("wait").getBoolean("staffed"),
        "engine and wait note agree: " + cardAfter);

    // The counselor goes: the engine stops counting the queue at once, and N1 offers a line open
    // now again.
    counselor.close();
    JsonObject gone =
        until(() -> explain(answers), r -> !item(r, "mores").getBoolean("reachableNow"));
    assertTrue(rules(gone).contains("N1"), gone.encode());
    assertTrue(reachableAndFree(gone), gone.encode());
  }

  interface Call<T> {
    T call() throws Exception;
  }

  /**
   * Repeats a request until its answer matches (15 s at most); each try is a full request, no blind
   * sleep.
   */
  static JsonObject until(Call<JsonObject> request, java.util.function.Predicate<JsonObject> done)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    JsonObject last = request.call();
    while (!done.test(last)) {
      assertTrue(System.nanoTime() < deadline, "condition not reached: " + last.encode());
      Thread.sleep(100);
      last = request.call();
    }
    return last;
  }

  static JsonObject explain(JsonObject answers) throws Exception {
    var response =
        web.post(app.visitorPort(), "127.0.0.1", "/api/routing/explain")
            .sendJsonObject(new JsonObject().put("answers", answers))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(200, response.statusCode(), response.bodyAsString());
    return response.bodyAsJsonObject();
  }

  static JsonObject suggestionsFor(JsonObject answers) throws Exception {
    WsProbe v = visitor();
    try {
      v.send(new JsonObject().put("type", "answers").put("answers", answers));
      return v.awaitType("suggestions");
    } finally {
      v.close();
    }
  }

  static JsonObject item(JsonObject route, String helpPoint) {
    return java.util.stream.Stream.concat(
            route.getJsonArray("suggestions").stream(), route.getJsonArray("alsoOffer").stream())
        .map(JsonObject.class::cast)
        .filter(s -> helpPoint.equals(s.getString("helpPoint")))
        .findFirst()
        .orElseThrow(() -> new AssertionError(helpPoint + " not offered: " + route.encode()));
  }

  static List<String> rules(JsonObject route) {
    return route.getJsonArray("suggestions").stream()
        .map(o -> ((JsonObject) o).getString("rule"))
        .toList();
  }

  static boolean reachableAndFree(JsonObject route) {
    return route.getJsonArray("suggestions").stream()
        .map(JsonObject.class::cast)
        .anyMatch(s -> s.getBoolean("reachableNow") && "free".equals(s.getString("cost")));
  }

  static Long owner(UUID id) throws Exception {
    return await(
            app.pool()
                .preparedQuery("SELECT counselor_id FROM conversation WHERE id = $1")
                .execute(Tuple.of(id)))
        .iterator()
        .next()
        .getLong(0);
  }
}
