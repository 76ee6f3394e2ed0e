package nl.veiligpraten.console;

import io.vertx.core.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import nl.veiligpraten.infra.abuse.AddressHasher;
import nl.veiligpraten.infra.abuse.Limit;

/**
 * Login limits that slow guessing without letting anyone lock a counselor out (issue 20, finding
 * 11). In memory only, per node; sources are counted by an in-memory keyed hash of their network
 * address (key rotated at least hourly, never stored, logged or sent over the cluster), never by
 * the address itself.
 *
 * <ul>
 *   <li><b>Per source</b>: failed logins per address hash, a token bucket ({@code
 *       VP_LOGIN_FAILURES_PER_ADDRESS}, default 30 per 15 minutes). Beyond it that source gets 429
 *       {@code throttled} without a password check.
 *   <li><b>Per source and user name</b>: after 5 failures of one user name from one source, waits
 *       from 2 s doubling up to 15 minutes, for that pair only. The same user from another source
 *       is not affected, so a known user name cannot be locked out from elsewhere (the old
 *       per-user-name delay could).
 *   <li><b>Globally</b>: failed logins per node ({@code VP_LOGIN_FAILURES_GLOBAL}, default 300 per
 *       minute) slow a spray over many addresses. While the budget is empty, sources without a
 *       successful login in the current key period get 429 {@code busy} for a few seconds; sources
 *       where someone signed in before are still let through, so an attack does not lock out the
 *       counselors who are already at work.
 * </ul>
 */
final class LoginGuard {

  /** What a login attempt may do. */
  enum Verdict {
    ALLOWED,
    SOURCE_LIMIT,
    PAIR_DELAY,
    GLOBAL_LIMIT
  }

  private static final int FREE_PAIR_FAILURES = 5;
  private static final int MAX_ENTRIES = 100_000;

  private final LoginLimits budgets;
  private final AddressHasher hasher = new AddressHasher(Clock.systemUTC(), Duration.ofHours(1));
  private final Map<String, double[]> sources = new HashMap<>();
  private final Map<String, long[]> pairs = new HashMap<>();
  private final Set<String> signedInFrom = new HashSet<>();
  private final double[] global;
  private long generation = -1;

  LoginGuard(LoginLimits budgets) {
    this.budgets = budgets;
    this.global = new double[] {budgets.global().count(), System.nanoTime()};
  }

  /**
   * The in-memory key of a source: its keyed address hash (IPv6 by /64, as the visitor limits
   * count).
   */
  synchronized String source(SocketAddress remote) {
    String host = remote == null || remote.hostAddress() == null ? "unknown" : remote.hostAddress();
    if (host.indexOf(':') >= 0) {
      try {
        byte[] bytes = java.net.InetAddress.getByName(host).getAddress();
        if (bytes.length == 16) {
          host = "v6:" + java.util.HexFormat.of().formatHex(bytes, 0, 8);
        }
      } catch (java.net.UnknownHostException e) {
        host = "unknown";
      }
    }
    AddressHasher.Hashed hashed = hasher.hash(host);
    if (hashed.generation() != generation) {
      // A new key: every count belonged to the old one and is dropped with it.
      sources.clear();
      pairs.clear();
      signedInFrom.clear();
      generation = hashed.generation();
    }
    return hashed.value();
  }

  /** Checks an attempt before the password is verified; takes nothing. */
  synchronized Verdict check(String source, String username, long[] waitMillis) {
    long now = System.nanoTime();
    double[] bucket = sources.get(source);
    if (bucket != null && refill(bucket, budgets.perAddress(), now) < 1) {
      waitMillis[0] = millisToNextToken(bucket, budgets.perAddress());
      return Verdict.SOURCE_LIMIT;
    }
    long[] pair = pairs.get(source + "|" + username);
    if (pair != null && pair[1] > System.currentTimeMillis()) {
      waitMillis[0] = pair[1] - System.currentTimeMillis();
      return Verdict.PAIR_DELAY;
    }
    if (refill(global, budgets.global(), now) < 1 && !signedInFrom.contains(source)) {
      waitMillis[0] = millisToNextToken(global, budgets.global());
      return Verdict.GLOBAL_LIMIT;
    }
    return Verdict.ALLOWED;
  }

  /**
   * A failed password or code: one token from the source and from the node, and the pair's delay
   * grows.
   */
  synchronized void failed(String source, String username) {
    long now = System.nanoTime();
    if (sources.size() > MAX_ENTRIES || pairs.size() > MAX_ENTRIES) {
      sources.clear();
      pairs.clear();
    }
    double[] bucket =
        sources.computeIfAbsent(source, k -> new double[] {budgets.perAddress().count(), now});
    refill(bucket, budgets.perAddress(), now);
    bucket[0] = Math.max(0, bucket[0] - 1);
    refill(global, budgets.global(), now);
    global[0] = Math.max(0, global[0] - 1);
    pairs.compute(
        source + "|" + username,
        (k, v) -> {
          long count = v == null ? 1 : v[0] + 1;
          long delay =
              count <= FREE_PAIR_FAILURES
                  ? 0
                  : Math.min(15 * 60_000L, 1000L << Math.min(20, count - FREE_PAIR_FAILURES));
          return new long[] {count, System.currentTimeMillis() + delay};
        });
  }

  /**
   * A successful sign-in: the pair starts over, and the source counts as known while the key lasts.
   */
  synchronized void succeeded(String source, String username) {
    pairs.remove(source + "|" + username);
    if (signedInFrom.size() < MAX_ENTRIES) {
      signedInFrom.add(source);
    }
  }

  private static double refill(double[] bucket, Limit limit, long now) {
    double perNano = (double) limit.count() / limit.period().toNanos();
    bucket[0] = Math.min(limit.count(), bucket[0] + (now - (long) bucket[1]) * perNano);
    bucket[1] = now;
    return bucket[0];
  }

  private static long millisToNextToken(double[] bucket, Limit limit) {
    double missing = 1 - bucket[0];
    return Math.max(1000, (long) Math.ceil(missing * limit.period().toMillis() / limit.count()));
  }
}
