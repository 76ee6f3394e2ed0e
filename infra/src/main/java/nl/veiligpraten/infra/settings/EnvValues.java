package nl.veiligpraten.infra.settings;

import java.util.Map;

/**
 * Reads one setting from the environment for the settings records ({@code AppSettings}, {@code
 * SecuritySettings}, {@code ListenerLimits}, {@code ClusterSettings}, ...), so every setting
 * refuses a bad value with the same clear message at start-up instead of each record carrying its
 * own copy of the parser.
 */
public final class EnvValues {

  private EnvValues() {}

  /**
   * The whole number in {@code env[name]}, or {@code fallback} when it is absent or blank.
   *
   * @throws IllegalArgumentException naming the setting when the value is not a whole number from
   *     {@code min} to {@code max}
   */
  public static int wholeNumber(
      Map<String, String> env, String name, int fallback, int min, int max) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > max) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }
  }
}
