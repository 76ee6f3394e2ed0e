package nl.veiligpraten.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import nl.veiligpraten.infra.abuse.Limit;
import nl.veiligpraten.infra.web.CodeHasher;
import nl.veiligpraten.infra.web.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The decisions behind resume-code budgets: what an address counts as, how codes are hashed, when
 * to refuse.
 */
@DisplayName("Resume guard")
class ResumeGuardTest {

  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  static ResumeGuard guard(int perAddress, int global) {
    return new ResumeGuard(
        CodeHasher.random(),
        new ResumeGuard.Budgets(
            5,
            new Limit(perAddress, Duration.ofHours(1)),
            new Limit(global, Duration.ofHours(1)),
            Duration.ofHours(1)));
  }

  @Test
  @DisplayName(
      "an IPv4 address counts as itself; an IPv6 address as its /64, which one household or phone holds")
  void addressKey() {
    assertEquals(
        "192.0.2.7", ResumeGuard.addressKey(SocketAddress.inetSocketAddress(443, "192.0.2.7")));
    String a = ResumeGuard.addressKey(SocketAddress.inetSocketAddress(443, "2001:db8:1:2:aaaa::1"));
    String b =
        ResumeGuard.addressKey(
            SocketAddress.inetSocketAddress(443, "2001:db8:1:2:bbbb:cccc:dddd:eeee"));
    String other = ResumeGuard.addressKey(SocketAddress.inetSocketAddress(443, "2001:db8:1:3::1"));
    assertEquals("v6:20010db800010002", a);
    assertEquals(a, b, "the same /64");
    assertFalse(a.equals(other), "another /64");
    assertEquals("unknown", ResumeGuard.addressKey(null));
  }

  @Test
  @DisplayName(
      "a typed code is found however it was written down: case, spaces and dashes do not matter")
  void codeNormalised() {
    ResumeGuard guard = guard(10, 100);
    byte[] stored = guard.codeHash("ABCD2345EFGH");
    assertArrayEquals(stored, guard.lookupHash("abcd-2345-efgh"));
    assertArrayEquals(stored, guard.lookupHash(" ABCD 2345 EFGH "));
    assertFalse(java.util.Arrays.equals(stored, guard.lookupHash("ABCD2345EFGJ")));
  }

  @Test
  @DisplayName(
      "current codes are looked up by the keyed hash, codes of the old 8-character form by plain SHA-256")
  void legacyCodes() {
    ResumeGuard guard = guard(10, 100);
    assertArrayEquals(Secrets.sha256("ABCD2345"), guard.lookupHash("abcd-2345"));
    assertFalse(
        java.util.Arrays.equals(Secrets.sha256("ABCD2345EFGH"), guard.lookupHash("ABCD2345EFGH")),
        "a current code is never looked up by an unkeyed hash");
    assertEquals(12, ResumeGuard.CODE_LENGTH);
    assertEquals(16, ResumeGuard.MESSAGE_CODE_LENGTH);
  }

  @Test
  @DisplayName(
      "code attempts are budgeted per address, and another address still gets its own budget")
  void perAddressBudget() {
    ResumeGuard guard = guard(3, 100);
    SocketAddress guesser = SocketAddress.inetSocketAddress(1000, "198.51.100.1");
    for (int i = 0; i < 3; i++) {
      assertTrue(guard.admitCode(vertx, guesser, "hello"), "attempt " + (i + 1));
    }
    assertFalse(
        guard.admitCode(vertx, guesser, "hello"), "the fourth attempt from the same address");
    assertFalse(
        guard.admitCode(vertx, SocketAddress.inetSocketAddress(2000, "198.51.100.1"), "beacon"),
        "another port of the same address shares the budget");
    assertTrue(
        guard.admitCode(vertx, SocketAddress.inetSocketAddress(1000, "198.51.100.2"), "hello"));
  }

  @Test
  @DisplayName("the node-wide budget stops a guesser spread over many addresses")
  void globalBudget() {
    ResumeGuard guard = guard(10, 5);
    int admitted = 0;
    for (int i = 1; i <= 20; i++) {
      if (guard.admitCode(
          vertx, SocketAddress.inetSocketAddress(1000, "203.0.113." + i), "hello")) {
        admitted++;
      }
    }
    assertEquals(5, admitted);
    assertEquals(5, guard.perConnection());
  }
}
