package nl.veiligpraten.infra.crypto;

import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Seals and opens individual transcript messages with the conversation's {@link DataKey}.
 *
 * <p><b>Algorithm:</b> AES-256-GCM, random 96-bit nonce per message, 128-bit tag, implemented with the
 * Bouncy Castle lightweight API ({@link GCMBlockCipher#newInstance} over {@link AESEngine#newInstance}).
 * The lightweight API is used instead of {@code javax.crypto.Cipher} with the BC provider because it needs
 * no provider registration, has no JCE "GCM IV reuse" state to work around, and is cheaper to re-key per
 * message. Random nonces are safe here because each data key seals only one conversation's messages – many
 * orders of magnitude below the 2<sup>32</sup>-messages-per-key bound for random GCM nonces.
 *
 * <p><b>Sealed format</b> (version 1, 29 bytes overhead):
 * <pre>
 *   0x01 (format version) || nonce (12 bytes) || ciphertext (= plaintext length) || tag (16 bytes)
 * </pre>
 * <b>Associated data:</b> the canonical encoding of {@link MessageAad} together with the format version
 * byte, so conversation id, sequence number, sender and version are all authenticated. Any change to the
 * sealed bytes or the AAD makes {@link #open} throw {@link CryptoException} with the message
 * {@value #DECRYPTION_FAILED}; there is no plaintext fallback and no partially decrypted output.
 *
 * <p><b>Threading:</b> one BC GCM cipher per thread ({@link ThreadLocal}), re-initialised for every message.
 * This avoids allocating GCM multiplication tables per message and needs no locking; all instances share
 * one process-wide {@link java.security.SecureRandom}. The class itself is stateless and thread-safe.
 * Note that the last-used AES key schedule stays in the thread's cipher until its next use; that's the
 * price of pooling and is no worse than the {@link DataKey} being in the heap.
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
    /** The one message every open() failure carries, so callers and logs can't distinguish failure causes. */
    public static final String DECRYPTION_FAILED = "transcript message could not be decrypted";

    private static final int HEADER_BYTES = 1 + NONCE_BYTES;

    // Static: one cipher per thread for the whole process, not per TranscriptCipher instance.
    private static final ThreadLocal<GCMModeCipher> CIPHER =
            ThreadLocal.withInitial(() -> GCMBlockCipher.newInstance(AESEngine.newInstance()));

    /** Creates a cipher facade; instances are stateless and may be shared freely. */
    public TranscriptCipher() {
    }

    /**
     * Encrypts and authenticates one message.
     *
     * @param key       the conversation's data key
     * @param aad       conversation/position/sender the message is bound to
     * @param plaintext message bytes (e.g. UTF-8 text); not modified
     * @return sealed message in the format described above
     * @throws IllegalArgumentException if {@code aad} names a different conversation than {@code key}
     *                                  (a programming error that would make the message unreadable)
     * @throws IllegalStateException    if {@code key} has been destroyed
     */
    public byte[] seal(DataKey key, MessageAad aad, byte[] plaintext) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(plaintext, "plaintext");
        if (!key.conversationId().equals(aad.conversationId())) {
            throw new IllegalArgumentException("data key of conversation " + key.conversationId()
                    + " used to seal a message of conversation " + aad.conversationId());
        }
        byte[] out = new byte[OVERHEAD_BYTES + plaintext.length];
        out[0] = FORMAT_V1;
        byte[] nonce = CryptoSupport.randomBytes(NONCE_BYTES);
        System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);

        GCMModeCipher cipher = threadCipher();
        cipher.init(true, params(key, nonce, aad.encode(FORMAT_V1)));
        try {
            int n = cipher.processBytes(plaintext, 0, plaintext.length, out, HEADER_BYTES);
            n += cipher.doFinal(out, HEADER_BYTES + n);
            if (HEADER_BYTES + n != out.length) {
                throw new IllegalStateException("unexpected sealed length");
            }
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("AES-GCM encryption failed unexpectedly", e);
        }
        return out;
    }

    /**
     * Verifies and decrypts one sealed message.
     *
     * @param key    the conversation's data key
     * @param aad    exactly the values used when sealing
     * @param sealed output of {@link #seal}
     * @return the plaintext
     * @throws CryptoException       ({@value #DECRYPTION_FAILED}) if the sealed bytes are truncated, have an
     *                               unknown version, or fail authentication (wrong key, tampered ciphertext,
     *                               nonce, tag or AAD)
     * @throws IllegalStateException if {@code key} has been destroyed
     */
    public byte[] open(DataKey key, MessageAad aad, byte[] sealed) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(aad, "aad");
        Objects.requireNonNull(sealed, "sealed");
        if (sealed.length < OVERHEAD_BYTES || sealed[0] != FORMAT_V1) {
            throw new CryptoException(DECRYPTION_FAILED);
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, HEADER_BYTES);
        int ctLen = sealed.length - HEADER_BYTES;

        GCMModeCipher cipher = threadCipher();
        cipher.init(false, params(key, nonce, aad.encode(sealed[0])));
        byte[] plaintext = new byte[ctLen - TAG_BYTES];
        try {
            int n = cipher.processBytes(sealed, HEADER_BYTES, ctLen, plaintext, 0);
            n += cipher.doFinal(plaintext, n);
            if (n != plaintext.length) {
                throw new CryptoException(DECRYPTION_FAILED);
            }
            return plaintext;
        } catch (InvalidCipherTextException e) {
            // BC may already have written unauthenticated plaintext into the buffer: wipe it, never return it.
            Arrays.fill(plaintext, (byte) 0);
            throw new CryptoException(DECRYPTION_FAILED, e);
        }
    }

    /** This thread's cipher; package-private so tests can check it's one instance per thread, not per message. */
    static GCMModeCipher threadCipher() {
        return CIPHER.get();
    }

    private static AEADParameters params(DataKey key, byte[] nonce, byte[] aad) {
        return new AEADParameters(new KeyParameter(key.material()), TAG_BYTES * 8, nonce, aad);
    }
}
