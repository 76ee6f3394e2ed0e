package nl.veiligpraten.infra.crypto;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADBlockCipher;
import org.bouncycastle.crypto.modes.GCMSIVBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Wraps conversation {@link DataKey}s under an organisation's current key-encryption key and
 * unwraps them again (envelope encryption).
 *
 * <p><b>Algorithm: AES-256-GCM-SIV (RFC 8452)</b>, Bouncy Castle lightweight {@link
 * GCMSIVBlockCipher}, with a random 96-bit nonce and a 128-bit tag. Chosen over AES-KW (RFC 3394)
 * because KW has no associated data, so it can't bind a wrapped key to its organisation and
 * conversation; and over plain AES-GCM because one KEK wraps a data key for <em>every</em>
 * conversation of an organisation for years: GCM-SIV stays secure even if a random nonce ever
 * repeated (it then only reveals that the same key was wrapped twice), whereas a GCM nonce repeat
 * under a long-lived KEK would leak the authentication key.
 *
 * <p><b>Associated data</b> (canonical, length-prefixed; see {@link CanonicalAad}): {@code
 * "vp.datakey.wrap" || formatVersion || orgId || keyId || conversationId}. Consequently a wrapped
 * key only unwraps for the organisation, KEK version and conversation it was wrapped for: copying
 * the {@code wrapped_key} column to another conversation row, relabelling its key id, or presenting
 * it to another organisation all fail authentication.
 *
 * <p><b>Format</b> of {@link WrappedKey#bytes()} (61 bytes): {@code 0x01 || nonce(12) ||
 * ciphertext(32) || tag(16)}.
 *
 * <p>A fresh cipher object is created per call: wraps happen once per conversation and unwraps once
 * per conversation load, so pooling isn't worth the shared-state risk here (unlike {@link
 * TranscriptCipher}). Thread-safe.
 */
public final class DataKeyWrapper {

  /** Current wrapped-key format version (first byte of {@link WrappedKey#bytes()}). */
  public static final byte FORMAT_V1 = 0x01;

  /** Total length of a version-1 wrapped key. */
  public static final int WRAPPED_LENGTH = 1 + 12 + DataKey.LENGTH_BYTES + 16;

  static final String DOMAIN = "vp.datakey.wrap";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String UNWRAP_FAILED = "data key could not be unwrapped";

  private final OrganisationKeyStore keyStore;

  /**
   * @param keyStore source of the organisations' KEKs
   */
  public DataKeyWrapper(OrganisationKeyStore keyStore) {
    this.keyStore = Objects.requireNonNull(keyStore, "keyStore");
  }

  /**
   * Wraps {@code dataKey} under the organisation's <em>current</em> KEK, bound to the data key's
   * conversation.
   *
   * @throws CryptoException if the organisation has no KEK (call {@link
   *     OrganisationKeyStore#ensureOrganisation} first)
   */
  public WrappedKey wrap(DataKey dataKey, String orgId) {
    Objects.requireNonNull(dataKey, "dataKey");
    KeyId.requireValidOrgId(orgId);
    KeyId keyId = keyStore.currentKeyId(orgId);
    SecretKey kek =
        keyStore
            .key(keyId)
            .orElseThrow(
                () ->
                    new CryptoException(
                        "current key-encryption key "
                            + keyId
                            + " is missing from the organisation key store"));

    byte[] nonce = CryptoSupport.randomBytes(NONCE_BYTES);
    AEADBlockCipher cipher =
        newCipher(true, kek, nonce, aad(orgId, keyId, dataKey.conversationId()));
    byte[] out = new byte[WRAPPED_LENGTH];
    out[0] = FORMAT_V1;
    System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
    int off = 1 + NONCE_BYTES;
    try {
      off += cipher.processBytes(dataKey.material(), 0, DataKey.LENGTH_BYTES, out, off);
      off += cipher.doFinal(out, off);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("GCM-SIV encryption failed unexpectedly", e);
    }
    if (off != WRAPPED_LENGTH) {
      throw new IllegalStateException("unexpected wrapped key length " + off);
    }
    return new WrappedKey(keyId.toString(), out);
  }

