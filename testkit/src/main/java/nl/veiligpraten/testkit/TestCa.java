package nl.veiligpraten.testkit;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time (no private key is committed): it issues node
 * certificates the way {@code docs/deployment.md} ("Cluster TLS") tells an operator to (EC P-256,
 * serverAuth and clientAuth) and writes the PEM files the event-bus TLS settings ({@code
 * VP_EVENTBUS_TLS_*}) read.
 */
public final class TestCa {

  /**
   * The PEM files of one node.
   *
   * @param cert its certificate ({@code VP_EVENTBUS_TLS_CERT_FILE})
   * @param key its PKCS#8 private key ({@code VP_EVENTBUS_TLS_KEY_FILE})
   * @param ca the certificates of the CAs it trusts ({@code VP_EVENTBUS_TLS_CA_FILE})
   */
  public record NodeFiles(Path cert, Path key, Path ca) {

    /** The three variables of the event-bus TLS settings for these files. */
    public java.util.Map<String, String> env() {
      return java.util.Map.of(
          "VP_EVENTBUS_TLS_CERT_FILE",
          cert.toString(),
          "VP_EVENTBUS_TLS_KEY_FILE",
          key.toString(),
          "VP_EVENTBUS_TLS_CA_FILE",
          ca.toString());
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final X500Name name;
  private final KeyPair keys;
  private final X509Certificate cert;

  private TestCa(X500Name name, KeyPair keys, X509Certificate cert) {
    this.name = name;
    this.keys = keys;
    this.cert = cert;
  }

  /** A new self-signed CA. */
  public static TestCa create(String commonName) throws Exception {
    KeyPair keys = ecKeys();
    X500Name name = new X500Name("CN=" + commonName);
    long now = System.currentTimeMillis();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                name,
                serial(),
                new Date(now - 60_000),
                new Date(now + 86_400_000L),
                name,
                keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
            .addExtension(
                Extension.subjectKeyIdentifier,
                false,
                ext.createSubjectKeyIdentifier(keys.getPublic()));
    return new TestCa(name, keys, sign(builder, keys));
  }

  /**
   * Issues a node certificate and writes {@code <node>.crt}, {@code <node>.key} and {@code
   * <node>-ca.crt} (the certificates of {@code trusted}) into {@code dir}.
   */
  public NodeFiles issue(String node, Path dir, TestCa... trusted) throws Exception {
    KeyPair nodeKeys = ecKeys();
    long now = System.currentTimeMillis();
    JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
                name,
                serial(),
                new Date(now - 60_000),
                new Date(now + 86_400_000L),
                new X500Name("CN=" + node),
                nodeKeys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(
                    new KeyPurposeId[] {
                      KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
                    }))
            .addExtension(
                Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert));
    X509Certificate nodeCert = sign(builder, keys);
    Path certFile = dir.resolve(node + ".crt");
    Path keyFile = dir.resolve(node + ".key");
    Path caFile = dir.resolve(node + "-ca.crt");
    Files.writeString(certFile, pem(nodeCert));
    Files.writeString(keyFile, pem(new JcaPKCS8Generator(nodeKeys.getPrivate(), null).generate()));
    StringBuilder cas = new StringBuilder();
    for (TestCa ca : trusted) {
      cas.append(pem(ca.cert));
    }
    Files.writeString(caFile, cas);
    return new NodeFiles(certFile, keyFile, caFile);
  }

  /**
   * Writes a PEM revocation list of this CA to {@code file} that lists the certificates of {@code
   * revoked} (the CRL an operator would give {@code VP_EVENTBUS_TLS_CRL_FILE}).
   */
  public Path crl(Path file, NodeFiles... revoked) throws Exception {
    long now = System.currentTimeMillis();
    X509v2CRLBuilder builder = new X509v2CRLBuilder(name, new Date(now - 60_000));
    builder.setNextUpdate(new Date(now + 86_400_000L));
    java.security.cert.CertificateFactory factory =
        java.security.cert.CertificateFactory.getInstance("X.509");
    for (NodeFiles node : revoked) {
      X509Certificate listed;
      try (var in = Files.newInputStream(node.cert())) {
        listed = (X509Certificate) factory.generateCertificate(in);
      }
      builder.addCRLEntry(listed.getSerialNumber(), new Date(now - 1_000), CRLReason.keyCompromise);
    }
    X509CRL crl =
        new JcaX509CRLConverter()
            .getCRL(
                builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    Files.writeString(file, pem(crl));
    return file;
  }

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(
            builder.build(
                new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate())));
  }

  private static String pem(Object object) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
    return out.toString();
  }
}
