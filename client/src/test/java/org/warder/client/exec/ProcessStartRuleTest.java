package org.warder.client.exec;

import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.conditions.ArchPredicates.is;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Only {@link ProcessCommandRunner} starts processes: every host command goes through a {@link
 * CommandRunner}, so {@code -v} shows it, its timeout kills it and tests can record it. A {@code
 * new ProcessBuilder} or {@code Runtime.exec} anywhere else in the client fails the build here.
 */
class ProcessStartRuleTest {
  static final ArchRule ONLY_THE_COMMAND_RUNNER_STARTS_PROCESSES =
      noClasses()
          .that()
          .doNotBelongToAnyOf(ProcessCommandRunner.class)
          .should()
          .dependOnClassesThat()
          .belongToAnyOf(ProcessBuilder.class)
          .orShould()
          .callMethodWhere(
              target(owner(is(JavaClass.Predicates.equivalentTo(Runtime.class))))
                  .and(target(name("exec"))))
          .because(
              "only exec.ProcessCommandRunner may start processes; run host commands through a"
                  + " CommandRunner (run, stream, feed, pipe)");

  @Test
  void testClient_onlyTheCommandRunnerStartsProcesses() {
    JavaClasses client =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.warder.client");
    assertThat(client.contain(ProcessCommandRunner.class)).isTrue();
    ONLY_THE_COMMAND_RUNNER_STARTS_PROCESSES.check(client);
  }

  @Test
  void testRule_refusesAProcessBuilderOrRuntimeExecElsewhere() {
    JavaClasses offenders =
        new ClassFileImporter().importClasses(BuildsAProcess.class, ExecsAProcess.class);
    EvaluationResult result = ONLY_THE_COMMAND_RUNNER_STARTS_PROCESSES.evaluate(offenders);
    assertThat(result.getFailureReport().getDetails())
        .anySatisfy(d -> assertThat(d).contains(BuildsAProcess.class.getName()))
        .anySatisfy(d -> assertThat(d).contains(ExecsAProcess.class.getName()));
  }

  /** What the rule must refuse: a process started outside the runner. */
  static final class BuildsAProcess {
    Process start() throws IOException {
      return new ProcessBuilder("true").start();
    }
  }

  /** The other way to start one. */
  static final class ExecsAProcess {
    Process start() throws IOException {
      return Runtime.getRuntime().exec(new String[] {"true"});
    }
  }
}
