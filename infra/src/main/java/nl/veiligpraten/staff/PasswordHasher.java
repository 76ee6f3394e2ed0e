package nl.veiligpraten.staff;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashing with Bouncy Castle, stored in the PHC string format ({@code
 * $argon2id$v=19$m=19456,t=2,p=1$salt$hash}). Parameters follow the OWASP Password Storage Cheat
 * Sheet minimum for Argon2id (19 MiB, 2 iterations, 1 lane). Hashing takes tens of milliseconds on
 * purpose: callers run it on a worker thread, never on the event loop.
 */
public final class PasswordHasher {

  /** Memory cost in KiB. */
  public static final int MEMORY_KIB = 19_456;

  /** Iterations (time cost). */
  public static final int ITERATIONS = 2;

  /** Lanes. */
  public static final int PARALLELISM = 1;

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private PasswordHasher() {}

  /** Hashes a password with a fresh random salt. Blocking and deliberately slow. */
  public static String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
    return "$argon2id$v=19$m="
        + MEMORY_KIB
        + ",t="
        + ITERATIONS
        + ",p="
        + PARALLELISM
        + "$"
        + B64.encodeToString(salt)
        + "$"
        + B64.encodeToString(hash);
  }

  /**
   * Checks a password against a stored PHC string in constant time. False for any malformed stored
   * value.
   */
  public static boolean verify(String password, String stored) {
    try {
      String[] parts = stored.split("\\$");
      // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
      if (parts.length != 6 || !"argon2id".equals(parts[1]) || !"v=19".equals(parts[2])) {
        return false;
      }
      int m = 0;
      int t = 0;
      int p = 0;
      for (String kv : parts[3].split(",")) {
        String[] pair = kv.split("=", 2);
        int value = Integer.parseInt(pair[1]);
        switch (pair[0]) {
          case "m" -> m = value;
          case "t" -> t = value;
          case "p" -> p = value;
          default -> {
            return false;
          }
        }
      }
      byte[] salt = B64D.decode(parts[4]);
      byte[] expected = B64D.decode(parts[5]);
      byte[] actual = derive(password, salt, m, t, p, expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The parameters a stored hash was made with, e.g. {@code m=19456,t=2,p=1}. */
  public static String parametersOf(String stored) {
    String[] parts = stored.split("\\$");
    return parts.length == 6 ? parts[1] + " " + parts[3] : "unknown";
  }

  private static byte[] derive(
      String password, byte[] salt, int memoryKib, int iterations, int parallelism, int len) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[len];
    generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
