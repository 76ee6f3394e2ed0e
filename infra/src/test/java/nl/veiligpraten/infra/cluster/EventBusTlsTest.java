package nl.veiligpraten.infra.cluster;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName(
    "Event-bus TLS settings: all three PEM files or none, and no plain production cluster without the opt-out")
class EventBusTlsTest {

  private static final Map<String, String> FILES =
      Map.of(
          EventBusTls.CERT_FILE,
          "/tls/node.crt",
          EventBusTls.KEY_FILE,
          "/tls/node.key",
          EventBusTls.CA_FILE,
          "/tls/ca.crt");

  @Test
  @DisplayName("without settings the event bus is plain and there is no opt-out")
  void offByDefault() {
    EventBusTls tls = ClusterSettings.from(Map.of(), true).eventBusTls();
    assertFalse(tls.enabled());
    assertFalse(tls.plaintextOnPrivateNetwork());
  }

  @Test
  @DisplayName("the three PEM files turn TLS on")
  void allThree() {
    EventBusTls tls = EventBusTls.from(FILES);
    assertTrue(tls.enabled());
    assertEquals(Path.of("/tls/ca.crt"), tls.pem().orElseThrow().ca());
  }

  @Test
  @DisplayName(
      "half a TLS configuration, a malformed opt-out or TLS plus the opt-out are refused with the names")
  void refusals() {
    IllegalArgumentException half =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EventBusTls.from(
                    Map.of(
                        EventBusTls.CERT_FILE,
                        "/tls/node.crt",
                        EventBusTls.KEY_FILE,
                        "/tls/node.key")));
    assertTrue(half.getMessage().contains(EventBusTls.CA_FILE), half.getMessage());
    IllegalArgumentException flag =
        assertThrows(
            IllegalArgumentException.class,
            () -> EventBusTls.from(Map.of(EventBusTls.PLAINTEXT_PRIVATE_NETWORK, "yes")));
    assertTrue(
        flag.getMessage().contains(EventBusTls.PLAINTEXT_PRIVATE_NETWORK), flag.getMessage());
    java.util.HashMap<String, String> both = new java.util.HashMap<>(FILES);
    both.put(EventBusTls.PLAINTEXT_PRIVATE_NETWORK, "true");
    IllegalArgumentException contradiction =
        assertThrows(IllegalArgumentException.class, () -> EventBusTls.from(both));
    assertTrue(contradiction.getMessage().contains(EventBusTls.PLAINTEXT_PRIVATE_NETWORK));
    IllegalArgumentException crlAlone =
        assertThrows(
            IllegalArgumentException.class,
            () -> EventBusTls.from(Map.of(EventBusTls.CRL_FILE, "/tls/cluster.crl")));
    assertTrue(crlAlone.getMessage().startsWith(EventBusTls.CRL_FILE), crlAlone.getMessage());
  }

  @Test
  @DisplayName(
      "a production cluster refuses to start with a plain event bus unless the private-network opt-out is "
          + "given; a demo, a single process and a TLS cluster start")
  void productionPosture() {
    ClusterSettings plain = ClusterSettings.from(Map.of(), true);
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> plain.requireSafeFor(false));
    assertTrue(refused.getMessage().contains(EventBusTls.CERT_FILE), refused.getMessage());
    assertTrue(
        refused.getMessage().contains(EventBusTls.PLAINTEXT_PRIVATE_NETWORK), refused.getMessage());
    assertDoesNotThrow(() -> plain.requireSafeFor(true));
    assertDoesNotThrow(() -> ClusterSettings.from(Map.of(), false).requireSafeFor(false));
    assertDoesNotThrow(
        () ->
            ClusterSettings.from(Map.of(EventBusTls.PLAINTEXT_PRIVATE_NETWORK, "true"), true)
                .requireSafeFor(false));
    assertDoesNotThrow(() -> ClusterSettings.from(FILES, true).requireSafeFor(false));
  }

  @Test
  @DisplayName(
      "the event-bus options get TLS 1.3, the CA as the only trust, no trust-all and required client "
          + "certificates; a missing file is named")
  void options(@TempDir Path dir) throws Exception {
    for (String name : new String[] {"node.crt", "node.key", "ca.crt"}) {
      Files.writeString(dir.resolve(name), "-----BEGIN CERTIFICATE-----\n");
    }
    EventBusTls tls =
        EventBusTls.from(
            Map.of(
                EventBusTls.CERT_FILE,
                dir.resolve("node.crt").toString(),
                EventBusTls.KEY_FILE,
                dir.resolve("node.key").toString(),
                EventBusTls.CA_FILE,
                dir.resolve("ca.crt").toString()));
    EventBusOptions options = tls.apply(new EventBusOptions());
    assertTrue(options.isSsl());
    assertFalse(options.isTrustAll(), "EventBusOptions trusts every certificate by default");
    assertEquals(ClientAuth.REQUIRED, options.getClientAuth());
    assertEquals(Set.of("TLSv1.3"), options.getEnabledSecureTransportProtocols());
    assertFalse(EventBusTls.OFF.apply(new EventBusOptions()).isSsl());

    assertTrue(options.getCrlPaths().isEmpty());
    Files.writeString(dir.resolve("cluster.crl"), "-----BEGIN X509 CRL-----\n");
    java.util.HashMap<String, String> withCrl =
        new java.util.HashMap<>(
            Map.of(
                EventBusTls.CERT_FILE,
                dir.resolve("node.crt").toString(),
                EventBusTls.KEY_FILE,
                dir.resolve("node.key").toString(),
                EventBusTls.CA_FILE,
                dir.resolve("ca.crt").toString()));
    withCrl.put(EventBusTls.CRL_FILE, dir.resolve("cluster.crl").toString());
    assertEquals(
        java.util.List.of(dir.resolve("cluster.crl").toString()),
        EventBusTls.from(withCrl).apply(new EventBusOptions()).getCrlPaths());
    withCrl.put(EventBusTls.CRL_FILE, dir.resolve("missing.crl").toString());
    IllegalArgumentException missingCrl =
        assertThrows(
            IllegalArgumentException.class,
            () -> EventBusTls.from(withCrl).apply(new EventBusOptions()));
    assertTrue(missingCrl.getMessage().startsWith(EventBusTls.CRL_FILE), missingCrl.getMessage());

    Files.delete(dir.resolve("ca.crt"));
    IllegalArgumentException missing =
        assertThrows(IllegalArgumentException.class, () -> tls.apply(new EventBusOptions()));
    assertTrue(missing.getMessage().startsWith(EventBusTls.CA_FILE), missing.getMessage());
  }
}
