package nl.veiligpraten.infra.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random tokens and their one-way hashes; only hashes are stored. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** No 0/O, 1/I/L: a code a stressed person can copy from a screen without mistakes. */
  private static final char[] CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();

  private Secrets() {}

  /** 256 random bits, URL-safe base64. */
  public static String token() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** A short human code of {@code length} characters (about 4.95 bits each). */
  public static String code(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)];
    }
    return new String(out);
  }

  /** Normalises a typed code: upper case, spaces and dashes removed. */
  public static String normaliseCode(String typed) {
    return typed == null ? "" : typed.toUpperCase().replaceAll("[\\s-]", "");
  }

  /** HMAC-SHA256 of {@code data} under {@code key} (key derivation and keyed hashes of codes). */
  public static byte[] hmacSha256(byte[] key, byte[] data) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  public static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
