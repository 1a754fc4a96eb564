package org.warder.signing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A JSON value that {@link StrictJson} or {@link CanonicalJson} refuses, with the path to it put
 * together while the exception travels up the recursion ({@link #under}): walking a document of
 * many thousand values then builds no path for the values that pass. Internal: callers turn it into
 * a {@link MalformedJsonException} with {@link #message(String)}.
 */
final class RefusedValue extends Exception {
  private static final long serialVersionUID = 1L;
  private final transient Deque<String> segments = new ArrayDeque<>();

  /** {@code problem} is the message up to the path, e.g. "expected only integers, found 1.5". */
  RefusedValue(String problem) {
    super(problem, null, false, false);
  }

  /** Adds the segment leading to the value from its parent ({@code .name} or {@code [i]}). */
  RefusedValue under(String segment) {
    segments.addFirst(segment);
    return this;
  }

  /** The message: the problem, then " at " and the path from {@code root} (e.g. {@code $}). */
  String message(String root) {
    return getMessage() + " at " + root + String.join("", segments);
  }
}
