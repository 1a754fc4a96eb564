package org.warder.client.jail.props;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.warder.client.ClientException;

/**
 * A jail property that cannot be used: unknown key, malformed value, read-only key, a key a plugin
 * manifest may not set, or properties that contradict each other. The message says what was
 * expected, what was found and what to do; {@link #problem()} tells the conditions apart, {@link
 * #reason()} is {@link ClientException.Reason#REFUSED} for a key users may not set and {@link
 * ClientException.Reason#INVALID_INPUT} otherwise.
 */
public final class PropertyException extends ClientException {
  private static final long serialVersionUID = 1L;

  /** Why a property was refused. */
  public enum Problem {
    /** The key is not a property warder knows ({@link #suggestions()} lists close names). */
    UNKNOWN_KEY,
    /** The value does not have the property's type. */
    MALFORMED_VALUE,
    /** The key is set by warder (identity) or reported by the kernel (runtime), not by users. */
    READ_ONLY,
    /** The key acts on the host (host commands, host files, host networking, devfs exposure). */
    HOST_ONLY,
    /** An iocage property warder does not implement. */
    UNSUPPORTED,
    /** Each value is valid but together they cannot work. */
    INCONSISTENT,
    /** A config.json that is not a JSON object of properties. */
    MALFORMED_CONFIG
  }

  private final Problem problem;
  private final String key;
  private final @Nullable String value;
  private final List<String> suggestions;

  PropertyException(
      Problem problem,
      String key,
      @Nullable String value,
      List<String> suggestions,
      String message) {
    super(
        problem == Problem.READ_ONLY || problem == Problem.HOST_ONLY
            ? Reason.REFUSED
            : Reason.INVALID_INPUT,
        message);
    this.problem = problem;
    this.key = key;
    this.value = value;
    this.suggestions = List.copyOf(suggestions);
  }

  static PropertyException of(Problem problem, String key, @Nullable String value, String message) {
    return new PropertyException(problem, key, value, List.of(), message);
  }

  /** A value that does not have the type of {@code key}. */
  static PropertyException malformed(String key, String value, String expected, String detail) {
    return of(
        Problem.MALFORMED_VALUE,
        key,
        value,
        String.format(
            java.util.Locale.ROOT,
            "property %s: expected %s, found '%s'%s; correct the value and retry",
            key,
            expected,
            Printable.of(value),
            detail.isEmpty() ? "" : ": " + detail));
  }

  /** Which of the conditions refused the property. */
  public Problem problem() {
    return problem;
  }

  /** The property key concerned (the first one, for {@link Problem#INCONSISTENT}). */
  public String key() {
    return key;
  }

  /** The refused value, if a value was refused. */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  /** Valid keys close to an unknown one, closest first; empty otherwise. */
  public List<String> suggestions() {
    return suggestions;
  }
}
