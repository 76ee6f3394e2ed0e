package nl.veiligpraten.infra.web;

import java.nio.charset.StandardCharsets;
import javax.crypto.SecretKey;
import nl.veiligpraten.infra.crypto.OrganisationKeyStore;

/**
 * Keyed hash (HMAC-SHA256) of the short codes a visitor may write down (resume codes). The database
 * holds only these hashes; the key is derived from a server key kept in the passphrase-protected
 * organisation key store, not in the database, so a stolen dump cannot be searched offline by
 * trying every code (issue 20, finding 2: the codes were stored as unsalted SHA-256, and 8
 * characters are only 40 bits).
 */
public final class CodeHasher {

  /**
   * The key store entry that holds the server key ({@code vp-server#v1}); never rotated by
   * retention.
   */
  public static final String SERVER_KEY_OWNER = "vp-server";

  private static final String LABEL = "vp.resume-code.hmac.v1";

  private final byte[] key;

  private CodeHasher(byte[] key) {
    this.key = key;
  }

  /**
   * Derives the code key from the server key in the store, creating and saving that key on first
   * use. Blocking (the key store runs a slow KDF and writes its file): call it on a worker thread
   * at start-up.
   */
  public static CodeHasher fromKeyStore(OrganisationKeyStore keyStore) {
    keyStore.ensureOrganisation(SERVER_KEY_OWNER);
    SecretKey server =
        keyStore
            .key(keyStore.currentKeyId(SERVER_KEY_OWNER))
            .orElseThrow(() -> new IllegalStateException("server key missing from the key store"));
    return new CodeHasher(
        Secrets.hmacSha256(server.getEncoded(), LABEL.getBytes(StandardCharsets.UTF_8)));
  }

  /** For tests of other modules: a hasher with a random key. */
  public static CodeHasher random() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return new CodeHasher(key);
  }

  /** The stored form of a (normalised) code. */
  public byte[] hash(String normalisedCode) {
    return Secrets.hmacSha256(key, normalisedCode.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "CodeHasher[key hidden]";
  }
}