  /**
   * Unwraps a data key for {@code conversationId}, using the KEK version named by {@link
   * WrappedKey#keyId()} (so keys wrapped before a rotation keep working).
   *
   * @throws CryptoException if the key id is malformed or names another organisation, the KEK
   *     version is not in the key store, the bytes have an unknown format, or authentication fails
   *     (tampered bytes, wrong organisation, wrong conversation)
   */
  public DataKey unwrap(WrappedKey wrapped, String orgId, UUID conversationId) {
    Objects.requireNonNull(wrapped, "wrapped");
    KeyId.requireValidOrgId(orgId);
    Objects.requireNonNull(conversationId, "conversationId");

    KeyId keyId;
    try {
      keyId = KeyId.parse(wrapped.keyId());
    } catch (IllegalArgumentException e) {
      throw new CryptoException(UNWRAP_FAILED + ": malformed key id", e);
    }
    if (!keyId.orgId().equals(orgId)) {
      // Fast, explicit rejection; the AAD would reject it anyway (and does, if someone relabels the
      // id).
      throw new CryptoException(
          UNWRAP_FAILED
              + ": it was wrapped under "
              + keyId
              + ", which does not belong to organisation "
              + orgId);
    }
    SecretKey kek =
        keyStore
            .key(keyId)
            .orElseThrow(
                () ->
                    new CryptoException(
                        UNWRAP_FAILED
                            + ": key-encryption key "
                            + keyId
                            + " is not in the organisation key store"));

    byte[] bytes = wrapped.bytes();
    if (bytes.length != WRAPPED_LENGTH || bytes[0] != FORMAT_V1) {
      throw new CryptoException(UNWRAP_FAILED + ": unknown wrapped-key format");
    }
    byte[] nonce = Arrays.copyOfRange(bytes, 1, 1 + NONCE_BYTES);
    AEADBlockCipher cipher = newCipher(false, kek, nonce, aad(orgId, keyId, conversationId));
    int ctLen = bytes.length - 1 - NONCE_BYTES;
    byte[] material = new byte[cipher.getOutputSize(ctLen)];
    try {
      int n = cipher.processBytes(bytes, 1 + NONCE_BYTES, ctLen, material, 0);
      n += cipher.doFinal(material, n);
      if (n != DataKey.LENGTH_BYTES) {
        throw new CryptoException(UNWRAP_FAILED + ": unexpected key length");
      }
    } catch (InvalidCipherTextException e) {
      Arrays.fill(material, (byte) 0);
      throw new CryptoException(
          UNWRAP_FAILED
              + ": authentication failed (wrong organisation key or"
              + " conversation, or the wrapped key was modified)",
          e);
    }
    return DataKey.ofOwned(conversationId, material);
  }

  static byte[] aad(String orgId, KeyId keyId, UUID conversationId) {
    return CanonicalAad.domain(DOMAIN)
        .uint8(FORMAT_V1)
        .string(orgId)
        .string(keyId.toString())
        .uuid(conversationId)
        .toByteArray();
  }

  private static AEADBlockCipher newCipher(
      boolean encrypt, SecretKey kek, byte[] nonce, byte[] aad) {
    byte[] kekBytes = kek.getEncoded();
    try {
      AEADBlockCipher cipher = new GCMSIVBlockCipher(AESEngine.newInstance());
      // KeyParameter copies the bytes, so the temporary copy can be wiped right away.
      cipher.init(encrypt, new AEADParameters(new KeyParameter(kekBytes), TAG_BITS, nonce, aad));
      return cipher;
    } finally {
      Arrays.fill(kekBytes, (byte) 0);
    }
  }
}
