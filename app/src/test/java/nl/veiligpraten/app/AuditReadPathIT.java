package nl.veiligpraten.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import nl.veiligpraten.conversation.TranscriptService;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Structural half of "every staff read is logged": staff-facing code can only reach plaintext
 * through {@code TranscriptService.readForStaff}, which writes the audit row; the unlogged {@code
 * read} is for the visitor's own socket. (Kept with the audit ITs because it needs the classes of
 * every module.)
 */
@DisplayName("Staff-facing code reads transcripts only through the audited path")
class AuditReadPathIT {

  @Test
  @DisplayName("no console class calls TranscriptService.read; only the visitor gateway may")
  void consoleUsesReadForStaff() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("nl.veiligpraten");
    noClasses()
        .that()
        .resideOutsideOfPackages("nl.veiligpraten.gateway..", "nl.veiligpraten.conversation..")
        .should()
        .callMethod(
            TranscriptService.class,
            "read",
            java.util.UUID.class,
            String.class,
            long.class,
            int.class)
        .because("staff reads must write one access-log row (readForStaff); see docs/privacy.md")
        .check(classes);
  }
}
