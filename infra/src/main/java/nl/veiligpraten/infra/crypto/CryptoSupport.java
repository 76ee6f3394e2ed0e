package nl.veiligpraten.infra.crypto;

import java.security.Provider;
import java.security.SecureRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Process-wide crypto singletons shared by this package.
 *
 * <p>The Bouncy Castle provider is used as an explicit instance and is deliberately <em>not</em>
 * registered with {@link java.security.Security#addProvider}: registering it globally would change
 * algorithm resolution for every other library in the JVM (TLS, JDBC drivers, Hazelcast), which is
 * not this package's call to make.
 *
 * <p>One {@link SecureRandom} is shared: it is thread-safe, seeding is expensive, and per-thread
 * instances would buy nothing measurable at chat message rates.
 */
final class CryptoSupport {

  /** Bouncy Castle JCA provider, used for the BCFKS key store. */
  static final Provider BC = new BouncyCastleProvider();

  /** Shared CSPRNG for keys and nonces (platform default: NativePRNG / getrandom on Linux). */
  static final SecureRandom RANDOM = new SecureRandom();

  private CryptoSupport() {}

  /** Fresh random bytes from the shared CSPRNG. */
  static byte[] randomBytes(int length) {
    byte[] out = new byte[length];
    RANDOM.nextBytes(out);
    return out;
  }
}
