package nl.veiligpraten.app;

import static nl.veiligpraten.app.PrivacySupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import nl.veiligpraten.audit.AuditContext;
import nl.veiligpraten.conversation.PlainMessage;
import nl.veiligpraten.infra.db.DbSettings;
import nl.veiligpraten.infra.web.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends 1,000 messages with unique markers through the real service and then looks for the markers
 * everywhere a transcript could leak at rest: a logical dump of every table, every file of the
 * PostgreSQL data directory (WAL included) and everything logged (captured to a file at DEBUG
 * level). Positive controls prove each search can find things: the plaintext client ids of the same
 * messages must be found in the dump and the data directory, and a control line must be found in
 * the log file.
 */
@DisplayName(
    "Canary: 1,000 marked messages leave no plaintext in a dump of every table, the raw data directory or the logs")
class CanaryIT {

  private static final Logger LOG = LoggerFactory.getLogger(CanaryIT.class);

  @TempDir static Path work;
  static Path dataDir;
  static Path logFile;
  static FileAppender<ILoggingEvent> appender;
  static Map<String, Level> savedLevels = new java.util.HashMap<>();

  @BeforeAll
  static void captureLogs() {
    dataDir = work.resolve("data");
    logFile = work.resolve("captured.log");
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(ctx);
    encoder.setPattern("%d %-5level [%thread] %logger - %msg%n%ex");
    encoder.start();
    appender = new FileAppender<>();
    appender.setContext(ctx);
    appender.setFile(logFile.toString());
    appender.setEncoder(encoder);
    appender.start();
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    // Everything at DEBUG (the embedded server's own output included), except Netty's byte-level
    // chatter.
    for (String name :
        List.of(org.slf4j.Logger.ROOT_LOGGER_NAME, "io.zonky", "org.flywaydb", "io.vertx")) {
      ch.qos.logback.classic.Logger logger = ctx.getLogger(name);
      savedLevels.put(name, logger.getLevel());
      logger.setLevel(Level.DEBUG);
    }
  }

  @AfterAll
  static void restoreLogs() {
    LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    savedLevels.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
    ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }

  @Test
  @DisplayName(
      "markers are readable through the service, and absent from a dump of every table, data directory incl. pg_wal, "
          + "and captured logs after a CHECKPOINT")
  void noPlaintextAtRest() throws Exception {
    String run = HexFormat.of().withUpperCase().formatHex(java.security.SecureRandom.getSeed(6));
    String markerPrefix = "VPCANARY" + run;
    String controlPrefix = "vpctrl" + run.toLowerCase();
    List<String> markers = new ArrayList<>();
    RunningApp app = TestApp.start(AppSettings.forTest(dataDir));
    Path dump = work.resolve("dump.sql");
    Vertx client = Vertx.vertx();
    try {
      // 20 messages over real sockets (gateway and console code paths), 980 through the transcript
      // service.
      PrivacySupport.Visitor visitor = PrivacySupport.queuedVisitor(client, app, "csg");
      WsProbe counselor =
          PrivacySupport.console(
              client, app, PrivacySupport.loginDemo(WebClient.create(client), app, "csg"));
      UUID live = PrivacySupport.take(counselor);
      visitor.socket().awaitType("assigned");
      for (int i = 0; i < 20; i++) {
        String marker = markerPrefix + "-ws-" + i + "-" + Secrets.code(6);
        markers.add(marker);
        WsProbe from = i % 2 == 0 ? visitor.socket() : counselor;
        JsonObject frame =
            new JsonObject()
                .put("type", "message")
                .put("clientId", controlPrefix + "ws" + i)
                .put("body", "Ik wil iets vertellen: " + marker);
        if (from == counselor) {
          frame.put("conversationId", live.toString());
        }
        from.send(frame);
        from.await(f -> "ack".equals(f.getString("type")), Duration.ofSeconds(10));
        Thread.sleep(120); // the visitor's rate limit is 10 messages per second
      }
      visitor
          .socket()
          .await(
              f -> "message".equals(f.getString("type")) && f.getLong("seq") == 20L,
              Duration.ofSeconds(10));

      var transcripts = app.transcripts();
      List<UUID> conversations = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        UUID id = UUID.randomUUID();
        conversations.add(id);
        await(
            transcripts
                .conversations()
                .create(id, Secrets.sha256(Secrets.token()), Secrets.sha256(Secrets.token())));
        await(
            transcripts.route(
                id,
                c % 2 == 0 ? "csg" : "veilig_thuis",
                c % 2 == 0 ? "csg" : "veilig_thuis",
                2,
                "test",
                "{}"));
      }
      for (int i = 0; i < 980; i++) {
        UUID id = conversations.get(i % 10);
        String org = (i % 10) % 2 == 0 ? "csg" : "veilig_thuis";
        String marker = markerPrefix + "-" + i + "-" + Secrets.code(6);
        markers.add(marker);
        await(
            transcripts.append(
                id,
                org,
                i % 3 == 0 ? "counselor" : "visitor",
                null,
                controlPrefix + i,
                "bericht " + i + " " + marker + " einde"));
      }
      assertEquals(1000, markers.stream().distinct().count());

      // The markers are really stored: every one comes back through the service (and each read is
      // audited).
      List<String> readBack = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        String org = c % 2 == 0 ? "csg" : "veilig_thuis";
        for (PlainMessage m :
            await(
                transcripts.readForStaff(
                    conversations.get(c), org, 0, 1000, AuditContext.staff(1, "counselor", org)))) {
          readBack.add(m.body());
        }
      }
      for (PlainMessage m :
          await(
              transcripts.readForStaff(
                  live, "csg", 0, 1000, AuditContext.staff(1, "counselor", "csg")))) {
        readBack.add(m.body());
      }
      assertEquals(1000, readBack.size());
      for (String marker : markers) {
        assertTrue(readBack.stream().anyMatch(b -> b.contains(marker)));
      }
      visitor.socket().close();
      counselor.close();

