package nl.veiligpraten.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import nl.veiligpraten.infra.db.DbSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Access-log context and database role settings")
class AuditContextTest {

  @Test
  @DisplayName("a supervisor must give a reason of 1-500 characters; counselors need none")
  void supervisorReason() {
    assertThrows(
        IllegalArgumentException.class, () -> new AuditContext(1L, "supervisor", "csg", null));
    assertThrows(
        IllegalArgumentException.class, () -> new AuditContext(1L, "supervisor", "csg", " "));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AuditContext(1L, "supervisor", "csg", "x".repeat(501)));
    assertEquals("klacht", new AuditContext(1L, "supervisor", "csg", "klacht").reason());
    assertEquals(null, AuditContext.staff(2, "counselor", "csg").reason());
  }

  @Test
  @DisplayName(
      "VP_MIGRATION_USER/PASSWORD select the migration login; without them the app user migrates")
  void migrationSettings() {
    DbSettings app = new DbSettings("db", 5432, "vp", "vp_app", "secret");
    assertEquals(app, DatabaseRoles.migrationSettings(Map.of(), app));
    DbSettings owner =
        DatabaseRoles.migrationSettings(
            Map.of("VP_MIGRATION_USER", "vp_owner", "VP_MIGRATION_PASSWORD", "pw"), app);
    assertEquals(new DbSettings("db", 5432, "vp", "vp_owner", "pw"), owner);
    assertEquals("\"we\"\"ird\"", DatabaseRoles.quoteIdent("we\"ird"));
  }
}
