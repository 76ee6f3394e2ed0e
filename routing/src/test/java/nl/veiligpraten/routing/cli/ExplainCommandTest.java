package nl.veiligpraten.routing.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nl.veiligpraten.routing.Answers;
import nl.veiligpraten.routing.ExplainJson;
import nl.veiligpraten.routing.RoutingEngine;
import nl.veiligpraten.routing.TestReach;
import nl.veiligpraten.routing.config.RoutingConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The explain command line")
class ExplainCommandTest {

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ExplainCommand.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8).trim();
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("Prints exactly what ExplainJson gives for the engine's decision")
  @SuppressWarnings("unchecked")
  void sameAsExplainJson() throws IOException {
    String json =
        "{\"answers\": {\"Q1\": \"victim\", \"Q2\": \"16-17\", \"Q3\": \"today\","
            + " \"Q4\": [\"physical\", \"online\"], \"Q7\": [\"police\"]}}";
    Path file = dir.resolve("answers.json");
    Files.writeString(file, json);

    assertEquals(
        0,
        run(
            file.toString(),
            "--at",
            TestReach.WEDNESDAY_NOON.toOffsetDateTime().toString(),
            "--staffed",
            String.join(",", TestReach.NOON_STAFFED.staffedQueues())),
        stderr());

    Map<String, Object> answers =
        (Map<String, Object>) new ObjectMapper().readValue(json, Map.class).get("answers");
    String expected =
        ExplainJson.toJson(TestReach.decide(RoutingEngine.withDefaults(), Answers.parse(answers)));
    assertEquals(expected, stdout());
    assertTrue(stdout().contains("\"helpPoint\":\"csg\""), stdout());
  }

  @Test
  @DisplayName("An unknown answer code exits with 2 and names the field")
  void badAnswer() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"answers\": {\"Q0\": \"maybe\"}}");
    assertEquals(2, run(file.toString()));
    assertTrue(stderr().contains("Q0"), stderr());
    assertTrue(stderr().contains("maybe"), stderr());
    assertEquals("", stdout());
  }

  @Test
  @DisplayName("Invalid JSON, a wrong shape, a missing file or no arguments exit with 2")
  void badInput() throws IOException {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"answers\": ");
    assertEquals(2, run(broken.toString()));
    assertTrue(stderr().contains("not valid JSON"), stderr());

    Path shape = dir.resolve("shape.json");
    Files.writeString(shape, "{\"Q0\": \"yes\"}");
    assertEquals(2, run(shape.toString()));
    assertTrue(stderr().contains("{\"answers\": {...}}"), stderr());

    assertEquals(2, run(dir.resolve("missing.json").toString()));
    assertEquals(2, run());
    assertEquals(2, run(shape.toString(), "--config"));
    assertTrue(stderr().contains("usage"), stderr());
  }

  @Test
  @DisplayName("--config uses the override directory, and a broken config exits with 3")
  void configOverride() throws IOException {
    Path file = dir.resolve("answers.json");
    Files.writeString(file, "{\"answers\": {}}");
    Path cfg = Files.createDirectory(dir.resolve("cfg"));
    String rules;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("config/" + RoutingConfig.RULES_FILE)) {
      rules = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Files.writeString(
        cfg.resolve(RoutingConfig.RULES_FILE),
        rules.replace("version: \"2026-12-06.1\"", "version: \"test-override\""));
    assertEquals(0, run(file.toString(), "--config", cfg.toString()), stderr());
    assertTrue(stdout().startsWith("{\"rulesVersion\":\"test-override\""), stdout());

    Files.writeString(
        cfg.resolve(RoutingConfig.RULES_FILE), rules.replace("target: mores", "target: nowhere"));
    assertEquals(3, run(file.toString(), "--config", cfg.toString()));
    assertTrue(stderr().contains("unknown help point 'nowhere'"), stderr());
  }
}
