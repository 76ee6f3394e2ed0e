package nl.veiligpraten.app;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.audit.AdminAudit;
import nl.veiligpraten.audit.DatabaseRoles;
import nl.veiligpraten.infra.db.Database;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.db.EmbeddedDatabase;
import nl.veiligpraten.infra.db.Migrations;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.routing.staff.Role;
import nl.veiligpraten.staff.EnrolmentLink;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;

/**
 * {@code veilig-praten create-admin NAME}: the first platform admin of a fresh installation,
 * without SQL by hand. Same environment as a node ({@code DATABASE_URL} or the embedded database in
 * {@code VP_DATA_DIR} while no node runs on it, {@code VP_CONSOLE_ORIGINS}); migrates the schema if
 * needed, creates the account {@code NAME} (not enrolled, no usable password) and prints a one-time
 * enrolment link (valid {@link EnrolmentLink#VALID_FOR}) with which its person sets a password and
 * TOTP in the console. Refused when an active platform admin exists: further admins are invited
 * from the console, where it is audited per person. The link is printed once and never stored.
 */
public final class CreateAdminCommand {

  private CreateAdminCommand() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(System.getenv(), args, System.out, System.err));
  }

  static int run(Map<String, String> env, String[] args, PrintStream out, PrintStream err)
      throws Exception {
    if (args.length != 1 || !args[0].matches("[a-z0-9][a-z0-9._-]{2,63}")) {
      err.println("usage: create-admin NAME   (NAME: the user name, 3-64 of a-z 0-9 . _ -)");
      return 2;
    }
    String username = args[0];
    AppSettings settings = AppSettings.from(env, new String[] {"--no-demo"});
    EmbeddedDatabase embedded = null;
    DbSettings db;
    DbSettings owner;
    if (settings.externalDb().isPresent()) {
      db = settings.externalDb().get();
      owner = DatabaseRoles.migrationSettings(env, db);
    } else {
      EmbeddedDatabase.privateDirectory(settings.dataDir());
      embedded =
          EmbeddedDatabase.start(settings.dataDir().resolve("postgres"), settings.embeddedDbPort());
      owner = embedded.settings();
      db = DatabaseRoles.ensureEmbeddedAppRole(owner, settings.dataDir());
    }
    Vertx vertx = Vertx.vertx();
    try {
      Migrations.migrateBlocking(owner);
      DatabaseRoles.grantAppPrivileges(owner, db.user());
      Pool pool = Database.pool(vertx, db, 1);
      try {
        StaffRepository staff = new StaffRepository(pool);
        if (await(staff.activePlatformAdmins()) > 0) {
          err.println(
              "create-admin: there is an active platform admin already; invite further admins in the console "
                  + "(Beheer), where every invitation is audited");
          return 3;
        }
        if (await(staff.byUsername(username)).isPresent()) {
          err.println("create-admin: the user name " + username + " is taken");
          return 3;
        }
        EnrolmentLink link = EnrolmentLink.create();
        String placeholder = PasswordHasher.hash(Secrets.token());
        StaffRepository.Invited invited =
            await(
                staff.invite(
                    null,
                    username,
                    username,
                    Role.PLATFORM_ADMIN.code(),
                    java.util.List.of(),
                    3,
                    placeholder,
                    link.hash(),
                    "first_admin",
                    EnrolmentLink.VALID_FOR.toSeconds()));
        await(
            new AdminAudit(pool)
                .done(
                    AdminAudit.Actor.COMMAND_LINE,
                    AdminAudit.Action.CREATE_FIRST_ADMIN,
                    new AdminAudit.Target(invited.user().id(), username, null),
                    new JsonObject()
                        .put("role", Role.PLATFORM_ADMIN.code())
                        .put("expiresAt", invited.expiresAt().toInstant().toString())));
        String origin = settings.consoleOrigins().stream().sorted().findFirst().orElse("");
        out.println(
            "Platform admin '"
                + username
                + "' created. Open this one-time link within "
                + EnrolmentLink.VALID_FOR.toHours()
                + " hours (until "
                + invited.expiresAt().toInstant()
                + ") to set a password and two-factor sign-in:");
        out.println(link.url(origin));
        return 0;
      } finally {
        pool.close();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (embedded != null) {
        embedded.close();
      }
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
