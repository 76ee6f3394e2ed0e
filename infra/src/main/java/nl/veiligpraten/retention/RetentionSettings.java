package nl.veiligpraten.retention;

import java.time.Duration;

/**
 * Tuning of the retention job.
 *
 * @param interval how often every node runs the job
 * @param firstRun delay of the first run after start-up
 * @param kekEpoch lifetime of one organisation KEK version as the current one; after it the job
 *     rotates. Bounds how long past its retention an expired transcript stays decryptable from an
 *     old database dump (see docs/privacy.md)
 * @param kekGrace time between superseding a KEK version and destroying it: a wrap that took the
 *     old version just before the rotation has committed its row by then, and every node has
 *     re-read the shared key store (bus notice at once, periodic re-read every interval); keep it
 *     above {@code interval}
 * @param batch rows per statement, so one run never holds huge locks
 */
public record RetentionSettings(
    Duration interval, Duration firstRun, Duration kekEpoch, Duration kekGrace, int batch) {

  public static final RetentionSettings DEFAULT =
      new RetentionSettings(
          Duration.ofHours(1),
          Duration.ofSeconds(30),
          Duration.ofDays(7),
          Duration.ofHours(3),
          1000);

  public RetentionSettings {
    if (interval.isNegative()
        || interval.isZero()
        || kekEpoch.isNegative()
        || kekEpoch.isZero()
        || kekGrace.isNegative()
        || firstRun.isNegative()
        || batch < 1) {
      throw new IllegalArgumentException("retention settings must be positive");
    }
  }
}
