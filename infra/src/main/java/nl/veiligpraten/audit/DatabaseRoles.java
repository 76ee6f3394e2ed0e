package nl.veiligpraten.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.web.Secrets;

/**
 * Separates the database owner (runs migrations) from the role the application's pool uses, so that
 * the application can never rewrite the access log: the app role gets normal DML on every table
 * except {@code audit_log}, where it may only SELECT and INSERT. All methods block (JDBC): call
 * them on a worker thread at start-up.
 *
 * <ul>
 *   <li>Embedded PostgreSQL: the superuser migrates; a login role {@value #APP_ROLE} (NOSUPERUSER)
 *       with a random password kept in the data directory ({@value #PASSWORD_FILE}) serves the
 *       pool.
 *   <li>External PostgreSQL: {@code VP_MIGRATION_USER}/{@code VP_MIGRATION_PASSWORD} name the
 *       owner, the normal {@code DATABASE_URL}/{@code PG*} user is the app role. Without them both
 *       are the same user, which is weaker (the owner can grant itself its privileges back); a
 *       warning says so.
 * </ul>
 */
public final class DatabaseRoles {

  public static final String APP_ROLE = "vp_app";
  public static final String PASSWORD_FILE = "db-app-role.secret";
  public static final String ENV_MIGRATION_USER = "VP_MIGRATION_USER";
  public static final String ENV_MIGRATION_PASSWORD = "VP_MIGRATION_PASSWORD";

  private DatabaseRoles() {}

  /**
   * Creates (or refreshes the password of) the embedded application role and returns the pool's
   * settings for it.
   *
   * @param superuser settings of the embedded superuser
   * @param dataDir directory that keeps the role's password file
   */
  public static DbSettings ensureEmbeddedAppRole(DbSettings superuser, Path dataDir) {
    String password = password(dataDir.resolve(PASSWORD_FILE));
    // The password is base64url (letters, digits, - and _), so it is safe inside the quoted
    // literal; CREATE/ALTER
    // ROLE take no bind parameters.
    String options =
        "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
            + password
            + "'";
    execute(
        superuser,
        "DO $$ BEGIN "
            + "IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '"
            + APP_ROLE
            + "') THEN "
            + "CREATE ROLE "
            + APP_ROLE
            + " "
            + options
            + "; "
            + "ELSE ALTER ROLE "
            + APP_ROLE
            + " "
            + options
            + "; END IF; END $$");
    return superuser.withLogin(APP_ROLE, password);
  }

  /**
   * Settings Flyway should use for an external database: the migration user if configured, else the
   * app user.
   */
  public static DbSettings migrationSettings(Map<String, String> env, DbSettings app) {
    String user = env.get(ENV_MIGRATION_USER);
    if (user == null || user.isBlank()) {
      return app;
    }
    return app.withLogin(
        user.trim(), Optional.ofNullable(env.get(ENV_MIGRATION_PASSWORD)).orElse(""));
  }

  /**
   * Grants the application role what it needs, after migrations (so tables added by later
   * migrations are covered). Idempotent; runs at every start.
   *
   * @return {@code true} when the audit log is protected from the app role; {@code false} when
   *     owner and app role are the same user (only the UPDATE trigger and a self-revoke protect it
   *     then)
   */
  public static boolean grantAppPrivileges(DbSettings owner, String appUser) {
    String app = quoteIdent(appUser);
    boolean separate = !owner.user().equals(appUser);
    if (separate) {
      // Only the schema's owner (or a superuser) may revoke CREATE; on a managed server that may be
      // someone else.
      execute(
          owner,
          "DO $$ BEGIN IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) "
              + "OR pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = 'public'), 'USAGE') "
              + "THEN EXECUTE 'REVOKE CREATE ON SCHEMA public FROM PUBLIC'; END IF; END $$",
          "GRANT USAGE ON SCHEMA public TO " + app,
          "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + app,
          "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + app,
          "REVOKE ALL ON flyway_schema_history FROM " + app,
          "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM " + app,
          "REVOKE UPDATE, DELETE, TRUNCATE ON admin_audit FROM " + app,
          "REVOKE UPDATE, DELETE, TRUNCATE ON routing_config_version FROM " + app);
    } else {
      // Same user: revoking from oneself only stops accidents, not a determined attacker with that
      // login.
      execute(
          owner,
          "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM " + app,
          "REVOKE UPDATE, DELETE, TRUNCATE ON admin_audit FROM " + app,
          "REVOKE UPDATE, DELETE, TRUNCATE ON routing_config_version FROM " + app);
    }
    return separate;
  }

  static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static void execute(DbSettings settings, String... statements) {
    try (Connection c =
            DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        Statement s = c.createStatement()) {
      // Nodes of a cluster start together; concurrent GRANT/REVOKE on one object can fail with
      // "tuple concurrently
      // updated", so the statements run in one transaction under an advisory lock.
      c.setAutoCommit(false);
      s.execute("SELECT pg_advisory_xact_lock(751301)");
      for (String sql : statements) {
        s.execute(sql);
      }
      c.commit();
    } catch (SQLException e) {
      // The message names the statement's problem, never the password (no statement text is
      // included).
      throw new IllegalStateException(
          "could not set up database roles: "
              + e.getMessage().replaceAll("PASSWORD '[^']*'", "PASSWORD '***'"),
          e);
    }
  }

  private static String password(Path file) {
    try {
      if (Files.exists(file)) {
        String value = Files.readString(file, StandardCharsets.UTF_8).trim();
        if (!value.matches("[A-Za-z0-9_-]{20,}")) {
          throw new IllegalStateException(
              file + " does not hold a valid generated password; delete it to get a new one");
        }
        return value;
      }
      Files.createDirectories(file.getParent());
      String value = Secrets.token();
      Path tmp = Files.createTempFile(file.getParent(), ".db-app-role", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: createTempFile already restricts access where it can
      }
      Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
