package nl.veiligpraten.staff;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226): HMAC-SHA1, 30-second steps, 6 digits,
 * accepting one step of clock drift either way. Which step was used is returned so the caller can
 * refuse a step that was already used (or an older one) with a single conditional UPDATE of {@code
 * staff_user.totp_last_step}.
 */
public final class Totp {

  /** Length of a step in seconds. */
  public static final long STEP_SECONDS = 30;

  /** Steps of drift accepted on either side of the current one. */
  public static final int DRIFT_STEPS = 1;

  private static final int DIGITS = 6;
  private static final int SECRET_BYTES = 20;
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Totp() {}

  /** A new random 160-bit secret. */
  public static byte[] newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return secret;
  }

  /** The step that contains the given epoch second. */
  public static long stepAt(long epochSecond) {
    return Math.floorDiv(epochSecond, STEP_SECONDS);
  }

  /** The 6-digit code of a step (RFC 4226 dynamic truncation). */
  public static String code(byte[] secret, long step) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] counter = new byte[8];
      for (int i = 7; i >= 0; i--) {
        counter[i] = (byte) (step >>> (8 * (7 - i)));
      }
      byte[] h = mac.doFinal(counter);
      int offset = h[h.length - 1] & 0x0f;
      int binary =
          ((h[offset] & 0x7f) << 24)
              | ((h[offset + 1] & 0xff) << 16)
              | ((h[offset + 2] & 0xff) << 8)
              | (h[offset + 3] & 0xff);
      return String.format("%06d", binary % 1_000_000);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The step (within the drift window around {@code nowStep}) whose code equals {@code code}, or
   * -1. Compares in constant time per candidate; malformed codes simply do not match.
   */
  public static long matchingStep(byte[] secret, String code, long nowStep) {
    if (secret == null || code == null || !code.matches("\\d{" + DIGITS + "}")) {
      return -1;
    }
    long found = -1;
    for (long step = nowStep - DRIFT_STEPS; step <= nowStep + DRIFT_STEPS; step++) {
      if (MessageDigest.isEqual(
          code(secret, step).getBytes(StandardCharsets.US_ASCII),
          code.getBytes(StandardCharsets.US_ASCII))) {
        found = step;
      }
    }
    return found;
  }

  /** RFC 4648 base32 without padding, as authenticator apps expect. */
  public static String base32(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
    }
    return out.toString();
  }

  /** The otpauth URI an authenticator app reads from a QR code. */
  public static String otpauthUri(String issuer, String account, byte[] secret) {
    String label = enc(issuer) + ":" + enc(account);
    return "otpauth://totp/"
        + label
        + "?secret="
        + base32(secret)
        + "&issuer="
        + enc(issuer)
        + "&algorithm=SHA1&digits="
        + DIGITS
        + "&period="
        + STEP_SECONDS;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
