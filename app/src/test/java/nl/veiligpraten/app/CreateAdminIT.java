package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Map;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.web.Secrets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("create-admin against an external PostgreSQL (DATABASE_URL / PG* as in production)")
class CreateAdminIT {

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  static Run run(Map<String, String> env, String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        CreateAdminCommand.run(
            env,
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String query(DbSettings db, String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      return r.next() ? r.getString(1) : null;
    }
  }

  @Test
  @DisplayName(
      "on an empty database it migrates, creates an unenrolled platform admin and prints a one-time link on "
          + "the configured console origin; the token is stored only as its hash, the trail says create-admin; a bad "
          + "name and a second admin are refused and change nothing")
  void firstAdmin() throws Exception {
    try (EmbeddedDatabase pg = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
      DbSettings db = pg.settings();
      Map<String, String> env =
          Map.of(
              "PGHOST",
              db.host(),
              "PGPORT",
              String.valueOf(db.port()),
              "PGDATABASE",
              db.database(),
              "PGUSER",
              db.user(),
              "PGPASSWORD",
              db.password(),
              "VP_DATA_DIR",
              dir.resolve("data").toString(),
              "VP_CONSOLE_ORIGINS",
              "https://console.example.nl");

      Run bad = run(env, "Anna Beheer");
      assertEquals(2, bad.exit());
      assertTrue(bad.err().contains("usage"), bad.err());

      Run first = run(env, "anna.beheer");
      assertEquals(0, first.exit(), first.err());
      String link =
          first.out().lines().filter(l -> l.startsWith("https://")).findFirst().orElseThrow();
      assertTrue(link.startsWith("https://console.example.nl/enrol.html#t="), link);
      String token = link.substring(link.indexOf("#t=") + 3);
      assertEquals(
          "platform_admin|true|true",
          query(
              db,
              "SELECT role || '|' || (enrolled_at IS NULL) || '|' "
                  + "|| (org_id IS NULL) FROM staff_user WHERE username = 'anna.beheer'"));
      assertEquals(
          "first_admin",
          query(
              db,
              "SELECT purpose FROM staff_enrolment WHERE token_hash = '\\x"
                  + HexFormat.of().formatHex(Secrets.sha256(token))
                  + "'"));
      assertEquals(
          "create-admin|system|create_first_admin|anna.beheer|done",
          query(
              db,
              "SELECT actor_name || '|' "
                  + "|| actor_role || '|' || action || '|' || target_name || '|' || outcome FROM admin_audit"));
      String everything =
          query(
              db,
              "SELECT string_agg(t::text, '|') FROM (SELECT s::text AS t FROM staff_user s "
                  + "UNION ALL SELECT e::text FROM staff_enrolment e UNION ALL SELECT a::text FROM admin_audit a) x");
      assertFalse(everything.contains(token), "the token itself is nowhere in the database");

      Run second = run(env, "bert.beheer");
      assertEquals(3, second.exit());
      assertTrue(second.err().contains("active platform admin"), second.err());
      assertEquals("1", query(db, "SELECT count(*) FROM staff_user"));
    }
  }
}
