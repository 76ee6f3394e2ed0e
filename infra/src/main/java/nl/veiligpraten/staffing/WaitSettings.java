package nl.veiligpraten.staffing;

import java.util.Map;
import nl.veiligpraten.infra.settings.EnvValues;

/**
 * How waits are estimated. Read once at start-up.
 *
 * @param minSamples {@code VP_WAIT_MIN_SAMPLES}: recent finished chats an organisation needs before
 *     a handling-time based estimate is shown (default 5); fewer gives {@code null}
 * @param windowSeconds {@code VP_WAIT_WINDOW_MINUTES} × 60: only chats closed this recently count
 *     (default 4 h)
 * @param samples at most this many of the most recent chats per organisation count (50)
 * @param maxSeconds estimates beyond this are not shown (2 h)
 * @param snapshotMillis how old a node's staffing view may be when a frame is built (1 s)
 */
public record WaitSettings(
    int minSamples, long windowSeconds, int samples, int maxSeconds, long snapshotMillis) {

  public static WaitSettings defaults() {
    return from(Map.of());
  }

  public static WaitSettings from(Map<String, String> env) {
    return new WaitSettings(
        EnvValues.wholeNumber(env, "VP_WAIT_MIN_SAMPLES", 5, 1, 1000),
        EnvValues.wholeNumber(env, "VP_WAIT_WINDOW_MINUTES", 240, 1, 7 * 24 * 60) * 60L,
        50,
        7200,
        1000);
  }

  /** The same settings with another minimum number of samples (tests). */
  public WaitSettings withMinSamples(int n) {
    return new WaitSettings(n, windowSeconds, samples, maxSeconds, snapshotMillis);
  }
}
