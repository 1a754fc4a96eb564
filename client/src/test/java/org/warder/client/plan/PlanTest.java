package org.warder.client.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.warder.client.ClientException;
import org.warder.client.progress.Reporter;

class PlanTest {
  private final List<String> events = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Reporter reporter =
      new Reporter() {
        @Override
        public void info(String message) {
          events.add("info " + message);
        }

        @Override
        public void warning(String message) {
          warnings.add(message);
        }

        @Override
        public void output(String line) {
          events.add("output " + line);
        }
      };

  /** A step that records its runs and undos, and fails in run or undo when told to. */
  private final class Recorded implements Step {
    private final String name;
    private final Exception runFailure;
    private final Exception undoFailure;

    Recorded(String name, Exception runFailure, Exception undoFailure) {
      this.name = name;
      this.runFailure = runFailure;
      this.undoFailure = undoFailure;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public List<String> describe() {
      return List.of("do " + name, "then check " + name);
    }

    @Override
    public void run(Reporter r) throws ClientException, IOException {
      events.add("run " + name);
      throwIf(runFailure);
    }

    @Override
    public void undo(Reporter r) throws ClientException, IOException {
      events.add("undo " + name);
      throwIf(undoFailure);
    }

    private void throwIf(Exception e) throws ClientException, IOException {
      if (e instanceof ClientException c) {
        throw c;
      }
      if (e instanceof IOException io) {
        throw io;
      }
    }
  }

  private Step ok(String name) {
    return new Recorded(name, null, null);
  }

  @Test
  void describe_everyLineOfEveryStepInOrderPrefixedWithItsName() {
    Plan plan = new Plan(List.of(ok("create"), ok("pkg")));

    assertThat(plan.describe())
        .containsExactly(
            "create: do create", "create: then check create", "pkg: do pkg", "pkg: then check pkg");
    assertThat(events).as("describing runs nothing").isEmpty();
  }

  @Test
  void run_allStepsInOrderWithTheirTimings() throws Exception {
    long[] now = {0};
    Plan plan = new Plan(List.of(ok("a"), ok("b")), () -> now[0] += 1_000_000);

    List<Plan.Timing> timings = plan.run(reporter, false, List::of);

    assertThat(events).containsExactly("run a", "run b");
    assertThat(timings).extracting(Plan.Timing::step).containsExactly("a", "b");
    assertThat(timings).allSatisfy(t -> assertThat(t.took().toMillis()).isEqualTo(1));
  }

  @Test
  void run_failureUndoesExactlyTheCompletedStepsInReverseAndNamesTheStep() {
    Plan plan =
        new Plan(
            List.of(
                ok("a"),
                ok("b"),
                new Recorded(
                    "c",
                    new ClientException(ClientException.Reason.NOT_FOUND, "no such pkg"),
                    null),
                ok("d")));

    assertThatThrownBy(() -> plan.run(reporter, false, () -> List.of("line 1", "line 2")))
        .isInstanceOfSatisfying(
            StepFailedException.class,
            e -> {
              assertThat(e.step()).isEqualTo("c");
              assertThat(e.reason()).isEqualTo(ClientException.Reason.NOT_FOUND);
              assertThat(e.tail()).containsExactly("line 1", "line 2");
              assertThat(e.getMessage())
                  .isEqualTo("c failed: no such pkg; last output: line 1 | line 2");
            });
    assertThat(events).containsExactly("run a", "run b", "run c", "undo b", "undo a");
  }

  @Test
  void run_anUndoThatFailsIsReportedAndTheOthersStillRun() {
    Plan plan =
        new Plan(
            List.of(
                ok("a"),
                new Recorded("b", null, new IOException("busy")),
                new Recorded("c", new IOException("disk full"), null)));

    assertThatThrownBy(() -> plan.run(reporter, false, List::of))
        .isInstanceOfSatisfying(
            StepFailedException.class,
            e -> assertThat(e.reason()).isEqualTo(ClientException.Reason.HOST));
    assertThat(events).containsExactly("run a", "run b", "run c", "undo b", "undo a");
    assertThat(warnings).containsExactly("could not undo b: busy");
  }

  @Test
  void run_keepLeavesTheCompletedStepsForInspection() {
    Plan plan = new Plan(List.of(ok("a"), new Recorded("b", new IOException("boom"), null)));

    assertThatThrownBy(() -> plan.run(reporter, true, List::of))
        .isInstanceOf(StepFailedException.class);
    assertThat(events)
        .containsExactly("run a", "run b", "info --keep: leaving what the steps before b made");
  }
}
