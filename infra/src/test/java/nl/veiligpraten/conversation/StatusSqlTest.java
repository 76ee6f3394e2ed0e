package nl.veiligpraten.conversation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nl.veiligpraten.routing.conversation.ConversationStatus;
import nl.veiligpraten.routing.conversation.Outcome;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The SQL of the {@code *Queries} classes keeps its status values as literals in constant
 * predicates (readable SQL, usable by the partial indexes); this test ties those literals to {@link
 * ConversationStatus}: every status value the SQL names is a status, and every {@code UPDATE
 * conversation SET status = ...} moves only from statuses that may move there. The outcome codes
 * the SQL writes are {@link Outcome} codes.
 */
@DisplayName("The status values in the infra SQL agree with ConversationStatus")
class StatusSqlTest {

  /**
   * {@code status = 'x'}, {@code status <> 'x'}, {@code status IN ('x', 'y')}, with an optional
   * table alias.
   */
  private static final Pattern PREDICATE =
      Pattern.compile("\\b(?:([a-z]+)\\.)?status\\s*(=|<>|IN)\\s*(\\('[^)]*'\\)|'[a-z_]+')");

  private static final Pattern LITERAL = Pattern.compile("'([a-z_0-9]+)'");
  private static final Pattern SET_STATUS =
      Pattern.compile(
          "UPDATE conversation(?: [a-z]+)? SET (?:(?:(?!WHERE).)*?, )?status = '([a-z_]+)'");

  /** The alias every query gives {@code staff_user}, whose {@code status} is presence. */
  private static final String STAFF_ALIAS = "u";

  private static final Map<String, String> SQL = new LinkedHashMap<>();

