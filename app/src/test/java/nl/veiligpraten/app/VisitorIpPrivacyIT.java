package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@DisplayName("No visitor IP address or user agent ends up in the database or the logs")
class VisitorIpPrivacyIT {

  static final List<String> ADDRESSES =
      List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6", "127.0.0.7");
  static final String USER_AGENT = "PrivacyProbe/9.9 (UA-MARKER-7f3a)";

  @TempDir Path dataDir;

  static <T> T await(io.vertx.core.Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /**
   * One HTTP exchange from a given local address on a fresh connection. A stalled exchange is tried
   * again (at most three times): this test is about what the server stores and logs, and it once
   * saw a loopback request stall under heavy machine load; every attempt still reaches the server
   * from the same address.
   */
  static void fetch(Vertx client, String address, RequestOptions options, String body)
      throws Exception {
    java.util.concurrent.TimeoutException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      HttpClient http =
          client.createHttpClient(
              new HttpClientOptions().setLocalAddress(address).setKeepAlive(false));
      try {
        http.request(options)
            .compose(r -> body == null ? r.send() : r.send(body))
            .compose(r -> r.body())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
        return;
      } catch (java.util.concurrent.TimeoutException e) {
        last = e;
      } finally {
        http.close();
      }
    }
    throw last;
  }

  /** Copies everything written to stdout/stderr while the app runs. */
  static final class Tee extends OutputStream {
    final OutputStream a;
    final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }

