package nl.veiligpraten.infra.crypto;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens individual transcript messages with the conversation's {@link DataKey}.
 *
 * <p><b>Algorithm:</b> AES-256-GCM, random 96-bit nonce per message, 128-bit tag, implemented with
 * the JDK's {@code AES/GCM/NoPadding} (SunJCE), whose AES and GHASH run on the CPU's AES-NI and
 * carry-less multiply instructions. It replaced Bouncy Castle's lightweight GCM (same standard
 * format, so stored messages open either way): re-keyed for every message, BC built its GHASH
 * tables in Java each time and sealing cost about twice as much, a visible share of the gateway's
 * CPU at saturation. Bouncy Castle stays for key wrapping (GCM-SIV) and password hashing. Random
 * nonces are safe here because each data key seals only one conversation's messages – many orders
 * of magnitude below the 2<sup>32</sup>-messages-per-key bound for random GCM nonces.
 *
 * <p><b>Sealed format</b> (version 1, 29 bytes overhead):
 *
 * <pre>
 *   0x01 (format version) || nonce (12 bytes) || ciphertext (= plaintext length) || tag (16 bytes)
 * </pre>
 *
 * <b>Associated data:</b> the canonical encoding of {@link MessageAad} together with the format
 * version byte, so conversation id, sequence number, sender and version are all authenticated. Any
 * change to the sealed bytes or the AAD makes {@link #open} throw {@link CryptoException} with the
 * message {@value #DECRYPTION_FAILED}; there is no plaintext fallback and no partially decrypted
 * output.
 *
 * <p><b>Threading:</b> one JCE cipher per thread ({@link ThreadLocal}), re-initialised for every
 * message (a provider lookup per message would cost more than the encryption). No locking; all
 * instances share one process-wide {@link java.security.SecureRandom}. The class itself is
 * stateless and thread-safe. Note that the last-used AES key schedule stays in the thread's cipher
 * until its next use; that's the price of pooling and is no worse than the {@link DataKey} being in
 * the heap. When opening, the JDK releases no plaintext before the tag has been verified.
 */
public final class TranscriptCipher {

  /** Current sealed-message format version (first byte of every sealed message). */
  public static final byte FORMAT_V1 = 0x01;

  /** Nonce length in bytes. */
  public static final int NONCE_BYTES = 12;

  /** Authentication tag length in bytes. */
  public static final int TAG_BYTES = 16;

  /** Bytes added to each plaintext: version + nonce + tag. */
  public static final int OVERHEAD_BYTES = 1 + NONCE_BYTES + TAG_BYTES;

  /**
   * The one message every open() failure carries, so callers and logs can't distinguish failure
   * causes.
   */
  public static final String DECRYPTION_FAILED = "transcript message could not be decrypted";

  private static final int HEADER_BYTES = 1 + NONCE_BYTES;

  // Static: one cipher per thread for the whole process, not per TranscriptCipher instance.
  private static final ThreadLocal<Cipher> CIPHER =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", e);
            }
          });

  /** Creates a cipher facade; instances are stateless and may be shared freely. */
  public TranscriptCipher() {}

  /**
   * Encrypts and authenticates one message.
   *
   * @param key the conversation's data key
   * @param aad conversation/position/sender the message is bound to
   * @param plaintext message bytes (e.g. UTF-8 text); not modified
   * @return sealed message in the format described above
   * @throws IllegalArgumentException if {@code aad} names a different conversation than {@code key}
   *     (a programming error that would make the message unreadable)
   * @throws IllegalStateException if {@code key} has been destroyed
   */
  public byte[] seal(DataKey key, MessageAad aad, byte[] plaintext) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(aad, "aad");
    Objects.requireNonNull(plaintext, "plaintext");
    if (!key.conversationId().equals(aad.conversationId())) {
      throw new IllegalArgumentException(
          "data key of conversation "
              + key.conversationId()
              + " used to seal a message of conversation "
              + aad.conversationId());
    }
    byte[] out = new byte[OVERHEAD_BYTES + plaintext.length];
    out[0] = FORMAT_V1;
    byte[] nonce = CryptoSupport.randomBytes(NONCE_BYTES);
    System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);

    Cipher cipher = threadCipher();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, aesKey(key), new GCMParameterSpec(TAG_BYTES * 8, nonce));
      cipher.updateAAD(aad.encode(FORMAT_V1));
      int n = cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER_BYTES);
      if (HEADER_BYTES + n != out.length) {
        throw new IllegalStateException("unexpected sealed length");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed unexpectedly", e);
    }
    return out;
  }

  /**
   * Verifies and decrypts one sealed message.
   *
   * @param key the conversation's data key
   * @param aad exactly the values used when sealing
   * @param sealed output of {@link #seal}
   * @return the plaintext
   * @throws CryptoException ({@value #DECRYPTION_FAILED}) if the sealed bytes are truncated, have
   *     an unknown version, or fail authentication (wrong key, tampered ciphertext, nonce, tag or
   *     AAD)
   * @throws IllegalStateException if {@code key} has been destroyed
   */
  public byte[] open(DataKey key, MessageAad aad, byte[] sealed) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(aad, "aad");
    Objects.requireNonNull(sealed, "sealed");
    if (sealed.length < OVERHEAD_BYTES || sealed[0] != FORMAT_V1) {
      throw new CryptoException(DECRYPTION_FAILED);
    }
    int ctLen = sealed.length - HEADER_BYTES;

    Cipher cipher = threadCipher();
    try {
      // The nonce is read in place from the sealed bytes (no copy).
      cipher.init(
          Cipher.DECRYPT_MODE,
          aesKey(key),
          new GCMParameterSpec(TAG_BYTES * 8, sealed, 1, NONCE_BYTES));
      cipher.updateAAD(aad.encode(sealed[0]));
      byte[] plaintext = cipher.doFinal(sealed, HEADER_BYTES, ctLen);
      if (plaintext.length != ctLen - TAG_BYTES) {
        throw new CryptoException(DECRYPTION_FAILED);
      }
      return plaintext;
    } catch (GeneralSecurityException e) {
      // AEADBadTagException (wrong key, tampering) among them: one message for every cause.
      throw new CryptoException(DECRYPTION_FAILED, e);
    }
  }

  /**
   * This thread's cipher; package-private so tests can check it's one instance per thread, not per
   * message.
   */
  static Cipher threadCipher() {
    return CIPHER.get();
  }

  private static SecretKeySpec aesKey(DataKey key) {
    return new SecretKeySpec(key.material(), "AES");
  }
}
