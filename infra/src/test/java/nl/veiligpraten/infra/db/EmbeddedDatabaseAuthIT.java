package nl.veiligpraten.infra.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 5: the embedded PostgreSQL used to trust every local connection as superuser.
 * Now it asks for a SCRAM password on every connection, from the first start on, and a data
 * directory made by an older version is closed on its next start without losing data.
 */
@DisplayName("The embedded PostgreSQL asks every connection for a SCRAM password")
class EmbeddedDatabaseAuthIT {

  @TempDir Path dir;

  private static Connection connect(int port, String user, String password) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable", user, password);
  }

  private static String query(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      assertTrue(rs.next(), sql);
      return rs.getString(1);
    }
  }

  /** The connection is refused because of authentication, not for any other reason. */
  private static void refused(int port, String user, String password) {
    SQLException e =
        assertThrows(
            SQLException.class,
            () -> connect(port, user, password).close(),
            user + " with password '" + password + "' must be refused");
    // 28P01: password authentication failed; 08004: the driver has no password to answer the SCRAM
    // request with.
    assertTrue(
        "28P01".equals(e.getSQLState()) || "08004".equals(e.getSQLState()),
        "refused for authentication, got " + e.getSQLState() + ": " + e.getMessage());
  }

  @Test
  @DisplayName(
      "a fresh server refuses connections without or with a wrong password, accepts the generated one, and "
          + "keeps the password owner-only and its pg_hba.conf free of trust")
  void freshServer() throws Exception {
    Path data = dir.resolve("pg");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
      DbSettings su = db.settings();
      refused(db.port(), "postgres", "");
      refused(db.port(), "postgres", "wrong-" + su.password());
      refused(db.port(), "nobody", su.password());
      try (Connection c = connect(db.port(), su.user(), su.password())) {
        assertEquals("postgres", query(c, "SELECT current_user"));
        assertEquals("scram-sha-256", query(c, "SHOW password_encryption"));
        assertTrue(
            query(c, "SELECT rolpassword FROM pg_authid WHERE rolname = 'postgres'")
                .startsWith("SCRAM-SHA-256$"),
            "the superuser's password is stored as a SCRAM verifier");
        // Every rule the server loaded demands SCRAM: no trust, no md5, no peer.
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT DISTINCT auth_method FROM pg_hba_file_rules")) {
          while (rs.next()) {
            assertEquals("scram-sha-256", rs.getString(1), "every pg_hba rule");
          }
        }
      }
      assertFalse(EmbeddedDatabase.trustsSomeone(data.resolve("pg_hba.conf")));
      Path secret = EmbeddedDatabase.superuserSecretFile(data);
      assertEquals(su.password(), Files.readString(secret).trim());
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
      assertEquals(
          data.toAbsolutePath().getParent(),
          secret.getParent(),
          "beside the data directory, not in it");
    }
    // Without its password file the server is not started with a new password that could not open
    // it.
    Path secret = EmbeddedDatabase.superuserSecretFile(data);
    Path away = dir.resolve("moved-away.secret");
    Files.move(secret, away);
    IllegalStateException missing =
        assertThrows(IllegalStateException.class, () -> EmbeddedDatabase.start(data, 0));
    assertTrue(missing.getMessage().contains("is missing"), missing.getMessage());
    assertFalse(Files.exists(secret), "no new password was made up");
    Files.move(away, secret);
    // A restart reads the same password back.
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
      refused(again.port(), "postgres", "");
      try (Connection c = connect(again.port(), "postgres", again.settings().password())) {
        assertEquals("1", query(c, "SELECT 1"));
      }
    }
  }

  @Test
  @DisplayName(
      "a data directory from before (initdb trust, superuser without password) keeps its data and asks for "
          + "a password from its next start on")
  void trustingDataDirectoryIsClosed() throws Exception {
    Path data = dir.resolve("old");
    Files.createDirectories(data);
    // What EmbeddedDatabase used to do: zonky's defaults, initdb -A trust.
    try (EmbeddedPostgres old =
            EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(
                    EmbeddedDatabase.privateDirectory(EmbeddedDatabase.binaryDirectory()).toFile())
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        Connection c = connect(old.getPort(), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE kept (id int)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    assertTrue(
        EmbeddedDatabase.trustsSomeone(data.resolve("pg_hba.conf")), "the old directory trusts");

    try (EmbeddedDatabase db = EmbeddedDatabase.start(data, 0)) {
      refused(db.port(), "postgres", "");
      refused(db.port(), "postgres", "not-the-password");
      try (Connection c = connect(db.port(), "postgres", db.settings().password())) {
        assertEquals("42", query(c, "SELECT id FROM kept"));
      }
      assertFalse(EmbeddedDatabase.trustsSomeone(data.resolve("pg_hba.conf")));
    }
    try (EmbeddedDatabase again = EmbeddedDatabase.start(data, 0)) {
      refused(again.port(), "postgres", "");
      try (Connection c = connect(again.port(), "postgres", again.settings().password())) {
        assertEquals("42", query(c, "SELECT id FROM kept"));
      }
    }
  }
}
