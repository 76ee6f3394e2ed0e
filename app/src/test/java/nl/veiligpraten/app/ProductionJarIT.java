package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A build check (runs after {@code package}): the benchmark harness and the test kit live in their
 * own modules and must never ship in the production jar or its {@code lib/} (issue 25: 2,336 lines
 * of harness used to).
 */
@DisplayName("The production jar and its lib directory contain no benchmark or test-kit class")
class ProductionJarIT {

  static boolean forbidden(String entry) {
    String name = entry.substring(entry.lastIndexOf('/') + 1);
    return entry.endsWith(".class")
        && (name.contains("Bench")
            || name.startsWith("BareRelay")
            || name.startsWith("IdleClient")
            || entry.startsWith("nl/veiligpraten/testkit/")
            || entry.startsWith("nl/veiligpraten/app/bench/"));
  }

  @Test
  @DisplayName(
      "no class named *Bench*, BareRelay or IdleClient and no nl.veiligpraten.testkit or app.bench class in "
          + "target/veilig-praten.jar or target/lib")
  void noBenchmarkClasses() throws IOException {
    Path target = Path.of("target");
    Path jar = target.resolve("veilig-praten.jar");
    assertTrue(
        Files.isRegularFile(jar),
        "no production jar at " + jar.toAbsolutePath() + " (run after package)");
    List<Path> jars = new ArrayList<>(List.of(jar));
    try (Stream<Path> libs = Files.list(target.resolve("lib"))) {
      libs.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
    }
    List<String> found = new ArrayList<>();
    int classes = 0;
    for (Path p : jars) {
      try (JarFile file = new JarFile(p.toFile())) {
        for (var e : java.util.Collections.list(file.entries())) {
          if (e.getName().startsWith("nl/veiligpraten/")) {
            classes++;
          }
          if (forbidden(e.getName())) {
            found.add(p.getFileName() + "!" + e.getName());
          }
        }
      }
    }
    assertTrue(
        classes > 100, "the check saw only " + classes + " of the service's classes: wrong jar?");
    assertTrue(
        found.isEmpty(), "benchmark or test-kit classes in the production artefacts: " + found);
    assertTrue(
        !jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("testkit")),
        "the test kit jar is in target/lib: " + jars);
  }
}
