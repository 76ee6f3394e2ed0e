package nl.veiligpraten.infra.cluster;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * TLS with client certificates on the Vert.x event bus between cluster nodes (issue 20, finding
 * 10). Every node presents its certificate in both directions and accepts a peer only when that
 * peer's certificate chains to the cluster CA: a node without a certificate from that CA can
 * neither send to nor receive from the others, even when it has joined Hazelcast (which has no
 * member TLS in its open-source edition; see {@code docs/security.md}).
 *
 * <p>Host names are not checked (Vert.x connects to the address a node announced through Hazelcast,
 * which on Kubernetes is a pod IP): what authenticates a peer is the CA, so it must be a CA used
 * for this cluster only.
 *
 * <p>All three files or none. Without them a production node refuses to start a cluster unless the
 * operator states that the cluster ports are on a private network ({@code
 * VP_EVENTBUS_PLAINTEXT_PRIVATE_NETWORK=true}); a demo instance may run without (see {@link
 * #requireFor(boolean, boolean)}).
 *
 * @param pem the node's certificate, key and the cluster CA; empty for a plain event bus
 * @param plaintextOnPrivateNetwork {@code VP_EVENTBUS_PLAINTEXT_PRIVATE_NETWORK}: the operator's
 *     explicit statement that the event bus may run without TLS because nothing else can reach its
 *     port
 */
public record EventBusTls(Optional<Pem> pem, boolean plaintextOnPrivateNetwork) {

  public static final String CERT_FILE = "VP_EVENTBUS_TLS_CERT_FILE";
  public static final String KEY_FILE = "VP_EVENTBUS_TLS_KEY_FILE";
  public static final String CA_FILE = "VP_EVENTBUS_TLS_CA_FILE";
  public static final String CRL_FILE = "VP_EVENTBUS_TLS_CRL_FILE";
  public static final String PLAINTEXT_PRIVATE_NETWORK = "VP_EVENTBUS_PLAINTEXT_PRIVATE_NETWORK";

  /** A plain event bus and no opt-out (a single process, or a demo). */
  public static final EventBusTls OFF = new EventBusTls(Optional.empty(), false);

  /**
   * The PEM files of one node.
   *
   * @param cert {@code VP_EVENTBUS_TLS_CERT_FILE}: the node's certificate chain (leaf first), for
   *     server and client use (extended key usage serverAuth and clientAuth, or none)
   * @param key {@code VP_EVENTBUS_TLS_KEY_FILE}: its private key, PKCS#8 ({@code BEGIN PRIVATE
   *     KEY})
   * @param ca {@code VP_EVENTBUS_TLS_CA_FILE}: the cluster CA certificate(s) a peer's certificate
   *     must chain to; during a CA rotation the old and the new CA in one file
   * @param crl {@code VP_EVENTBUS_TLS_CRL_FILE} (optional): certificate revocation list(s) of the
   *     cluster CA, PEM or DER; a peer whose certificate is listed is refused in both directions
   *     (evicts a leaked node key without rotating the CA)
   */
  public record Pem(Path cert, Path key, Path ca, Optional<Path> crl) {}

  public EventBusTls {
    if (pem.isPresent() && plaintextOnPrivateNetwork) {
      throw new IllegalArgumentException(
          PLAINTEXT_PRIVATE_NETWORK
              + "=true contradicts "
              + CERT_FILE
              + " / "
              + KEY_FILE
              + " / "
              + CA_FILE
              + ": the event bus runs either with TLS or, on a private network, without");
    }
  }

  /** True when the event bus runs over TLS with client certificates. */
  public boolean enabled() {
    return pem.isPresent();
  }

  /**
   * Reads the five variables (always all five, see {@link ClusterSettings}); half a TLS
   * configuration is refused.
   */
  public static EventBusTls from(Map<String, String> env) {
    String cert = blankToNull(env.get(CERT_FILE));
    String key = blankToNull(env.get(KEY_FILE));
    String ca = blankToNull(env.get(CA_FILE));
    String crl = blankToNull(env.get(CRL_FILE));
    String plaintext = env.get(PLAINTEXT_PRIVATE_NETWORK);
    boolean privateNetwork =
        switch (plaintext == null ? "" : plaintext.trim().toLowerCase(Locale.ROOT)) {
          case "", "false" -> false;
          case "true" -> true;
          default ->
              throw new IllegalArgumentException(
                  PLAINTEXT_PRIVATE_NETWORK + " must be true or false, got '" + plaintext + "'");
        };
    int given = (cert == null ? 0 : 1) + (key == null ? 0 : 1) + (ca == null ? 0 : 1);
    if (given != 0 && given != 3) {
      throw new IllegalArgumentException(
          CERT_FILE
              + ", "
              + KEY_FILE
              + " and "
              + CA_FILE
              + " go together: set all three (event-bus TLS with client certificates) or none");
    }
    if (crl != null && given == 0) {
      throw new IllegalArgumentException(
          CRL_FILE
              + " needs "
              + CERT_FILE
              + ", "
              + KEY_FILE
              + " and "
              + CA_FILE
              + ": a revocation list only means something with event-bus TLS");
    }
    Optional<Pem> pem =
        given == 3
            ? Optional.of(
                new Pem(
                    Path.of(cert),
                    Path.of(key),
                    Path.of(ca),
                    Optional.ofNullable(crl).map(Path::of)))
            : Optional.empty();
    return new EventBusTls(pem, privateNetwork);
  }

  /**
   * Refuses a production cluster whose event bus would be plain text without the operator's
   * explicit private-network statement. A single process has no event bus on the network; a demo
   * instance holds no real conversations.
   *
   * @throws IllegalArgumentException naming the settings to set
   */
  public void requireFor(boolean clusterEnabled, boolean demo) {
    if (clusterEnabled && !demo && !enabled() && !plaintextOnPrivateNetwork) {
      throw new IllegalArgumentException(
          "a production cluster needs TLS on the event bus: set "
              + CERT_FILE
              + ", "
              + KEY_FILE
              + " and "
              + CA_FILE
              + " (docs/deployment.md, \"Cluster TLS\"), or, only when the cluster ports "
              + "are on a private network nothing else can reach, "
              + PLAINTEXT_PRIVATE_NETWORK
              + "=true");
    }
  }

  /**
   * Sets TLS 1.3 with the node's key and certificate, the cluster CA as the only trust anchor and
   * client certificates required, when configured; otherwise leaves {@code options} as they are.
   *
   * @throws IllegalArgumentException naming the setting whose file cannot be read
   */
  public EventBusOptions apply(EventBusOptions options) {
    if (pem.isEmpty()) {
      return options;
    }
    Pem files = pem.get();
    readable(CERT_FILE, files.cert());
    readable(KEY_FILE, files.key());
    readable(CA_FILE, files.ca());
    files
        .crl()
        .ifPresent(
            crl -> {
              readable(CRL_FILE, crl);
              // Vert.x checks both directions against it: a listed peer can neither connect here
              // nor be connected to.
              options.addCrlPath(crl.toString());
            });
    // Every node runs the same build and JVM, so the oldest protocol it needs to speak is TLS 1.3.
    options.setEnabledSecureTransportProtocols(Set.of("TLSv1.3"));
    return options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setCertPath(files.cert().toString())
                .setKeyPath(files.key().toString()))
        .setTrustOptions(new PemTrustOptions().addCertPath(files.ca().toString()))
        // EventBusOptions trusts every server certificate by default (DEFAULT_TRUST_ALL = true): a
        // node would then
        // send its notifications to any peer that joined Hazelcast. EventBusTlsIT fails without
        // this line.
        .setTrustAll(false)
        // The server side asks every connecting node for its certificate and drops the connection
        // without one.
        .setClientAuth(ClientAuth.REQUIRED);
  }

  private static void readable(String name, Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          name + " names a file that does not exist or cannot be read: " + file);
    }
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
