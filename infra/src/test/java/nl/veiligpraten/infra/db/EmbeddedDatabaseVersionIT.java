package nl.veiligpraten.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 13: the embedded server runs a supported PostgreSQL major (17; zonky's default
 * 14 is end of life), and a data directory of the old major is refused with a message instead of a
 * start-up timeout.
 */
@DisplayName(
    "The embedded PostgreSQL runs the bundled supported major and refuses a data directory of another")
class EmbeddedDatabaseVersionIT {

  @TempDir Path dir;

  @Test
  @DisplayName("the running server is PostgreSQL 17 and its data directory says so")
  void runsPostgres17() throws Exception {
    Path data = dir.resolve("pg");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
      DbSettings s = db.settings();
      try (Connection c = DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
        assertTrue(rs.next());
        assertEquals(
            EmbeddedDatabase.MAJOR_VERSION, rs.getInt(1) / 10000, "major of " + rs.getInt(1));
      }
      assertEquals(
          String.valueOf(EmbeddedDatabase.MAJOR_VERSION),
          Files.readString(data.resolve("PG_VERSION")).trim());
    }
  }

  @Test
  @DisplayName(
      "a data directory of PostgreSQL 14 is refused with a message naming both majors, and left unchanged")
  void refusesOtherMajor() throws Exception {
    Path data = dir.resolve("old");
    Files.createDirectories(data);
    Files.writeString(data.resolve("PG_VERSION"), "14\n");
    Files.writeString(data.resolve("postgresql.conf"), "# made by 14\n");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(data, 0));
    assertTrue(
        e.getMessage().contains("PostgreSQL 14") && e.getMessage().contains("PostgreSQL 17"),
        e.getMessage());
    try (var files = Files.list(data)) {
      assertEquals(
          List.of("PG_VERSION", "postgresql.conf"),
          files.map(f -> f.getFileName().toString()).sorted().toList(),
          "nothing was added or removed");
    }
    assertEquals("14\n", Files.readString(data.resolve("PG_VERSION")));
  }
}
