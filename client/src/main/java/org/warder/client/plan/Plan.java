package org.warder.client.plan;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.warder.client.ClientException;
import org.warder.client.progress.Reporter;

/**
 * An ordered list of {@link Step}s: what a host-changing command does. The same list is printed by
 * {@code --dry-run}, run for real, and undone on failure, so a plan cannot disagree with what runs
 * and a rollback reverts exactly what was done. Not thread-safe; run once.
 */
public final class Plan {
  private final List<Step> steps;
  private final LongSupplier nanoTime;

  /** How long each step took, in order. */
  public record Timing(String step, Duration took) {}

  public Plan(List<Step> steps) {
    this(steps, System::nanoTime);
  }

  /** A plan timed by {@code nanoTime} (tests pass a fake). */
  public Plan(List<Step> steps, LongSupplier nanoTime) {
    this.steps = List.copyOf(steps);
    this.nanoTime = nanoTime;
  }

  public List<Step> steps() {
    return steps;
  }

  /** Every step's description, each line prefixed with its step's name: the dry-run output. */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (Step step : steps) {
      for (String line : step.describe()) {
        lines.add(step.name() + ": " + line);
      }
    }
    return lines;
  }

  /**
   * Runs every step in order. When one fails, the steps that completed are undone in reverse order
   * (unless {@code keep}, for inspection), a failing undo is reported and the others still run, and
   * the failure is thrown naming the step, with the last output {@code tail} gives.
   */
  public List<Timing> run(Reporter reporter, boolean keep, Supplier<List<String>> tail)
      throws StepFailedException, InterruptedException {
    Deque<Step> done = new ArrayDeque<>();
    List<Timing> timings = new ArrayList<>();
    for (Step step : steps) {
      long start = nanoTime.getAsLong();
      try {
        step.run(reporter);
      } catch (ClientException | IOException | RuntimeException e) {
        if (keep) {
          reporter.info("--keep: leaving what the steps before " + step.name() + " made");
        } else {
          undo(done, reporter);
        }
        throw new StepFailedException(step.name(), e, tail.get());
      } catch (InterruptedException e) {
        if (!keep) {
          undo(done, reporter);
        }
        throw e;
      }
      done.push(step);
      timings.add(new Timing(step.name(), Duration.ofNanos(nanoTime.getAsLong() - start)));
    }
    return timings;
  }

  private static void undo(Deque<Step> done, Reporter reporter) {
    boolean interrupted = Thread.interrupted();
    while (!done.isEmpty()) {
      Step step = done.pop();
      try {
        step.undo(reporter);
      } catch (ClientException | IOException | RuntimeException e) {
        reporter.warning("could not undo " + step.name() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        interrupted = true;
        reporter.warning("undo of " + step.name() + " was interrupted; undoing the rest");
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
