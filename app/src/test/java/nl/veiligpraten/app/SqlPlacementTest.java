package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 25 (style rule "SQL in one XxxQueries per aggregate"): a statement written inside a
 * repository, a verticle or a console class is SQL nobody finds when a table changes. This reads
 * the production sources of every module as text (ArchUnit sees bytecode, where a constant is
 * inlined into its caller and its origin is lost) and fails on a string literal or text block that
 * starts with an SQL keyword outside a class whose name ends in {@code Queries}. It matches files
 * by path and name, not by package, so it keeps working when packages move.
 */
@DisplayName("SQL lives only in *Queries classes")
class SqlPlacementTest {

  /**
   * The modules that make up the production jar (benchmarks and the test kit are not shipped code).
   */
  private static final List<String> MODULES =
      List.of("routing", "infra", "chat-gateway", "counselor-console", "app");

  /**
   * A statement's first word followed by whitespace, e.g. {@code "SELECT "}; "Selected" or
   * "UPDATE:" do not match.
   */
  static final Pattern SQL_START =
      Pattern.compile("^(SELECT|UPDATE|INSERT|DELETE|WITH|LISTEN|CREATE|ALTER|GRANT|REVOKE)\\s");

  /**
   * Files that may hold SQL although they are no Queries class, matched by path suffix. Keep this
   * list short: each entry is technical set-up of the database itself, not the data of a feature.
   */
  static final Map<String, String> ALLOWED =
      Map.of(
          // The embedded server's own set-up: sets the superuser password and reloads pg_hba.conf
          // before any pool or
          // migration exists; it belongs to the adapter that starts the server, no aggregate owns
          // it.
          "/db/EmbeddedDatabase.java", "embedded PostgreSQL set-up",
          // The adapter's health ping ("SELECT 1"): checks the connection, reads no table.
          "/db/Database.java", "database health ping",
          // Role set-up DDL (CREATE ROLE, GRANT, REVOKE) run by the owner before migrations: it
          // builds the names from
          // settings, runs over JDBC as the owner, and is about privileges, not an aggregate's
          // data.
          "/DatabaseRoles.java", "role set-up DDL");

  @Test
  @DisplayName(
      "no production source outside a *Queries class contains a literal that starts with an SQL keyword")
  void noSqlOutsideQueries() {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<String> offences = new ArrayList<>();
    List<String> allowedSeen = new ArrayList<>();
    int files = 0;
    for (String module : MODULES) {
      Path src = root.resolve(module).resolve("src/main/java");
      assertTrue(Files.isDirectory(src), "module sources not found at " + src);
      for (Path file : javaFiles(src)) {
        files++;
        String rel = root.relativize(file).toString().replace('\\', '/');
        if (file.getFileName().toString().endsWith("Queries.java")) {
          continue;
        }
        List<Literal> sql = sqlLiterals(read(file));
        String allowed = ALLOWED.keySet().stream().filter(rel::endsWith).findFirst().orElse(null);
        if (allowed != null) {
          if (!sql.isEmpty()) {
            allowedSeen.add(allowed);
          }
          continue;
        }
        for (Literal l : sql) {
          offences.add(rel + ":" + l.line() + ": " + abbreviate(l.text()));
        }
      }
    }
    assertTrue(
        files > 100,
        "only " + files + " source files found; is the working directory the app module?");
    assertTrue(
        offences.isEmpty(),
        offences.size()
            + " SQL literal(s) outside a *Queries class:\n  "
            + String.join("\n  ", offences)
            + "\nMove each statement into the XxxQueries class of the aggregate that owns "
            + "the table (next to its repository, e.g. AssignmentQueries beside AssignmentRepository; create one if the "
            + "aggregate has none) and let the repository run it. Only database set-up may stay outside, listed with "
            + "its reason in SqlPlacementTest.ALLOWED.");
    // An entry that no longer matches SQL is dead weight and would silently allow new SQL in that
    // file later.
    List<String> stale =
        ALLOWED.keySet().stream()
            .filter(k -> !allowedSeen.contains(k))
            .sorted()
            .collect(Collectors.toList());
    assertTrue(
        stale.isEmpty(), "allow-list entries that match no SQL any more, remove them: " + stale);
  }

  @Test
  @DisplayName(
      "the scanner finds SQL in literals and text blocks with their line, and ignores comments and prose")
  void scannerFindsWhatItShould() {
    String source =
        String.join(
            "\n",
            "class X {",
            "  // \"SELECT 1\" in a comment is no SQL",
            "  /* \"DELETE FROM t\" neither */",
            "  String a = \"Selected for you\";",
            "  char q = '\"';",
            "  String b = \"say \\\"hi\\\"\";",
            "  String c = \"SELECT id FROM organisation\";",
            "  String d = \"\"\"",
            "      WITH x AS (SELECT 1)",
            "      SELECT * FROM x\"\"\";",
            "  String e = \"UPDATE:\";",
            "}");
    List<Literal> found = sqlLiterals(source);
    assertEquals(
        List.of(7, 9),
        found.stream().map(Literal::line).collect(Collectors.toList()),
        found.toString());
    assertEquals("SELECT id FROM organisation", found.get(0).text());
  }

  /** A string literal's content (escapes left as written) and the line it starts on. */
  record Literal(int line, String text) {}

  /** The literals and text blocks of a Java source that start with an SQL keyword. */
  static List<Literal> sqlLiterals(String source) {
    List<Literal> out = new ArrayList<>();
    for (Literal l : literals(source)) {
      if (SQL_START.matcher(l.text().stripLeading()).find()) {
        out.add(l);
      }
    }
    return out;
  }

  /**
   * Every string literal and text block, skipping comments and char literals (a small lexer, enough
   * for Java).
   */
  static List<Literal> literals(String s) {
    List<Literal> out = new ArrayList<>();
    int line = 1;
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '\n') {
        line++;
        i++;
      } else if (s.startsWith("//", i)) {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (s.startsWith("/*", i)) {
        int end = s.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        line += count(s, i, end);
        i = end;
      } else if (s.startsWith("\"\"\"", i)) {
        int start = i + 3;
        int end = start;
        while (end < n && !(s.startsWith("\"\"\"", end) && s.charAt(end - 1) != '\\')) {
          end++;
        }
        // The text block's content starts on the line after the opening quotes.
        int firstLine = line + 1;
        String body = s.substring(Math.min(s.indexOf('\n', start) + 1, end), end);
        out.add(new Literal(firstLine, body));
        line += count(s, i, Math.min(end + 3, n));
        i = Math.min(end + 3, n);
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && s.charAt(j) != c && s.charAt(j) != '\n') {
          j += s.charAt(j) == '\\' ? 2 : 1;
        }
        if (c == '"') {
          out.add(new Literal(line, s.substring(i + 1, Math.min(j, n))));
        }
        i = j + 1;
      } else {
        i++;
      }
    }
    return out;
  }

  private static int count(String s, int from, int to) {
    int lines = 0;
    for (int k = from; k < to; k++) {
      if (s.charAt(k) == '\n') {
        lines++;
      }
    }
    return lines;
  }

  private static String abbreviate(String text) {
    return "\"" + (text.length() > 70 ? text.substring(0, 70) + "..." : text) + "\"";
  }

  private static List<Path> javaFiles(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
