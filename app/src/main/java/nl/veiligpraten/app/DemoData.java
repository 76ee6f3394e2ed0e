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
import nl.veiligpraten.infra.staff.PasswordHasher;
import nl.veiligpraten.infra.staff.StaffRepository;
import nl.veiligpraten.infra.web.Secrets;

/**
 * Demo organisations and one demo counselor each, created only on an empty database and only when demo data is on.
 * Passwords are random per installation and kept in {@code demo-logins.txt} in the data directory, so the start
 * banner can show them again after a restart.
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

  private DemoData() {
  }

  /** Creates the demo data when there are no organisations yet; resolves with the login lines to print. */
  static Future<List<String>> ensure(Vertx vertx, StaffRepository staff, Path dataDir) {
    Path file = dataDir.resolve("demo-logins.txt");
    return staff.countOrganisations().compose(count -> {
      if (count > 0) {
        return vertx.executeBlocking(() -> Files.exists(file) ? Files.readAllLines(file) : List.<String>of(), false);
      }
      List<Future<String>> created = new ArrayList<>();
      for (Map.Entry<String, String> org : ORGANISATIONS.entrySet()) {
        String username = org.getKey().replace('_', '-') + "-demo";
        String password = Secrets.code(12).toLowerCase();
        created.add(staff.createOrganisation(org.getKey(), org.getValue())
            .compose(v -> vertx.executeBlocking(() -> PasswordHasher.hash(password), false))
            .compose(hash -> staff.createUser(org.getKey(), username, "Hulpverlener " + org.getValue(), "counselor",
                hash))
            .map(u -> String.format("  %-14s user %-20s password %s", org.getKey(), username, password)));
      }
      return Future.all(created).compose(all -> {
        List<String> lines = all.list();
        return vertx.executeBlocking(() -> {
          try {
            Files.createDirectories(dataDir);
            // Owner-only: the demo passwords are printed at start-up, not readable by other users of the host.
            Files.deleteIfExists(file);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.write(file, lines);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return lines;
        }, false);
      });
    });
  }
}
