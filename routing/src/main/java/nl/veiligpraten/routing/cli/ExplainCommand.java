package nl.veiligpraten.routing.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import nl.veiligpraten.routing.Answers;
import nl.veiligpraten.routing.ExplainJson;
import nl.veiligpraten.routing.InvalidAnswersException;
import nl.veiligpraten.routing.RoutingEngine;
import nl.veiligpraten.routing.config.ConfigException;
import nl.veiligpraten.routing.config.RoutingConfig;

/**
 * Command line: explain the routing for a file of answers.
 *
 * <pre>java -cp routing.jar nl.veiligpraten.routing.cli.ExplainCommand answers.json [--config DIR]
 *      [--at 2026-12-07T03:00+01:00] [--staffed triage,csg]</pre>
 *
 * <p>{@code --at} is the moment to decide for (default now); {@code --staffed} lists the queue help
 * points that are staffed at that moment (default none, as when nobody is logged in).
 *
 * <p>The file holds {@code {"answers": {"Q1": "victim", "Q4": ["physical"], ...}}}. Prints exactly
 * what the HTTP explain endpoint returns. Exit codes: 0 ok, 2 bad input or usage, 3 broken
 * configuration.
 */
public final class ExplainCommand {

  /** Success. */
  public static final int OK = 0;

  /** Bad usage or bad answers file. */
  public static final int BAD_INPUT = 2;

  /** Configuration could not be loaded. */
  public static final int BAD_CONFIG = 3;

  private static final String USAGE =
      "usage: ExplainCommand <answers.json> [--config DIR] [--at ISO-TIME] [--staffed id,id]";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ExplainCommand() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The whole command without {@code System.exit}, for tests and embedding. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path input = null;
    Path configDir = null;
    java.time.Instant at = java.time.Instant.now();
    java.util.Set<String> staffed = java.util.Set.of();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--at") || args[i].equals("--staffed")) {
        if (i + 1 >= args.length) {
          err.println(args[i] + " needs a value\n" + USAGE);
          return BAD_INPUT;
        }
        String v = args[++i];
        if (args[i - 1].equals("--at")) {
          try {
            at = java.time.OffsetDateTime.parse(v).toInstant();
          } catch (java.time.format.DateTimeParseException e) {
            err.println(
                "--at takes an ISO time with offset, e.g. 2026-12-07T03:00+01:00\n" + USAGE);
            return BAD_INPUT;
          }
        } else {
          staffed = java.util.Set.of(v.split(","));
        }
      } else if (args[i].equals("--config")) {
        if (i + 1 >= args.length) {
          err.println("--config needs a directory\n" + USAGE);
          return BAD_INPUT;
        }
        configDir = Path.of(args[++i]);
      } else if (input == null && !args[i].startsWith("--")) {
        input = Path.of(args[i]);
      } else {
        err.println("unexpected argument '" + args[i] + "'\n" + USAGE);
        return BAD_INPUT;
      }
    }
    if (input == null) {
      err.println(USAGE);
      return BAD_INPUT;
    }
    Map<String, Object> answers;
    try {
      answers = readAnswers(input);
    } catch (IllegalArgumentException e) {
      err.println(input + ": " + e.getMessage());
      return BAD_INPUT;
    }
    RoutingEngine engine;
    try {
      engine = new RoutingEngine(RoutingConfig.load(configDir));
    } catch (ConfigException e) {
      err.println("configuration error: " + e.getMessage());
      return BAD_CONFIG;
    }
    try {
      out.println(
          ExplainJson.toJson(
              engine.decide(
                  Answers.parse(answers), new nl.veiligpraten.routing.Reachability(at, staffed))));
      return OK;
    } catch (InvalidAnswersException e) {
      err.println(input + ": invalid answers: " + e.getMessage());
      return BAD_INPUT;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readAnswers(Path input) {
    String text;
    try {
      text = Files.readString(input);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read file (" + e.getClass().getSimpleName() + ")");
    }
    Object root;
    try {
      root = MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
    }
    if (!(root instanceof Map<?, ?> map) || !map.containsKey("answers") || map.size() != 1) {
      throw new IllegalArgumentException("expected an object {\"answers\": {...}}");
    }
    Object answers = map.get("answers");
    if (!(answers instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(
          "\"answers\" must be an object of question id to answer code(s)");
    }
    return (Map<String, Object>) answers;
  }
}
