package nl.veiligpraten.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The package layout of issue 25, enforced: feature packages ({@code nl.veiligpraten.conversation},
 * {@code assignment}, {@code referral}, {@code statistics}, {@code retention}, {@code staff},
 * {@code cannedreply}, ...) own their SQL and rules; {@code nl.veiligpraten.infra..} keeps the
 * technical adapters (database, crypto, cluster, web, metrics, bus, settings, abuse limits) and
 * depends on no feature; features do not reach up into the visitor or console listeners or the
 * launcher. The pure core ({@code routing}) has its own rule (no Vert.x, no JDBC) in the routing
 * module.
 */
@DisplayName("Package by feature: adapters know no feature, features know no listener")
class ArchitectureTest {

  static final String[] FEATURES = {
    "nl.veiligpraten.conversation..", "nl.veiligpraten.assignment..", "nl.veiligpraten.staffing..",
    "nl.veiligpraten.presence..", "nl.veiligpraten.referral..", "nl.veiligpraten.routeaction..",
    "nl.veiligpraten.statistics..", "nl.veiligpraten.retention..", "nl.veiligpraten.audit..",
    "nl.veiligpraten.staff..", "nl.veiligpraten.liveconfig..", "nl.veiligpraten.cannedreply.."
  };

  static JavaClasses production;

  @BeforeAll
  static void importProductionClasses() {
    // The other modules reach this test as jars (the reactor packages them first), so jars are
    // imported too; only
    // our own packages are, and without test classes.
    production =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("nl.veiligpraten");
  }

  @Test
  @DisplayName("the technical adapters in infra depend on no feature package")
  void adaptersDoNotDependOnFeatures() {
    noClasses()
        .that()
        .resideInAPackage("nl.veiligpraten.infra..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FEATURES)
        .because(
            "infra holds the database, crypto, cluster and web adapters; feature rules live in the features")
        .check(production);
  }

  @Test
  @DisplayName(
      "features depend on neither the visitor listener, the console listener nor the launcher")
  void featuresDoNotDependOnListeners() {
    noClasses()
        .that()
        .resideInAnyPackage(FEATURES)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "nl.veiligpraten.gateway..", "nl.veiligpraten.console..", "nl.veiligpraten.app..")
        .because("the listeners and the launcher use the features, not the other way round")
        .check(production);
  }

  @Test
  @DisplayName("the pure core depends on no feature and no adapter")
  void coreStaysPure() {
    noClasses()
        .that()
        .resideInAPackage("nl.veiligpraten.routing..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FEATURES)
        .orShould()
        .dependOnClassesThat()
        .resideInAnyPackage("nl.veiligpraten.infra..")
        .check(production);
  }
}
