package io.carteiro;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The package rules of STYLE.md, held by the build: features do not form cycles, engines know no features. */
class ArchitectureTest {

    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.carteiro");

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.carteiro.(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(CLASSES);
    }

    @Test
    void deliveryEngineDoesNotKnowTheFeaturesThatFeedIt() {
        noClasses().that().resideInAPackage("io.carteiro.delivery..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.carteiro.campaigns..", "io.carteiro.lists..", "io.carteiro.bounces..",
                        "io.carteiro.unsubscribe..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }

    @Test
    void sharedWebPackageDependsOnNoFeature() {
        noClasses().that().resideInAPackage("io.carteiro.web..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.carteiro.campaigns..", "io.carteiro.lists..", "io.carteiro.subscribers..",
                        "io.carteiro.delivery..", "io.carteiro.bounces..", "io.carteiro.unsubscribe..")
                .allowEmptyShould(true)
                .check(CLASSES);
    }
}
