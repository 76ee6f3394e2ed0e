package nl.veiligpraten.routing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The routing module is pure Java: no Vert.x, no database. Other modules build I/O around it. */
@AnalyzeClasses(
    packages = "nl.veiligpraten.routing",
    importOptions = ImportOption.DoNotIncludeTests.class)
class RoutingArchitectureTest {

  @ArchTest
  static final ArchRule noVertx =
      noClasses()
          .that()
          .resideInAPackage("nl.veiligpraten.routing..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.vertx..")
          .because("routing must stay pure Java so every module and the CLI can use it");

  @ArchTest
  static final ArchRule noJdbc =
      noClasses()
          .that()
          .resideInAPackage("nl.veiligpraten.routing..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("java.sql..")
          .because("routing decisions never touch the database");
}
