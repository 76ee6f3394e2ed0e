package nl.veiligpraten.staff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TOTP (RFC 6238, HMAC-SHA1, 30 s, 6 digits)")
class TotpTest {

  private static final byte[] RFC_SECRET =
      "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  @DisplayName("codes match the RFC 6238 SHA-1 test vectors (last six digits)")
  void rfcVectors() {
    assertEquals("287082", Totp.code(RFC_SECRET, Totp.stepAt(59)));
    assertEquals("081804", Totp.code(RFC_SECRET, Totp.stepAt(1111111109)));
    assertEquals("050471", Totp.code(RFC_SECRET, Totp.stepAt(1111111111)));
    assertEquals("005924", Totp.code(RFC_SECRET, Totp.stepAt(1234567890)));
    assertEquals("279037", Totp.code(RFC_SECRET, Totp.stepAt(2000000000)));
  }

  @Test
  @DisplayName(
      "a code matches its own step and one step of drift either way, and nothing older or newer")
  void driftWindow() {
    byte[] secret = Totp.newSecret();
    long now = 1_000_000;
    assertEquals(now, Totp.matchingStep(secret, Totp.code(secret, now), now));
    assertEquals(now - 1, Totp.matchingStep(secret, Totp.code(secret, now - 1), now));
    assertEquals(now + 1, Totp.matchingStep(secret, Totp.code(secret, now + 1), now));
    // Stale (two steps old) and early codes are refused, unless they happen to collide with a
    // window code.
    String stale = Totp.code(secret, now - 2);
    if (!stale.equals(Totp.code(secret, now))
        && !stale.equals(Totp.code(secret, now - 1))
        && !stale.equals(Totp.code(secret, now + 1))) {
      assertEquals(-1, Totp.matchingStep(secret, stale, now));
    }
    assertEquals(-1, Totp.matchingStep(secret, "12345", now));
    assertEquals(-1, Totp.matchingStep(secret, "abcdef", now));
    assertEquals(-1, Totp.matchingStep(null, "123456", now));
  }

  @Test
  @DisplayName("base32 and otpauth URI are what authenticator apps expect")
  void enrolmentFormat() {
    assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(RFC_SECRET));
    String uri = Totp.otpauthUri("Veilig Praten", "csg-demo", RFC_SECRET);
    assertTrue(
        uri.startsWith(
            "otpauth://totp/Veilig%20Praten:csg-demo?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
        uri);
    assertTrue(
        uri.contains("period=30") && uri.contains("digits=6") && uri.contains("algorithm=SHA1"),
        uri);
  }
}
