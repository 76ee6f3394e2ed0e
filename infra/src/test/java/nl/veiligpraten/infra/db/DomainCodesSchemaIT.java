package nl.veiligpraten.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import nl.veiligpraten.routing.conversation.ConversationStatus;
import nl.veiligpraten.routing.staff.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The codes the database accepts (its CHECK constraints after every migration) are exactly the
 * codes of the domain enums, so a status added on one side only fails here and not in production.
 */
@DisplayName("The database CHECK constraints accept exactly the codes of the domain enums")
class DomainCodesSchemaIT {

  @TempDir static Path dir;

  static EmbeddedDatabase db;
  static Connection jdbc;

  @BeforeAll
  static void start() throws Exception {
    db = EmbeddedDatabase.start(dir.resolve("pg"), 0);
    Migrations.migrateBlocking(db.settings());
    DbSettings s = db.settings();
    jdbc = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
  }

  @AfterAll
  static void stop() throws Exception {
    if (jdbc != null) {
      jdbc.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  @DisplayName("conversation.status accepts every ConversationStatus code and nothing else")
  void conversationStatus() throws Exception {
    assertEquals(
        codes(ConversationStatus.values(), ConversationStatus::code),
        checkedCodes("conversation", "conversation_status_check"));
  }

  @Test
  @DisplayName("staff_user.role accepts every Role code and nothing else")
  void staffRole() throws Exception {
    assertEquals(
        codes(Role.values(), Role::code), checkedCodes("staff_user", "staff_user_role_check"));
  }

  @Test
  @DisplayName("the audit log's role is a staff Role, the visitor or the system")
  void auditRole() throws Exception {
    Set<String> expected = codes(Role.values(), Role::code);
    expected.addAll(Set.of("visitor", "system"));
    assertEquals(expected, checkedCodes("audit_log", "audit_log_role_check"));
  }

  /**
   * The quoted values of a {@code CHECK (column IN (...))} constraint as PostgreSQL stores it after
   * all migrations.
   */
  static Set<String> checkedCodes(String table, String constraint) throws Exception {
    try (PreparedStatement st =
        jdbc.prepareStatement(
            "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c "
                + "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = ? AND c.conname = ? AND c.contype = 'c'")) {
      st.setString(1, table);
      st.setString(2, constraint);
      try (ResultSet rs = st.executeQuery()) {
        assertTrue(rs.next(), "no CHECK constraint " + constraint + " on " + table);
        String def = rs.getString(1);
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("'([a-z_0-9]+)'::text").matcher(def);
        while (m.find()) {
          out.add(m.group(1));
        }
        assertTrue(out.size() > 1, "no codes read from " + def);
        return out;
      }
    }
  }

  static <E> Set<String> codes(E[] values, java.util.function.Function<E, String> code) {
    return Arrays.stream(values).map(code).collect(Collectors.toCollection(TreeSet::new));
  }
}
