package nl.veiligpraten.infra.crypto;

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/**
 * Rough micro-benchmark (not a test, not JMH): cost of {@link TranscriptCipher#seal} + {@link
 * TranscriptCipher#open} for a 200-byte chat message, compared with a plain copy baseline that
 * allocates and copies the same bytes twice (the same allocation pattern as seal + open, minus the
 * crypto).
 *
 * <p>Run: {@code ./bench crypto [iterations]}. Numbers are indicative only (JIT, GC and CPU
 * frequency all interfere); the point is the order of magnitude of the per-message cost, which
 * should stay in the microseconds.
 */
public final class CryptoBench {

  private static final int MESSAGE_BYTES = 200;

  private CryptoBench() {}

  /**
   * @param args optional: number of measured iterations (default 200,000)
   */
  public static void main(String[] args) {
    int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    UUID conversation = UUID.randomUUID();
    DataKey key = DataKey.generate(conversation);
    MessageAad aad = new MessageAad(conversation, 42, "visitor");
    byte[] message = CryptoSupport.randomBytes(MESSAGE_BYTES);
    TranscriptCipher cipher = new TranscriptCipher();

    // Warm-up so both loops are JIT-compiled before measuring.
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      sink += crypto(cipher, key, aad, message, iterations / 4);
      sink += copy(message, iterations / 4);
    }

    long t0 = System.nanoTime();
    sink += crypto(cipher, key, aad, message, iterations);
    long cryptoNanos = System.nanoTime() - t0;

    t0 = System.nanoTime();
    sink += copy(message, iterations);
    long copyNanos = System.nanoTime() - t0;

    double cryptoPerMsg = (double) cryptoNanos / iterations;
    double copyPerMsg = (double) copyNanos / iterations;
    System.out.printf(
        Locale.ROOT, "messages:            %,d × %d bytes%n", iterations, MESSAGE_BYTES);
    System.out.printf(
        Locale.ROOT,
        "seal+open (AES-GCM): %10.1f ns/message (%,.0f messages/s on one thread)%n",
        cryptoPerMsg,
        1e9 / cryptoPerMsg);
    System.out.printf(Locale.ROOT, "plain copy baseline: %10.1f ns/message%n", copyPerMsg);
    System.out.printf(Locale.ROOT, "ratio:               %10.1f ×%n", cryptoPerMsg / copyPerMsg);
    System.out.println("(ignore) " + sink);
    key.destroy();
  }

  private static long crypto(
      TranscriptCipher cipher, DataKey key, MessageAad aad, byte[] message, int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      byte[] sealed = cipher.seal(key, aad, message);
      byte[] opened = cipher.open(key, aad, sealed);
      sink += opened[i % MESSAGE_BYTES] + sealed.length;
    }
    return sink;
  }

  private static long copy(byte[] message, int n) {
    long sink = 0;
    for (int i = 0; i < n; i++) {
      byte[] a = Arrays.copyOf(message, message.length + TranscriptCipher.OVERHEAD_BYTES);
      byte[] b = Arrays.copyOf(a, MESSAGE_BYTES);
      sink += b[i % MESSAGE_BYTES] + a.length;
    }
    return sink;
  }
}
