package org.warder.signing;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * signing's packages form no cycle: {@code org.warder.signing} (keys, JSON, files) is the base and
 * {@code org.warder.signing.tuf} builds on it, never the other way round.
 */
class PackageCycleTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("org.warder.signing");

  /** Every package of signing is a slice of its own, the base package included. */
  private static final SliceAssignment BY_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          return javaClass.getPackageName().startsWith("org.warder.signing")
              ? SliceIdentifier.of(javaClass.getPackageName())
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the packages of signing";
        }
      };

  @Test
  void signingPackages_formNoCycle() {
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(MAIN);
  }
}
