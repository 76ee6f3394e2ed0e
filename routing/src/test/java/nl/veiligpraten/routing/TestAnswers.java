package nl.veiligpraten.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Small helper to write answers compactly in tests: {@code map("Q1", "victim", "Q4",
 * List.of("physical"))}.
 */
final class TestAnswers {

  private TestAnswers() {}

  static Map<String, Object> map(Object... keyValues) {
    if (keyValues.length % 2 != 0) {
      throw new IllegalArgumentException("key/value pairs expected");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      m.put((String) keyValues[i], keyValues[i + 1]);
    }
    return m;
  }

  static Answers answers(Object... keyValues) {
    return Answers.parse(map(keyValues));
  }
}
