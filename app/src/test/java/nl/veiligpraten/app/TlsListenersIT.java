package nl.veiligpraten.app;

import static nl.veiligpraten.app.ConsoleFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import nl.veiligpraten.infra.web.ListenerLimits;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20, finding 10: both listeners serve TLS from PEM files (a certificate made here), send
 * HSTS, and refuse plain HTTP on the TLS port; the visitor and console WebSockets work over wss.
 */
@DisplayName("TLS on the listeners: HTTPS and wss from PEM files, with HSTS")
class TlsListenersIT {

  @TempDir static Path dataDir;
  @TempDir static Path tlsDir;
  static RunningApp app;
  static Vertx client;
  static WebClient https;

  @BeforeAll
  static void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=127.0.0.1");
    long now = System.currentTimeMillis();
    X509Certificate cert =
        new JcaX509CertificateConverter()
            .getCertificate(
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.valueOf(now),
                        new Date(now - 60_000),
                        new Date(now + 86_400_000L),
                        name,
                        keys.getPublic())
                    .build(
                        new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    Path certFile = tlsDir.resolve("cert.pem");
    Path keyFile = tlsDir.resolve("key.pem");
    Files.writeString(certFile, pem(cert));
    Files.writeString(
        keyFile,
        pem(
            new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(keys.getPrivate(), null)
                .generate()));
    AppSettings base = AppSettings.forTest(dataDir);
    app =
        TestApp.start(
            base.withSecurity(
                    base.security()
                        .withVisitor(
                            ListenerLimits.VISITOR_DEFAULT.withTls(
                                certFile.toString(), keyFile.toString()))
                        .withConsole(
                            ListenerLimits.CONSOLE_DEFAULT.withTls(
                                certFile.toString(), keyFile.toString())))
                .withVisitorOrigins(Set.of("https://127.0.0.1:" + base.visitorPort()))
                .withConsoleOrigins(Set.of("https://127.0.0.1:" + base.consolePort())));
    client = Vertx.vertx();
    https =
        WebClient.create(
            client, new WebClientOptions().setSsl(true).setTrustAll(true).setVerifyHost(false));
  }

  static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }

  @AfterAll
  static void tearDown() throws Exception {
    app.stopBlocking();
    client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  static WebSocket wss(int port, String cookie, LinkedBlockingQueue<JsonObject> frames)
      throws Exception {
    WebSocketConnectOptions options =
        new WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI("/ws")
            .setSsl(true)
            .addHeader("Origin", "https://127.0.0.1:" + port);
    if (cookie != null) {
      options.addHeader("Cookie", cookie);
    }
    return await(
        client
            .createWebSocketClient(
                new WebSocketClientOptions().setTrustAll(true).setVerifyHost(false))
            .connect(options)
            .map(
                ws -> {
                  ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
                  return ws;
                }));
  }

  static JsonObject next(LinkedBlockingQueue<JsonObject> frames, String type) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject f = frames.poll(200, TimeUnit.MILLISECONDS);
      if (f != null && type.equals(f.getString("type"))) {
        return f;
      }
    }
    throw new AssertionError("no " + type + " frame");
  }

  @Test
  @DisplayName(
      "both listeners answer HTTPS with HSTS and refuse plain HTTP; the visitor chat and the console "
          + "sign-in and socket work over TLS")
  void tlsOnBothListeners() throws Exception {
    for (int port : new int[] {app.visitorPort(), app.consolePort()}) {
      HttpResponse<Buffer> health = await(https.get(port, "127.0.0.1", "/health").send());
      assertEquals(200, health.statusCode());
      assertEquals(
          "max-age=31536000",
          health.getHeader("Strict-Transport-Security"),
          "HSTS on port " + port);
      WebClient plain = WebClient.create(client);
      assertThrows(
          Exception.class,
          () -> {
            HttpResponse<Buffer> r =
                await(plain.get(port, "127.0.0.1", "/health").timeout(5_000).send());
            throw new AssertionError("plain HTTP answered " + r.statusCode() + " on a TLS port");
          });
    }
    LinkedBlockingQueue<JsonObject> visitorFrames = new LinkedBlockingQueue<>();
    WebSocket visitor = wss(app.visitorPort(), null, visitorFrames);
    visitor.writeTextMessage(new JsonObject().put("type", "hello").put("v", 1).encode());
    next(visitorFrames, "welcome");
    visitor.close();

    HttpResponse<Buffer> login =
        await(
            https
                .post(app.consolePort(), "127.0.0.1", "/api/login")
                .sendJsonObject(
                    new JsonObject()
                        .put("username", TestApp.demoUser("csg"))
                        .put("password", TestApp.demoPassword(app, "csg"))));
    assertEquals(200, login.statusCode(), login.bodyAsString());
    String cookie = login.cookies().get(0).substring(0, login.cookies().get(0).indexOf(';'));
    LinkedBlockingQueue<JsonObject> consoleFrames = new LinkedBlockingQueue<>();
    WebSocket console = wss(app.consolePort(), cookie, consoleFrames);
    next(consoleFrames, "hello");
    console.close();
  }
}