  /**
   * Guards the test itself: the clients below really connect from the 127.0.0.x addresses they are
   * given.
   */
  static void assertLocalAddressesReallyUsed(Vertx client) throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    var server =
        await(
            client
                .createHttpServer()
                .requestHandler(
                    req -> {
                      seen.add(req.remoteAddress().host());
                      if ("/ws".equals(req.path())) {
                        req.toWebSocket();
                      } else {
                        req.response().end("ok");
                      }
                    })
                .listen(0, "127.0.0.1"));
    HttpClient http =
        client.createHttpClient(new HttpClientOptions().setLocalAddress(ADDRESSES.get(0)));
    await(
        http.request(
                new RequestOptions().setHost("127.0.0.1").setPort(server.actualPort()).setURI("/"))
            .compose(r -> r.send())
            .compose(r -> r.body()));
    WsProbe.connectFrom(client, ADDRESSES.get(1), server.actualPort(), "/ws", null, null).close();
    assertEquals(List.of(ADDRESSES.get(0), ADDRESSES.get(1)), seen);
    await(server.close());
  }

  @Test
  @DisplayName(
      "visitors from several 127.0.0.x addresses chat, resume, misbehave and get refused; afterwards no "
          + "text, bytea or JSON column of any table and no log line holds one of those addresses")
  void noAddressesAnywhere() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    PrintStream out = System.out;
    PrintStream err = System.err;
    System.setOut(new PrintStream(new Tee(out, console), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new Tee(err, console), true, StandardCharsets.UTF_8));
    Vertx client = Vertx.vertx();
    assertLocalAddressesReallyUsed(client);
    RunningApp app = TestApp.start(dataDir);
    List<String> conversations = new ArrayList<>();
    try {
      int port = app.visitorPort();
      String origin = "http://127.0.0.1:" + port;
      for (String address : ADDRESSES.subList(0, 4)) {
        for (String path : List.of("/", "/app.js", "/api/config", "/nope")) {
          fetch(
              client,
              address,
              new RequestOptions()
                  .setHost("127.0.0.1")
                  .setPort(port)
                  .setURI(path)
                  .addHeader("User-Agent", USER_AGENT)
                  .addHeader("X-Forwarded-For", address),
              null);
        }
        fetch(
            client,
            address,
            new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/api/routing/explain")
                .addHeader("User-Agent", USER_AGENT),
            "{\"answers\":{\"Q0\":\"bogus\"}}");

        WsProbe visitor = WsProbe.connectFrom(client, address, port, "/ws", origin, null);
        visitor.send(new JsonObject().put("type", "hello").put("v", 1));
        JsonObject welcome = visitor.awaitType("welcome");
        visitor.send(
            new JsonObject()
                .put("type", "choose")
                .put("helpPoint", "csg")
                .put("answers", new JsonObject().put("Q0", "no")));
        visitor.awaitType("queued");
        visitor.send(
            new JsonObject()
                .put("type", "message")
                .put("clientId", "m-1")
                .put("body", "ik ben op " + address));
        visitor.awaitType("ack");
        visitor.socket.writeTextMessage("{not json " + address);
        visitor.awaitType("error");
        visitor.close();
        // Resume from another address, as when a phone moves from Wi-Fi to 4G.
        String other = ADDRESSES.get(4);
        WsProbe back = WsProbe.connectFrom(client, other, port, "/ws", origin, null);
        back.send(
            new JsonObject()
                .put("type", "hello")
                .put("v", 1)
                .put("resume", welcome.getString("resumeToken"))
                .put("lastSeq", 0));
        back.awaitType("welcome");
        back.close();
      }
      // Refused handshakes are logged (without the address).
      String refusedFrom = ADDRESSES.get(5);
      assertThrows(
          Exception.class,
          () -> WsProbe.connectFrom(client, refusedFrom, port, "/ws", "http://evil.com", null));
      WebClient web = WebClient.create(client, new WebClientOptions().setLocalAddress(refusedFrom));
      String cookie = WalkingSkeletonIT.login(web, app, "csg");
      WsProbe counselor =
          WsProbe.connectFrom(
              client,
              refusedFrom,
              app.consolePort(),
              "/ws",
              "http://127.0.0.1:" + app.consolePort(),
              cookie);
      counselor.send(new JsonObject().put("type", "take"));
      conversations.add(counselor.awaitType("assigned").getString("conversationId"));
      counselor.close();
      // The last write this run causes is the console's presence release on that close: wait for it
      // (instead of a
      // sleep), so the scan below sees everything the run stored.
      long released = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
      while (await(
                  app.pool()
                      .query(
                          "SELECT count(*) FROM staff_presence p JOIN staff_user u ON u.id = p.staff_id "
                              + "WHERE u.org_id = 'csg'")
                      .execute())
              .iterator()
              .next()
              .getLong(0)
          > 0) {
        assertTrue(System.nanoTime() < released, "the console's presence was never released");
        Thread.sleep(50);
      }

      // Every column that can hold text, bytes or JSON, in every table the application's user can
      // see.
      List<Row> columns = new ArrayList<>();
      await(
              app.pool()
                  .query(
                      "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
                          + "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND data_type IN ('text', "
                          + "'character varying', 'character', 'bytea', 'jsonb', 'json', 'inet', 'cidr', 'ARRAY', 'USER-DEFINED') "
                          + "AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE')")
                  .execute())
          .forEach(columns::add);
      assertTrue(columns.size() >= 10, "too few columns checked: " + columns.size());
      long conversationsStored =
          await(app.pool().query("SELECT count(*) FROM conversation").execute())
              .iterator()
              .next()
              .getLong(0);
      assertTrue(conversationsStored >= 4);
      List<String> found = new ArrayList<>();
      for (Row c : columns) {
        String table =
            "\"" + c.getString("table_schema") + "\".\"" + c.getString("table_name") + "\"";
        String column = "\"" + c.getString("column_name") + "\"";
        String type = c.getString("data_type");
        assertFalse(
            type.equals("inet") || type.equals("cidr"),
            "address-typed column " + table + "." + column);
        for (String address : ADDRESSES) {
          String sql;
          Tuple params;
          if (type.equals("bytea")) {
            byte[] raw = java.net.InetAddress.getByName(address).getAddress();
            sql =
                "SELECT count(*) FROM "
                    + table
                    + " WHERE position(convert_to($1, 'UTF8') in "
                    + column
                    + ") > 0 "
                    + "OR position($2 in "
                    + column
                    + ") > 0";
            params = Tuple.of(address, io.vertx.core.buffer.Buffer.buffer(raw));
          } else {
            sql =
                "SELECT count(*) FROM " + table + " WHERE position($1 in " + column + "::text) > 0";
            params = Tuple.of(address);
          }
          long n =
              await(app.pool().preparedQuery(sql).execute(params)).iterator().next().getLong(0);
          if (n > 0) {
            found.add(table + "." + column + " holds " + address);
          }
        }
        long ua =
            type.equals("bytea")
                ? 0
                : await(
                        app.pool()
                            .preparedQuery(
                                "SELECT count(*) FROM "
                                    + table
                                    + " WHERE position($1 in "
                                    + column
                                    + "::text) > 0")
                            .execute(Tuple.of("UA-MARKER")))
                    .iterator()
                    .next()
                    .getLong(0);
        if (ua > 0) {
          found.add(table + "." + column + " holds the user agent");
        }
      }
      assertEquals(List.of(), found);
    } finally {
      app.stopBlocking();
      client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      System.setOut(out);
      System.setErr(err);
      root.detachAppender(logs);
    }
    StringBuilder all = new StringBuilder(console.toString(StandardCharsets.UTF_8));
    for (ILoggingEvent e : logs.list) {
      all.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        all.append(e.getThrowableProxy().getMessage()).append('\n');
      }
      e.getMDCPropertyMap().values().forEach(v -> all.append(v).append('\n'));
    }
    String text = all.toString();
    assertTrue(
        text.contains("visitor websocket refused"),
        "the log capture saw nothing; it would prove nothing");
    for (String address : ADDRESSES) {
      assertFalse(text.contains(address), "log output holds " + address);
    }
    assertFalse(text.contains("UA-MARKER"), "log output holds the user agent");
    assertEquals(1, conversations.size());
  }
}
