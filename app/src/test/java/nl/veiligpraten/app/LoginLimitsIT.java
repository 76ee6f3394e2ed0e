package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.console.LoginLimits;
import nl.veiligpraten.infra.abuse.Limit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 11: login limits per source and per node that slow guessing and spraying but
 * cannot be used to lock a counselor out. Sources are loopback addresses (127.0.0.x); budgets are
 * small: 5 failures per source and 12 per node per minute.
 */
@DisplayName("Login limits: per source and per node, no lock-out of a user from elsewhere")
class LoginLimitsIT {

  static final LoginLimits LIMITS =
      new LoginLimits(new Limit(5, Duration.ofMinutes(1)), new Limit(12, Duration.ofMinutes(1)));

  @TempDir static Path dataDir;
  static RunningApp app;
  static Vertx client;

  @BeforeAll
  static void setUp() throws Exception {
    app =
        TestApp.start(
            AppSettings.forTest(dataDir).withSecurity(SecuritySettings.DEFAULT.withLogin(LIMITS)));
    client = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static HttpResponse<io.vertx.core.buffer.Buffer> loginFrom(
      String source, String user, String password) throws Exception {
    WebClient web = WebClient.create(client, new WebClientOptions().setLocalAddress(source));
    try {
      return await(
          web.post(app.consolePort(), "127.0.0.1", "/api/login")
              .sendJsonObject(new JsonObject().put("username", user).put("password", password)));
    } finally {
      web.close();
    }
  }

  @Test
  @DisplayName(
      "guessing one counselor's password from one source is cut off at the source budget while the "
          + "counselor signs in from another; a spray over 20 sources gets at most the node budget of password checks "
          + "while a source that signed in before still gets in")
  void noLockOutAndBudgets() throws Exception {
    ConsoleFixtures.createStaff(app, "csg", "victim", "counselor", "victim-password", 3);
    long started = System.nanoTime();
    int checked = 0;
    int refused = 0;
    for (int i = 0; i < 20; i++) {
      HttpResponse<io.vertx.core.buffer.Buffer> r = loginFrom("127.0.0.3", "victim", "guess-" + i);
      if (r.statusCode() == 401) {
        checked++;
      } else {
        assertEquals(429, r.statusCode(), r.bodyAsString());
        assertEquals("throttled", r.bodyAsJsonObject().getString("error"));
        refused++;
      }
    }
    assertTrue(checked <= 5 + 1, "password checks from one source: " + checked);
    // The same counselor from another source is not locked out.
    assertEquals(
        200,
        loginFrom("127.0.0.2", "victim", "victim-password").statusCode(),
        "the victim was locked out");
    System.out.printf(
        "LoginLimitsIT: one source, 20 guesses: %d checked, %d refused; the victim signed in from "
            + "another source%n",
        checked, refused);

    // Spray: 20 sources, two guesses each, on several user names.
    int sprayChecked = 0;
    int busy = 0;
    for (int s = 10; s < 30; s++) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<io.vertx.core.buffer.Buffer> r =
            loginFrom("127.0.0." + s, i == 0 ? "victim" : "csg-demo", "spray-" + s + "-" + i);
        if (r.statusCode() == 401) {
          sprayChecked++;
        } else {
          assertEquals(429, r.statusCode(), r.bodyAsString());
          assertEquals("busy", r.bodyAsJsonObject().getString("error"));
          busy++;
        }
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    // The node budget: 12 at the start (5 already used by the single source), plus the refill while
    // this ran.
    double budget = 12 + 12 * minutes - checked;
    assertTrue(
        sprayChecked <= Math.ceil(budget) + 1,
        "spray password checks " + sprayChecked + " over budget " + budget);
    assertTrue(busy > 0, "the spray was never slowed");
    // A source where someone signed in before is still let through while the node budget is empty.
    assertEquals(200, loginFrom("127.0.0.2", "victim", "victim-password").statusCode());
    System.out.printf(
        "LoginLimitsIT: spray over 20 sources, 40 guesses in %.1f s: %d checked, %d refused as busy "
            + "(node budget %.1f); the victim's known source still signed in%n",
        minutes * 60, sprayChecked, busy, budget);
  }
}
