package nl.veiligpraten.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Brief, hard rule: phone numbers, URLs, hours and age limits live in configuration only (112
 * excepted).
 */
@DisplayName("Contact data is never hard-coded")
class NoHardCodedContactDataTest {

  private static final Pattern SUSPECT =
      Pattern.compile(
          "\\b0[89]00|https?://[a-z0-9]|www\\.[a-z]|\\b\\d{2}:\\d{2}-\\d{2}:\\d{2}|\\bage(Min|Max)\\s*=\\s*\\d");

  @Test
  @DisplayName("Main Java sources contain no phone numbers, URLs, opening hours or age limits")
  void noContactDataInJava() throws IOException {
    Path src = Path.of("src/main/java");
    assertTrue(Files.isDirectory(src), "run from the module directory");
    List<String> hits;
    try (Stream<Path> files = Files.walk(src)) {
      hits =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .flatMap(
                  p -> {
                    try {
                      List<String> lines = Files.readAllLines(p);
                      return java.util.stream.IntStream.range(0, lines.size())
                          .boxed()
                          .flatMap(
                              i -> {
                                String line = lines.get(i);
                                Matcher m = SUSPECT.matcher(line);
                                return m.find()
                                        && !line.trim().startsWith("*")
                                        && !line.trim().startsWith("//")
                                    ? Stream.of(p + ":" + (i + 1) + ": " + line.trim())
                                    : Stream.empty();
                              });
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertEquals(List.of(), hits);
  }
}
