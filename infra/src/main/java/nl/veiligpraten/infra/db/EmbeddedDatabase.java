package nl.veiligpraten.infra.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real PostgreSQL server from Maven Central binaries, for development and tests. The data directory is kept
 * between runs so a restart keeps the conversations; {@link #close()} stops the server.
 */
public final class EmbeddedDatabase implements AutoCloseable {

  private final EmbeddedPostgres postgres;
  private final Path dataDir;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDir) {
    this.postgres = postgres;
    this.dataDir = dataDir;
  }

  /**
   * Starts PostgreSQL on the given data directory (created when missing) and port (0 = any free port). Blocking:
   * call it from a worker thread or before Vert.x starts.
   */
  public static EmbeddedDatabase start(Path dataDir, int port) {
    try {
      Files.createDirectories(dataDir);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(true)
          .setPGStartupWait(Duration.ofSeconds(60))
          // Never log connection details of visitors: the server only ever sees loopback connections from us.
          .setServerConfig("log_connections", "off")
          .setServerConfig("log_disconnections", "off")
          .setServerConfig("log_statement", "none")
          .setServerConfig("max_connections", "200")
          // zonky's builder turns synchronous_commit OFF by default: then a commit (and our ack) could precede the
          // WAL flush. We ack only after a durable commit, so it must be on. Throughput comes from group commit:
          // concurrent transactions share one WAL flush. commit_delay stays 0: on the 2-core benchmark box a
          // 200 µs delay lowered throughput (A/B in BENCHMARKS.md).
          .setServerConfig("synchronous_commit", "on");
      if (port > 0) {
        builder.setPort(port);
      }
      // zonky unpacks the PostgreSQL binaries into java.io.tmpdir by default: a world-writable place where another
      // local user could plant or swap them. They go to an owner-only directory instead (issue 20, finding 5).
      Path binaries = binaryDirectory();
      if (System.getenv("VP_EMBEDDED_PG_BINARIES") == null) {
        // The per-user cache directory above it is owner-only too: zonky makes its working directory writable for
        // everyone (File.setWritable(true, false), meant for a shared /tmp) on the first start in each process, so
        // the parent is what keeps other local users out even in that moment.
        privateDirectory(binaries.getParent());
      }
      builder.setOverrideWorkingDirectory(privateDirectory(binaries).toFile());
      EmbeddedPostgres postgres = builder.start();
      // ...and tightened again right after zonky's chmod (HardeningIT saw rwx-w--w- after a first start).
      privateDirectory(binaries);
      return new EmbeddedDatabase(postgres, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL in " + dataDir, e);
    }
  }

  /** Where the binaries are unpacked: {@code VP_EMBEDDED_PG_BINARIES}, else a per-user cache directory. */
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

  /** Connection settings of the running server (superuser, trust authentication on loopback). */
  public DbSettings settings() {
    return new DbSettings("127.0.0.1", postgres.getPort(), "postgres", "postgres", "");
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