  @BeforeAll
  static void readQueries() throws Exception {
    // The main classes of the infra module, features and adapters alike (not test-classes, which
    // hold the same
    // packages).
    Path root =
        Path.of(
            toUri(ConversationQueries.class.getProtectionDomain().getCodeSource().getLocation()));
    List<Path> classes;
    try (Stream<Path> files = Files.walk(root.resolve("nl/veiligpraten"))) {
      classes =
          files.filter(p -> p.getFileName().toString().endsWith("Queries.class")).sorted().toList();
    }
    for (Path p : classes) {
      Path rel = root.relativize(p);
      String name = rel.toString().replace('/', '.').replaceAll("\\.class$", "");
      Class<?> c = Class.forName(name);
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
          f.setAccessible(true);
          SQL.put(c.getSimpleName() + "." + f.getName(), (String) f.get(null));
        }
      }
    }
  }

  private static java.net.URI toUri(URL url) throws URISyntaxException {
    return url.toURI();
  }

  @Test
  @DisplayName(
      "the queries of every aggregate that names a status are read (the scan is not empty)")
  void scanned() {
    for (String holder :
        List.of(
            "ConversationQueries.ROUTE",
            "AssignmentQueries.ASSIGN",
            "ReferralQueries.MOVE",
            "SupervisorQueries.GIVE",
            "ShredQueries.KEYLESS_VICTIMS")) {
      assertTrue(SQL.containsKey(holder), holder + " missing from " + SQL.keySet());
    }
  }

  @Test
  @DisplayName("every status value in a conversation status predicate is a ConversationStatus code")
  void literalsAreStatuses() {
    int seen = 0;
    for (Map.Entry<String, String> e : SQL.entrySet()) {
      String sql = e.getValue();
      if (!sql.contains("conversation") || sql.startsWith("UPDATE staff_user")) {
        continue; // other tables; staff_user.status is the counselor's presence (available, away,
        // busy)
      }
      Matcher m = PREDICATE.matcher(sql);
      while (m.find()) {
        if (STAFF_ALIAS.equals(m.group(1))) {
          continue; // u.status: the presence of a member of staff, not a conversation status
        }
        for (String code : literals(m.group(3))) {
          ConversationStatus.fromCode(
              code); // throws, naming the code, when the SQL drifted from the enum
          seen++;
        }
      }
    }
    assertTrue(
        seen > 50,
        "only " + seen + " status literals found; the pattern no longer matches the SQL");
  }

  @Test
  @DisplayName("every UPDATE that sets a status moves only from statuses allowed to move there")
  void transitionsAllowed() {
    List<String> checked = new ArrayList<>();
    for (Map.Entry<String, String> e : SQL.entrySet()) {
      String sql = e.getValue();
      Matcher set = SET_STATUS.matcher(sql);
      if (!set.find()) {
        continue;
      }
      ConversationStatus to = ConversationStatus.fromCode(set.group(1));
      Set<ConversationStatus> from = guards(sql.substring(set.end()));
      assertFalse(from.isEmpty(), e.getKey() + " sets status without a status guard: " + sql);
      for (ConversationStatus f : from) {
        assertTrue(
            f.canMoveTo(to),
            e.getKey() + " moves " + f + " to " + to + ", which ConversationStatus forbids");
      }
      checked.add(e.getKey());
    }
    assertTrue(
        checked.containsAll(
            List.of(
                "ConversationQueries.ROUTE",
                "ConversationQueries.TO_INBOX",
                "ConversationQueries.INBOX_TAKE",
                "ConversationQueries.CLOSE_BY_VISITOR",
                "AssignmentQueries.ASSIGN",
                "AssignmentQueries.TRANSFER_TO_QUEUE",
                "AssignmentQueries.REASSIGN_UNANSWERED",
                "ReferralQueries.MOVE",
                "SupervisorQueries.GIVE",
                "SupervisorQueries.CLOSE_BURST")),
        "checked only " + checked);
  }

  @Test
  @DisplayName("every outcome value the SQL writes or compares is an Outcome code")
  void outcomeLiterals() {
    Pattern outcome =
        Pattern.compile("\\b(?:[a-z]+\\.)?outcome\\s*(?:=|<>|IN)\\s*(\\('[^)]*'\\)|'[a-z_0-9]+')");
    List<String> seen = new ArrayList<>();
    for (String sql : SQL.values()) {
      Matcher m = outcome.matcher(sql);
      while (m.find()) {
        for (String code : literals(m.group(1))) {
          seen.add(
              Outcome.fromCode(code)
                  .code()); // throws, naming the code, when the SQL drifted from the enum
        }
      }
    }
    assertTrue(seen.containsAll(List.of("abandoned", "inbox_expired")), "read only " + seen);
  }

  @Test
  @DisplayName("the guard reader understands =, <> and IN")
  void guardReader() {
    assertEquals(
        EnumSet.of(ConversationStatus.QUEUED), guards(" WHERE id = $1 AND status = 'queued'"));
    assertEquals(
        EnumSet.complementOf(EnumSet.of(ConversationStatus.CLOSED)),
        guards(" WHERE status <> 'closed'"));
    assertEquals(
        EnumSet.of(ConversationStatus.INTAKE, ConversationStatus.QUEUED),
        guards(" WHERE c.status IN ('intake', 'queued')"));
  }

  /** The statuses the WHERE part of an UPDATE admits (the union of its status predicates). */
  private static Set<ConversationStatus> guards(String afterSet) {
    int where = afterSet.indexOf("WHERE");
    Set<ConversationStatus> out = EnumSet.noneOf(ConversationStatus.class);
    if (where < 0) {
      return out;
    }
    Matcher m = PREDICATE.matcher(afterSet.substring(where));
    while (m.find()) {
      if (STAFF_ALIAS.equals(m.group(1))) {
        continue;
      }
      Set<ConversationStatus> named = EnumSet.noneOf(ConversationStatus.class);
      literals(m.group(3)).forEach(code -> named.add(ConversationStatus.fromCode(code)));
      out.addAll(m.group(2).equals("<>") ? EnumSet.complementOf(EnumSet.copyOf(named)) : named);
    }
    return out;
  }

  private static List<String> literals(String group) {
    List<String> out = new ArrayList<>();
    Matcher m = LITERAL.matcher(group);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
