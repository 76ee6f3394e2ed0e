package nl.veiligpraten.staff;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;
import nl.veiligpraten.infra.web.Secrets;

/**
 * Seals staff TOTP secrets (active and pending) with AES-256-GCM under a key derived from the
 * server key in the passphrase-protected key store (issue 20, finding 6: the secrets were stored in
 * plain form, so a database dump was enough to make codes). The staff user's id is the associated
 * data, so a sealed secret copied to another account does not open. Stored form: {@code "vpt1" |
 * nonce (12) | ciphertext + tag}. A value without that prefix is a plain secret from before; {@link
 * StaffRepository#sealPlainTotpSecrets} seals those at start-up.
 */
public final class TotpSealer {

  /** The key store entry of the server key (the same one the resume-code HMAC derives from). */
  public static final String SERVER_KEY_OWNER = "vp-server";

  private static final String LABEL = "vp.totp-secret.seal.v1";
  private static final byte[] MAGIC = {'v', 'p', 't', '1'};
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;

  private TotpSealer(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
  }

  /**
   * Derives the sealing key from the server key. Blocking (the key store's KDF): call it at
   * start-up.
   */
  public static TotpSealer fromKeyStore(OrganisationKeyStore keyStore) {
    keyStore.ensureOrganisation(SERVER_KEY_OWNER);
    SecretKey server =
        keyStore
            .key(keyStore.currentKeyId(SERVER_KEY_OWNER))
            .orElseThrow(() -> new IllegalStateException("server key missing from the key store"));
    return new TotpSealer(
        Secrets.hmacSha256(server.getEncoded(), LABEL.getBytes(StandardCharsets.UTF_8)));
  }

  /** For tests of other modules: a sealer with a random key. */
  public static TotpSealer random() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return new TotpSealer(key);
  }

  /** True when the stored value is in the sealed form. */
  public static boolean isSealed(byte[] stored) {
    return stored != null
        && stored.length > MAGIC.length + NONCE_BYTES + TAG_BITS / 8
        && Arrays.equals(stored, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  public byte[] seal(long userId, byte[] secret) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(userId));
      byte[] sealed = cipher.doFinal(secret);
      return ByteBuffer.allocate(MAGIC.length + NONCE_BYTES + sealed.length)
          .put(MAGIC)
          .put(nonce)
          .put(sealed)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM sealing failed", e);
    }
  }

  /**
   * The plain secret of a stored value; a plain value from before sealing is returned as it is
   * (until the start-up migration sealed it). Fails when the value does not open under this key and
   * user id.
   */
  public byte[] open(long userId, byte[] stored) {
    if (!isSealed(stored)) {
      return stored;
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE,
          key,
          new GCMParameterSpec(TAG_BITS, stored, MAGIC.length, NONCE_BYTES));
      cipher.updateAAD(aad(userId));
      return cipher.doFinal(
          stored, MAGIC.length + NONCE_BYTES, stored.length - MAGIC.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "a sealed TOTP secret did not open (other key or other account)", e);
    }
  }

  private static byte[] aad(long userId) {
    return ("vp.totp|" + userId).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TotpSealer[key hidden]";
  }
}
