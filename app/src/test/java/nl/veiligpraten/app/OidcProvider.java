package nl.veiligpraten.app;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenID Connect provider for the single sign-on tests: {@code
 * no.nav.security:mock-oauth2-server} run as its own JVM process on a free loopback port (its class
 * path is built by the {@code oidc-provider} module). Its issuers are {@code
 * http://127.0.0.1:PORT/<issuer id>}; its behaviour is its {@code JSON_CONFIG}. It can be restarted
 * on the same port with another configuration (the tests' way to change what the provider says
 * about a person) and is stopped by its process handle.
 */
@SuppressWarnings(
    "try") // close() waits for the process to end; an interrupt there fails the test, as it should
final class OidcProvider implements AutoCloseable {

  private static final Path CLASSPATH =
      Path.of("..", "oidc-provider", "target", "mock-oauth2-server.classpath");

  private final int port;
  private final Path log;
  private Process process;

  private OidcProvider(int port, Path log) {
    this.port = port;
    this.log = log;
  }

  /** Starts the provider with this configuration and waits until its discovery document answers. */
  static OidcProvider start(String jsonConfig, Path logDir) throws Exception {
    OidcProvider p = new OidcProvider(AppSettings.freePort(), logDir.resolve("oidc-provider.log"));
    p.launch(jsonConfig);
    return p;
  }

  String issuer(String id) {
    return "http://127.0.0.1:" + port + "/" + id;
  }

  int port() {
    return port;
  }

  /** Stops the process and starts it again on the same port with another configuration. */
  void restart(String jsonConfig) throws Exception {
    stop();
    launch(jsonConfig);
  }

  private void launch(String jsonConfig) throws Exception {
    if (!Files.isRegularFile(CLASSPATH)) {
      throw new IllegalStateException(
          "no "
              + CLASSPATH.toAbsolutePath()
              + ": build the oidc-provider module first "
              + "(it is part of the reactor; ./test builds it)");
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-Xmx160m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            Files.readString(CLASSPATH).trim(),
            "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt");
    pb.environment().put("SERVER_HOSTNAME", "127.0.0.1");
    pb.environment().put("SERVER_PORT", String.valueOf(port));
    pb.environment().put("JSON_CONFIG", jsonConfig);
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the OpenID Connect provider exited with " + process.exitValue() + "; see " + log);
      }
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(
                        URI.create(issuer("probe") + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Still starting.
      }
      Thread.sleep(200);
    }
    stop();
    throw new IllegalStateException(
        "the OpenID Connect provider did not answer within 90 s; see " + log);
  }

  private void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    process = null;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /**
   * A fresh RSA signing key as a private JWK (the provider's {@code keyProvider.initialKeys}), so a
   * restarted provider signs with the same key as before, as a real provider does across restarts.
   */
  static String rsaSigningKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    RSAPrivateCrtKey k = (RSAPrivateCrtKey) g.generateKeyPair().getPrivate();
    return "{\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"kid\":\"test-key\",\"n\":\""
        + b64(k.getModulus())
        + "\",\"e\":\""
        + b64(k.getPublicExponent())
        + "\",\"d\":\""
        + b64(k.getPrivateExponent())
        + "\",\"p\":\""
        + b64(k.getPrimeP())
        + "\",\"q\":\""
        + b64(k.getPrimeQ())
        + "\",\"dp\":\""
        + b64(k.getPrimeExponentP())
        + "\",\"dq\":\""
        + b64(k.getPrimeExponentQ())
        + "\",\"qi\":\""
        + b64(k.getCrtCoefficient())
        + "\"}";
  }

  private static String b64(BigInteger v) {
    byte[] bytes = v.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** JSON string literal of a value (for building a JSON_CONFIG). */
  static String quoted(String value) {
    return io.vertx.core.json.Json.encode(value);
  }
}
