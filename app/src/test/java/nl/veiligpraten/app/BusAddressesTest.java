package nl.veiligpraten.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import nl.veiligpraten.infra.bus.Addresses;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every event-bus address is written in {@link Addresses} and nowhere else (issue 25), so a
 * producer and its consumers cannot drift apart on a spelling. A source scan, not an ArchUnit rule:
 * bytecode cannot show this (javac copies a {@code static final} address into every class that uses
 * it, and ArchUnit does not expose string constants), and importing every module's classes took ~50
 * s on the shared build box against ~1 s for reading the sources.
 */
@DisplayName("Bus addresses live in one Addresses class")
class BusAddressesTest {

  /** Where the one Addresses class lives, relative to a module's source root. */
  static final String ADDRESSES = "nl/veiligpraten/infra/bus/Addresses.java";

  /**
   * Literals starting with "vp." that are not bus addresses: domain-separation labels of the crypto
   * (they are part of stored data and must never change) and the routing-context key of the staff
   * session.
   */
  static final Set<String> NOT_ADDRESSES =
      Set.of(
          "vp.datakey.wrap",
          "vp.transcript.msg",
          "vp.resume-code.hmac.v1",
          "vp.totp-secret.seal.v1",
          "vp.totp|",
          "vp.staff");

  static final Pattern VP_LITERAL = Pattern.compile("\"(vp\\.[^\"\\\\]*)\"");

  @Test
  @DisplayName(
      "No main source outside Addresses contains a string literal that starts with \"vp.\" and is not a known crypto label")
  void noAddressLiteralOutsideAddresses() throws IOException {
    Path root = repositoryRoot();
    List<String> found = addressLiterals(root);
    assertEquals(List.of(), found, "bus address literals belong in " + ADDRESSES);
  }

  @Test
  @DisplayName(
      "The scan sees the addresses in Addresses itself, and would report one written anywhere else")
  void scanFindsLiterals() throws IOException {
    Path root = repositoryRoot();
    Path addresses = root.resolve("infra/src/main/java").resolve(ADDRESSES);
    assertTrue(literals(addresses).contains("vp.conversation."), "the scan reads Addresses.java");
    Path elsewhere = Files.createTempFile("Elsewhere", ".java");
    try {
      Files.writeString(
          elsewhere,
          "class Elsewhere {\n  // \"vp.comment\" is not code\n"
              + "  String a = \"vp.staff-user.\" + 1;\n  String b = \"vp.datakey.wrap\";\n}\n");
      assertEquals(List.of("vp.staff-user."), literals(elsewhere));
    } finally {
      Files.delete(elsewhere);
    }
  }

  @Test
  @DisplayName("No main source file other than infra.bus.Addresses is named like an address book")
  void oneAddressesClass() throws IOException {
    Path root = repositoryRoot();
    List<String> books = new ArrayList<>();
    for (Path src : sourceRoots(root)) {
      try (Stream<Path> files = Files.walk(src)) {
        files
            .filter(p -> p.getFileName().toString().endsWith("Addresses.java"))
            .forEach(p -> books.add(root.relativize(p).toString().replace('\\', '/')));
      }
    }
    assertEquals(List.of("infra/src/main/java/" + ADDRESSES), books);
  }

  static List<String> addressLiterals(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    for (Path src : sourceRoots(root)) {
      try (Stream<Path> files = Files.walk(src)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
          if (src.relativize(f).toString().replace('\\', '/').equals(ADDRESSES)) {
            continue;
          }
          for (String literal : literals(f)) {
            found.add(root.relativize(f) + ": \"" + literal + "\"");
          }
        }
      }
    }
    return found;
  }

  /** The main source roots of every module ({@code <module>/src/main/java}). */
  static List<Path> sourceRoots(Path root) throws IOException {
    try (Stream<Path> modules = Files.list(root)) {
      return modules
          .map(m -> m.resolve("src/main/java"))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    }
  }

  /** The "vp." literals of one file that are not known labels; comment lines are skipped. */
  static List<String> literals(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      String code = line.strip();
      if (code.startsWith("*") || code.startsWith("/*") || code.startsWith("//")) {
        continue;
      }
      Matcher m = VP_LITERAL.matcher(code);
      while (m.find()) {
        if (!NOT_ADDRESSES.contains(m.group(1))) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  /**
   * The repository root: the directory above the module the test runs in, the one holding the
   * parent POM.
   */
  static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("infra/src/main/java"))
          && Files.exists(p.resolve("pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root not found above " + here);
  }
}
