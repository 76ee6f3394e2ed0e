package nl.veiligpraten.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import nl.veiligpraten.infra.abuse.AddressHasher;
import nl.veiligpraten.infra.abuse.KeyedLimiter;
import nl.veiligpraten.infra.abuse.Limit;
import nl.veiligpraten.infra.metrics.NodeMetrics;
import nl.veiligpraten.infra.web.CodeHasher;
import nl.veiligpraten.infra.web.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budgets for resume-code attempts (issue 20, finding 2): codes are short enough to write down, so
 * they can be guessed unless attempts are scarce. Every attempt with a code, by {@code hello} or by
 * the quick-exit beacon, takes a token from the caller's network address and from the node before
 * the database is asked; without a token the answer is {@code rate_limited}, also for a correct
 * code, so a guesser learns nothing more. A socket may fail {@link #perConnection()} times (codes
 * or tokens) before it is closed. Resume tokens (256 random bits) are not budgeted per address:
 * guessing them is hopeless, and a visitor's reconnects must never be refused.
 *
 * <p>Addresses are counted by {@link AddressHasher} (a keyed hash with a key that lives in memory
 * only and rotates at least hourly; IPv6 by its /64 prefix, which one household or phone holds).
 * Failures are counted in {@code vp_resume_failures_total{channel,reason}} and logged without any
 * address, at most once per ten seconds. Thread-safe: shared by every visitor event loop.
 */
public final class ResumeGuard {

  private static final Logger LOG = LoggerFactory.getLogger(ResumeGuard.class);

  /** Length of new resume codes: 12 characters of a 31-symbol alphabet, about 59 bits. */
  public static final int CODE_LENGTH = 12;

  /**
   * Length of message codes (issue 19): 16 characters, about 79 bits, harder to guess than a resume
   * code. They are looked up by the same keyed hash and under the same attempt budgets (a message
   * code is typed into the same resume form and sent as {@code hello.resumeCode}).
   */
  public static final int MESSAGE_CODE_LENGTH = 16;

  /**
   * Codes handed out before issue 20 (hashed with plain SHA-256); still accepted, under the same
   * budgets.
   */
  static final int LEGACY_CODE_LENGTH = 8;

  /**
   * @param perConnection failed resume attempts (code or token) a socket may make before it is
   *     closed
   * @param perAddress code attempts per network address
   * @param global code attempts per node
   * @param keyRotation lifetime of the address-hash key (at most an hour)
   */
  public record Budgets(int perConnection, Limit perAddress, Limit global, Duration keyRotation) {
    /**
     * The documented defaults (docs/security.md): 5 per socket, 10 per minute per address, 300 per
     * minute per node.
     */
    public static final Budgets DEFAULT =
        new Budgets(
            5,
            new Limit(10, Duration.ofMinutes(1)),
            new Limit(300, Duration.ofMinutes(1)),
            Duration.ofHours(1));
  }

  private final CodeHasher codes;
  private final Budgets budgets;
  private final AddressHasher addresses;
  private final KeyedLimiter limiter;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong lastLog =
      new AtomicLong(System.nanoTime() - Duration.ofMinutes(1).toNanos());

  public ResumeGuard(CodeHasher codes, Budgets budgets) {
    this.codes = codes;
    this.budgets = budgets;
    this.addresses = new AddressHasher(Clock.systemUTC(), budgets.keyRotation());
    this.limiter = new KeyedLimiter(budgets.perAddress(), budgets.global());
  }

  int perConnection() {
    return budgets.perConnection();
  }

  /**
   * Takes one code attempt for this address and the node; false means "refuse without looking it
   * up".
   */
  boolean admitCode(Vertx vertx, SocketAddress remote, String channel) {
    KeyedLimiter.Verdict verdict = limiter.tryAcquire(addresses.hash(addressKey(remote)));
    if (verdict.allowed()) {
      return true;
    }
    failed(
        vertx,
        channel,
        verdict == KeyedLimiter.Verdict.GLOBAL_LIMIT ? "global_limit" : "address_limit");
    return false;
  }

  /**
   * Counts and (sparingly) logs a refused or unknown resume attempt. Never logs the address or the
   * code.
   */
  void failed(Vertx vertx, String channel, String reason) {
    long total = failures.incrementAndGet();
    NodeMetrics.of(vertx)
        .ifPresent(
            m ->
                m.registry()
                    .counter("vp_resume_failures_total", "channel", channel, "reason", reason)
                    .increment());
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last > Duration.ofSeconds(10).toNanos() && lastLog.compareAndSet(last, now)) {
      LOG.warn(
          "resume attempt refused ({}, {}); {} failed resume attempts on this node since start",
          channel,
          reason,
          total);
    }
  }

  /** The stored hash of a new code. */
  byte[] codeHash(String code) {
    return codes.hash(Secrets.normaliseCode(code));
  }

  /**
   * The hash to look a typed code up by: keyed for current codes, plain SHA-256 for legacy
   * 8-character ones.
   */
  byte[] lookupHash(String typed) {
    String normalised = Secrets.normaliseCode(typed);
    return normalised.length() == LEGACY_CODE_LENGTH
        ? Secrets.sha256(normalised)
        : codes.hash(normalised);
  }

  /**
   * What the budget counts: the IPv4 address, or the /64 prefix of an IPv6 address. Never stored.
   */
  static String addressKey(SocketAddress remote) {
    if (remote == null || remote.hostAddress() == null) {
      return "unknown";
    }
    String host = remote.hostAddress();
    if (host.indexOf(':') < 0) {
      return host;
    }
    try {
      byte[] bytes = java.net.InetAddress.getByName(host).getAddress();
      if (bytes.length == 16) {
        return "v6:" + java.util.HexFormat.of().formatHex(bytes, 0, 8);
      }
    } catch (java.net.UnknownHostException e) {
      // A literal address never needs a lookup; fall through to the text.
    }
    return host;
  }
}
