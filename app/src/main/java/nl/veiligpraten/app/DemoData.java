package nl.veiligpraten.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nl.veiligpraten.infra.web.Secrets;
import nl.veiligpraten.routing.staff.Role;
import nl.veiligpraten.staff.PasswordHasher;
import nl.veiligpraten.staff.StaffRepository;

/**
 * Demo organisations with a counselor, a supervisor and an organisation admin each, and one
 * platform admin (issue 21), created only on an empty database and only when demo data is on.
 * Passwords are random per installation and kept in {@code demo-logins.txt} in the data directory,
 * so the start banner can show them again after a restart.
 */
final class DemoData {

  /** The five organisations with a counselor queue; ids match the help-point ids. */
  static final Map<String, String> ORGANISATIONS = new java.util.LinkedHashMap<>();

  static {
    ORGANISATIONS.put("csg", "Centrum Seksueel Geweld");
    ORGANISATIONS.put("veilig_thuis", "Veilig Thuis");
    ORGANISATIONS.put("sense", "Sense (GGD)");
    ORGANISATIONS.put("cvsn", "Centrum Veilige Sport Nederland");
    ORGANISATIONS.put("mores", "Mores");
  }

  private DemoData() {}

  /**
   * A demo account with a random password (hashed on a worker thread); resolves with the password.
   */
  private static Future<String> account(
      Vertx vertx,
      StaffRepository staff,
      String orgId,
      String username,
      String displayName,
      String role) {
    String password = Secrets.code(12).toLowerCase();
    return vertx
        .executeBlocking(() -> PasswordHasher.hash(password), false)
        .compose(hash -> staff.createUser(orgId, username, displayName, role, hash))
        .map(password);
  }

  /**
   * Creates the demo data when there are no organisations yet; resolves with the login lines to
   * print.
   */
  static Future<List<String>> ensure(Vertx vertx, StaffRepository staff, Path dataDir) {
    Path file = dataDir.resolve("demo-logins.txt");
    return staff
        .countOrganisations()
        .compose(
            count -> {
              if (count > 0) {
                return vertx.executeBlocking(
                    () -> Files.exists(file) ? Files.readAllLines(file) : List.<String>of(), false);
              }
              List<Future<String>> created = new ArrayList<>();
              List<Future<String>> others = new ArrayList<>();
              for (Map.Entry<String, String> org : ORGANISATIONS.entrySet()) {
                String prefix = org.getKey().replace('_', '-');
                Future<Void> row = staff.createOrganisation(org.getKey(), org.getValue());
                created.add(
                    row.compose(
                            v ->
                                account(
                                    vertx,
                                    staff,
                                    org.getKey(),
                                    prefix + "-demo",
                                    "Hulpverlener " + org.getValue(),
                                    Role.COUNSELOR.code()))
                        .map(
                            password ->
                                String.format(
                                    "  %-14s user %-20s password %s",
                                    org.getKey(), prefix + "-demo", password)));
                // Supervisor and organisation admin lines start with the role, so readers that look
                // up an organisation's
                // counselor by the first word (tests, benches) keep finding the counselor line.
                others.add(
                    row.compose(
                            v ->
                                account(
                                    vertx,
                                    staff,
                                    org.getKey(),
                                    prefix + "-demo-supervisor",
                                    "Leidinggevende " + org.getValue(),
                                    Role.SUPERVISOR.code()))
                        .map(
                            password ->
                                String.format(
                                    "  %-14s %-13s user %-26s password %s",
                                    Role.SUPERVISOR.code(),
                                    org.getKey(),
                                    prefix + "-demo-supervisor",
                                    password)));
                others.add(
                    row.compose(
                            v ->
                                account(
                                    vertx,
                                    staff,
                                    org.getKey(),
                                    prefix + "-demo-admin",
                                    "Beheerder " + org.getValue(),
                                    Role.ORG_ADMIN.code()))
                        .map(
                            password ->
                                String.format(
                                    "  %-14s %-13s user %-26s password %s",
                                    Role.ORG_ADMIN.code(),
                                    org.getKey(),
                                    prefix + "-demo-admin",
                                    password)));
              }
              others.add(
                  account(
                          vertx,
                          staff,
                          null,
                          "demo-platform-admin",
                          "Platformbeheerder",
                          Role.PLATFORM_ADMIN.code())
                      .map(
                          password ->
                              String.format(
                                  "  %-14s %-13s user %-26s password %s",
                                  Role.PLATFORM_ADMIN.code(),
                                  "(all)",
                                  "demo-platform-admin",
                                  password)));
              created.addAll(others);
              return Future.all(created)
                  .compose(
                      all -> {
                        List<String> lines = all.list();
                        return vertx.executeBlocking(
                            () -> {
                              try {
                                Files.createDirectories(dataDir);
                                // Owner-only: the demo passwords are printed at start-up, not
                                // readable by other users of the host.
                                Files.deleteIfExists(file);
                                Files.createFile(
                                    file,
                                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                        java.nio.file.attribute.PosixFilePermissions.fromString(
                                            "rw-------")));
                                Files.write(file, lines);
                              } catch (IOException e) {
                                throw new UncheckedIOException(e);
                              }
                              return lines;
                            },
                            false);
                      });
            });
  }
}
