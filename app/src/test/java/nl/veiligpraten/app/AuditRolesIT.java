package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import nl.veiligpraten.audit.DatabaseRoles;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.db.Migrations;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "External database: VP_MIGRATION_USER owns the schema, the app user cannot rewrite the access log")
class AuditRolesIT {

  @TempDir Path dir;

  private static void sql(DbSettings as, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(as.jdbcUrl(), as.user(), as.password());
        Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  @Test
  @DisplayName(
      "with a separate, non-superuser migration user the app user may insert audit rows but UPDATE, DELETE "
          + "and TRUNCATE are refused; with one shared user the grant step reports the weaker mode")
  void separateMigrationUser() throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"), 0)) {
      DbSettings su = db.settings();
      sql(su, "CREATE ROLE vp_owner LOGIN NOSUPERUSER PASSWORD 'owner-pw'");
      sql(su, "CREATE ROLE vp_service LOGIN NOSUPERUSER PASSWORD 'service-pw'");
      sql(su, "CREATE DATABASE vp OWNER vp_owner");
      DbSettings app = new DbSettings(su.host(), su.port(), "vp", "vp_service", "service-pw");
      DbSettings owner =
          DatabaseRoles.migrationSettings(
              Map.of(
                  DatabaseRoles.ENV_MIGRATION_USER,
                  "vp_owner",
                  DatabaseRoles.ENV_MIGRATION_PASSWORD,
                  "owner-pw"),
              app);
      assertEquals("vp_owner", owner.user());
      assertTrue(Migrations.migrateBlocking(owner) >= 3);
      assertTrue(DatabaseRoles.grantAppPrivileges(owner, app.user()));
      assertTrue(DatabaseRoles.grantAppPrivileges(owner, app.user()), "idempotent at every start");

      sql(app, "INSERT INTO organisation (id, name) VALUES ('csg', 'CSG')");
      sql(
          app,
          "INSERT INTO audit_log (role, org_id, action) VALUES ('system', 'csg', 'retention_shred')");
      sql(app, "UPDATE organisation SET name = 'Centrum' WHERE id = 'csg'");
      for (String statement :
          new String[] {
            "UPDATE audit_log SET reason = 'x'",
            "DELETE FROM audit_log",
            "TRUNCATE audit_log",
            "DELETE FROM flyway_schema_history"
          }) {
        SQLException e = assertThrows(SQLException.class, () -> sql(app, statement), statement);
        assertEquals("42501", e.getSQLState(), statement + ": " + e.getMessage());
      }
      SQLException ownerUpdate =
          assertThrows(SQLException.class, () -> sql(owner, "UPDATE audit_log SET reason = 'x'"));
      assertTrue(ownerUpdate.getMessage().contains("append-only"));

      assertFalse(
          DatabaseRoles.grantAppPrivileges(owner, owner.user()),
          "one shared user is the weaker mode");
    }
  }
}
