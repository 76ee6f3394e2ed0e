package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.routing.cli.ExplainCommand;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Routing explain: HTTP endpoint and command line")
class ExplainIT extends SharedServiceIT {

  static HttpResponse<Buffer> post(JsonObject body) throws Exception {
    return web.post(app.visitorPort(), "127.0.0.1", "/api/routing/explain")
        .sendJsonObject(body)
        .toCompletionStage()
        .toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  static JsonObject cli(JsonObject body) throws Exception {
    Path file = Files.createTempFile(dataDir, "answers", ".json");
    Files.writeString(file, body.encode());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        ExplainCommand.run(
            new String[] {file.toString()},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(ExplainCommand.OK, code);
    return new JsonObject(out.toString(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("the endpoint and the command line give the same result for the same answers")
  void endpointEqualsCommandLine() throws Exception {
    List<JsonObject> cases =
        List.of(
            new JsonObject(),
            new JsonObject().put("Q0", "yes"),
            new JsonObject()
                .put("Q1", "victim")
                .put("Q2", "16-17")
                .put("Q3", "today")
                .put("Q4", new JsonArray().add("physical"))
                .put("Q5", "home"),
            new JsonObject().put("Q1", "perpetrator").put("P1", "yes"),
            new JsonObject()
                .put("Q1", "victim")
                .put("Q2", "18-24")
                .put("Q4", new JsonArray().add("sextortion")),
            new JsonObject().put("Q5", "sport").put("Q7", new JsonArray().add("police")),
            new JsonObject().put("talk_now", true));
    for (JsonObject answers : cases) {
      JsonObject body = new JsonObject().put("answers", answers);
      HttpResponse<Buffer> response = post(body);
      assertEquals(200, response.statusCode(), response.bodyAsString());
      JsonObject http = response.bodyAsJsonObject();
      assertEquals(cli(body), http, "answers " + answers.encode());
      assertTrue(http.getJsonArray("suggestions").size() >= 1);
      assertEquals("yes".equals(answers.getString("Q0")), http.getBoolean("emergency"));
    }
  }

  @Test
  @DisplayName("an unknown answer code is refused with 400 naming the field and the allowed codes")
  void unknownCodeRefused() throws Exception {
    HttpResponse<Buffer> response =
        post(new JsonObject().put("answers", new JsonObject().put("Q5", "moon")));
    assertEquals(400, response.statusCode());
    JsonObject error = response.bodyAsJsonObject();
    assertEquals("Q5", error.getString("field"));
    assertTrue(error.getJsonArray("allowed").contains("sport"), error.encode());
  }

  @Test
  @DisplayName(
      "an unknown question id is ignored; the v2 JSON has alsoOffer and a free option open now (N1)")
  void unknownQuestionIgnoredAndV2Shape() throws Exception {
    JsonObject known = new JsonObject().put("Q1", "victim").put("Q2", "25plus").put("Q3", "older");
    HttpResponse<Buffer> plain = post(new JsonObject().put("answers", known));
    HttpResponse<Buffer> extra =
        post(new JsonObject().put("answers", known.copy().put("Q99", "whatever")));
    assertEquals(200, extra.statusCode(), extra.bodyAsString());
    assertEquals(
        plain.bodyAsJsonObject().getJsonArray("suggestions").stream()
            .map(o -> ((JsonObject) o).getString("helpPoint"))
            .toList(),
        extra.bodyAsJsonObject().getJsonArray("suggestions").stream()
            .map(o -> ((JsonObject) o).getString("helpPoint"))
            .toList());
    JsonObject route = extra.bodyAsJsonObject();
    assertTrue(route.containsKey("alsoOffer"), route.encode());
    assertTrue(
        route.getJsonArray("suggestions").stream()
            .map(JsonObject.class::cast)
            .anyMatch(s -> s.getBoolean("reachableNow") && "free".equals(s.getString("cost"))),
        route.encode());
  }

  @Test
  @DisplayName(
      "a list where a single answer is expected, and a body without answers, are refused with 400")
  void wrongShapesRefused() throws Exception {
    assertEquals(
        400,
        post(new JsonObject()
                .put("answers", new JsonObject().put("Q1", new JsonArray().add("victim"))))
            .statusCode());
    assertEquals(400, post(new JsonObject().put("nothing", 1)).statusCode());
    HttpResponse<Buffer> garbage =
        web.post(app.visitorPort(), "127.0.0.1", "/api/routing/explain")
            .sendBuffer(Buffer.buffer("{not json"))
            .toCompletionStage()
            .toCompletableFuture()
            .get(20, TimeUnit.SECONDS);
    assertEquals(400, garbage.statusCode());
  }
}
