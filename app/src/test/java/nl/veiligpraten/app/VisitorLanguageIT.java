package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.staff.StaffUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 23: the visitor's language travels with the chat, a chat prefers a counselor who speaks it,
 * and the visitor is told honestly when nobody on shift does and in which language the counselor
 * writes. Real PostgreSQL, real sockets for the visitor and for the counselors' consoles.
 */
@DisplayName("The visitor's language: stored with the chat, preferred in assignment, said honestly")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VisitorLanguageIT {

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;

  @BeforeAll
  static void setUp() throws Exception {
    app = TestApp.start(AppSettings.forTest(dataDir));
    client = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    app.stopBlocking();
  }

  private static StaffUser counselor(String username, String... skills) throws Exception {
    StaffUser u =
        ConsoleFixtures.createStaff(app, "csg", username, "counselor", "wachtwoord-" + username, 2);
    ConsoleFixtures.await(
        app.pool()
            .preparedQuery("UPDATE staff_user SET skills = $2 WHERE id = $1")
            .execute(Tuple.tuple().addValue(u.id()).addArrayOfString(skills)));
    return u;
  }

  /** A live console socket of the counselor, available for chats. */
  private static WsProbe online(String username) throws Exception {
    ConsoleFixtures.Login login =
        ConsoleFixtures.login(
            WebClient.create(client), app, username, "wachtwoord-" + username, null);
    WsProbe console =
        WsProbe.connect(
            client, app.consolePort(), "/ws", ConsoleFixtures.origin(app), login.cookie());
    console.awaitType("hello");
    console.send(new JsonObject().put("type", "status").put("status", "available"));
    console.awaitType("status");
    return console;
  }

  /**
   * A visitor who chose CSG with the page in {@code lang}; {@code first} is its queued or assigned
   * frame.
   */
  record Chat(WsProbe probe, UUID id, JsonObject first) {}

  private static Chat choose(String lang) throws Exception {
    WsProbe v =
        WsProbe.connect(
            client, app.visitorPort(), "/ws", "http://127.0.0.1:" + app.visitorPort(), null);
    v.send(new JsonObject().put("type", "hello").put("v", 1));
    String token = v.awaitType("welcome").getString("resumeToken");
    v.send(new JsonObject().put("type", "choose").put("helpPoint", "csg").put("lang", lang));
    JsonObject first =
        v.await(
            f -> List.of("queued", "assigned").contains(f.getString("type")),
            Duration.ofSeconds(20));
    UUID id =
        ConsoleFixtures.await(
                app.pool()
                    .preparedQuery("SELECT id FROM conversation WHERE resume_hash = $1")
                    .execute(
                        Tuple.of(Buffer.buffer(nl.veiligpraten.infra.web.Secrets.sha256(token)))))
            .iterator()
            .next()
            .getUUID("id");
    return new Chat(v, id, first);
  }

  private static JsonObject assigned(Chat chat) throws Exception {
    return "assigned".equals(chat.first().getString("type"))
        ? chat.first()
        : chat.probe().await(f -> "assigned".equals(f.getString("type")), Duration.ofSeconds(20));
  }

  /** The visitor leaves: the chat closes, so it does not wait in CSG's queue for the next test. */
  private static void leave(Chat chat) throws Exception {
    chat.probe().send(new JsonObject().put("type", "bye"));
    chat.probe().await(f -> "closed".equals(f.getString("type")), Duration.ofSeconds(10));
    chat.probe().close();
  }

  /** Waits until no CSG counselor holds a live console (closed sockets release their presence). */
  private static void nobodyOfCsgPresent() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (ConsoleFixtures.await(
                app.pool()
                    .query(
                        "SELECT count(*) AS n FROM staff_presence p JOIN staff_user u "
                            + "ON u.id = p.staff_id WHERE u.org_id = 'csg' AND p.expires_at > now()")
                    .execute())
            .iterator()
            .next()
            .getLong("n")
        > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("a CSG counselor is still present");
      }
      Thread.sleep(100);
    }
  }

  private static long counselorOf(Chat chat) throws Exception {
    return ConsoleFixtures.await(
            app.pool()
                .preparedQuery("SELECT counselor_id FROM conversation WHERE id = $1")
                .execute(Tuple.of(chat.id())))
        .iterator()
        .next()
        .getLong("counselor_id");
  }

  private static String storedLang(Chat chat) throws Exception {
    return ConsoleFixtures.await(
            app.pool()
                .preparedQuery(
                    "SELECT intake ->> 'lang' AS lang FROM conversation " + "WHERE id = $1")
                .execute(Tuple.of(chat.id())))
        .iterator()
        .next()
        .getString("lang");
  }

  @Test
  @Order(1)
  @DisplayName(
      "an Arabic chat goes to the free counselor who speaks Arabic although the other one is first in line, "
          + "the visitor is told the counselor writes Arabic, and a Dutch chat then goes to the other")
  @SuppressWarnings(
      "try") // the probes are not used in the block: holding them open keeps the counselors online
  void prefersASpeaker() throws Exception {
    StaffUser first = counselor("csg-nl-1");
    StaffUser speaker = counselor("csg-ar-1", "arabic");
    try (WsProbe a = online("csg-nl-1");
        WsProbe b = online("csg-ar-1")) {
      Chat arabic = choose("ar");
      JsonObject frame = assigned(arabic);
      assertEquals(speaker.id(), counselorOf(arabic), "the Arabic speaker took the Arabic chat");
      assertEquals("ar", frame.getString("writes"));
      assertEquals("ar", storedLang(arabic), "the language travels with the chat");
      // Both now hold one chat at most; a Dutch chat has no language preference and goes to the
      // less loaded one.
      Chat dutch = choose("nl");
      JsonObject dutchFrame = assigned(dutch);
      assertEquals(first.id(), counselorOf(dutch));
      assertEquals("nl", dutchFrame.getString("writes"));
      leave(arabic);
      leave(dutch);
    }
  }

  @Test
  @Order(2)
  @DisplayName(
      "with nobody on shift who speaks Turkish the queued frame says so and names Dutch; once a counselor "
          + "who writes English takes the chat the visitor is told English")
  @SuppressWarnings(
      "try") // the probe is not used in the block: holding it open keeps the counselor online
  void saysWhenNobodySpeaksIt() throws Exception {
    counselor("csg-en-2", "english");
    // Nobody of CSG is online: the chat waits, and the page is told nobody speaks Turkish (Dutch is
    // what is left).
    nobodyOfCsgPresent();
    Chat turkish = choose("tr");
    assertEquals("queued", turkish.first().getString("type"), turkish.first().encode());
    assertEquals(
        new JsonObject().put("lang", "tr").put("spoken", false).put("writes", "nl"),
        turkish.first().getJsonObject("language"));
    try (WsProbe english = online("csg-en-2")) {
      JsonObject frame = assigned(turkish);
      assertEquals(
          "en", frame.getString("writes"), "the counselor who took it writes English, not Turkish");
      assertEquals("tr", storedLang(turkish));
      leave(turkish);
    }
  }

  @Test
  @Order(3)
  @DisplayName("a Dutch or easy-read chat carries no language notice in its queued frame")
  void noNoticeForDutch() throws Exception {
    nobodyOfCsgPresent();
    Chat easy = choose("nl_easy");
    assertEquals("queued", easy.first().getString("type"), easy.first().encode());
    assertEquals(null, easy.first().getValue("language"), easy.first().encode());
    leave(easy);
  }
}