      assertEquals(null, PrivacySupport.superuser(app, "CHECKPOINT"));
      dumpEveryTable(app.embedded().settings(), dump);
    } finally {
      app.stopBlocking();
      client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    LOG.info("canary log control line {}", controlPrefix + "log");
    LOG.debug("canary debug control line {}", controlPrefix + "dbg");

    // Dump: markers absent, controls (plaintext client ids of the same rows) present.
    byte[] dumped = Files.readAllBytes(dump);
    assertEquals(0, occurrences(dumped, markerPrefix), "markers in the dump");
    assertTrue(occurrences(dumped, controlPrefix) >= 1000, "the dump holds the message rows");

    // Every file of the data directory, PostgreSQL's pg_wal included.
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(
        files.stream().anyMatch(p -> p.toString().contains("pg_wal")), "WAL segments are scanned");
    long controlHits = 0;
    List<String> leaks = new ArrayList<>();
    for (Path file : files) {
      byte[] bytes = read(file);
      if (occurrences(bytes, markerPrefix) > 0) {
        leaks.add(dataDir.relativize(file).toString());
      }
      controlHits += occurrences(bytes, controlPrefix);
    }
    assertEquals(List.of(), leaks, "files holding a marker");
    assertTrue(
        controlHits >= 1000, "the raw files hold the rows (control hits: " + controlHits + ")");

    // Everything logged while the service ran.
    appender.stop();
    byte[] logged = Files.readAllBytes(logFile);
    assertTrue(occurrences(logged, controlPrefix + "log") == 1, "log capture works");
    assertTrue(occurrences(logged, controlPrefix + "dbg") == 1, "DEBUG output is captured too");
    assertEquals(0, occurrences(logged, markerPrefix), "markers in the log output");
    appender.start();
  }

  /**
   * A logical dump of what pg_dump's data section holds: every table outside the system schemas
   * read with COPY as the superuser, plus large objects. Not pg_dump itself, because the embedded
   * server is PostgreSQL 17 and Debian 12's pg_dump is 15, which refuses to dump a newer server;
   * the data directory check below covers every byte at rest.
   */
  private static void dumpEveryTable(DbSettings su, Path out) throws Exception {
    String url = "jdbc:postgresql://" + su.host() + ":" + su.port() + "/" + su.database();
    try (java.sql.Connection connection =
            java.sql.DriverManager.getConnection(url, su.user(), su.password());
        java.io.OutputStream file = Files.newOutputStream(out)) {
      org.postgresql.copy.CopyManager copy =
          connection.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
      List<String> tables = new ArrayList<>();
      try (java.sql.Statement st = connection.createStatement();
          java.sql.ResultSet rs =
              st.executeQuery(
                  "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables "
                      + "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      assertTrue(
          tables.stream().anyMatch(t -> t.endsWith(".message")),
          "the dump reads the message table: " + tables);
      for (String table : tables) {
        file.write(("-- " + table + "\n").getBytes(StandardCharsets.UTF_8));
        // SELECT rather than the table name: COPY refuses a partitioned parent table.
        copy.copyOut("COPY (SELECT * FROM " + table + ") TO STDOUT", file);
      }
      copy.copyOut("COPY (SELECT loid, pageno, data FROM pg_largeobject) TO STDOUT", file);
    }
  }

  private static byte[] read(Path file) throws IOException {
    try {
      return Files.readAllBytes(file);
    } catch (java.nio.file.NoSuchFileException e) {
      return new byte[0]; // a temp file the stopped server had already removed
    }
  }

  /** Occurrences of an ASCII needle in binary data. */
  static int occurrences(byte[] haystack, String needle) {
    String text = new String(haystack, StandardCharsets.ISO_8859_1);
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
