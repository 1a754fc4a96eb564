package org.warder.client.plan;

import java.util.List;
import org.warder.client.ClientException;

/**
 * A step of a {@link Plan} failed; the steps before it were undone unless the run kept them. The
 * message names the step and the failure; {@link #getCause()} keeps the original exception, whose
 * reason this one takes.
 */
public final class StepFailedException extends ClientException {
  private static final long serialVersionUID = 1L;
  private final String step;
  private final List<String> tail;
  private final Throwable failure;

  public StepFailedException(String step, Throwable cause, List<String> tail) {
    super(
        cause instanceof ClientException c ? c.reason() : Reason.HOST,
        step + " failed: " + message(cause) + tailText(tail),
        cause);
    this.step = step;
    this.tail = List.copyOf(tail);
    this.failure = cause;
  }

  /** What made the step fail (the cause, never null). */
  public Throwable failure() {
    return failure;
  }

  /** The name of the step that failed. */
  public String step() {
    return step;
  }

  /** The last lines of output of the failed step, oldest first; empty when it printed none. */
  public List<String> tail() {
    return tail;
  }

  private static String message(Throwable cause) {
    String m = cause.getMessage();
    return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
  }

  private static String tailText(List<String> tail) {
    return tail.isEmpty() ? "" : "; last output: " + String.join(" | ", tail);
  }
}
