package org.warder.index;

/**
 * A value in a catalogue document is missing, of the wrong type, or outside what the format (and
 * the host it will be used on) can safely accept. The message names the document, the JSON path,
 * what was expected, what was found, and what to do.
 */
public final class InvalidFieldException extends CatalogException {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final String expected;
  private final String found;

  /**
   * @param document the kind of document, e.g. {@code plugin manifest}
   * @param path JSON path of the value, or of the object that lacks a required key
   * @param expected what the format requires there
   * @param found what the document has there, quoted
   * @param hint what to do about it; empty for nothing useful to add
   */
  public InvalidFieldException(
      String document, String path, String expected, String found, String hint) {
    super(
        document
            + " "
            + path
            + ": expected "
            + expected
            + ", found "
            + found
            + (hint.isEmpty() ? "" : "; " + hint));
    this.path = path;
    this.expected = expected;
    this.found = found;
  }

  /**
   * The JSON path of the offending value (or of the object missing a key), e.g. {@code $.pkgs[2]}.
   */
  public String path() {
    return path;
  }

  public String expected() {
    return expected;
  }

  public String found() {
    return found;
  }

  /**
   * The cause of an {@link IllegalArgumentException} thrown by a validating record constructor, so
   * that parsers report it as the checked exception it is.
   */
  static InvalidFieldException from(IllegalArgumentException e) {
    if (e.getCause() instanceof InvalidFieldException cause) {
      return cause;
    }
    throw e;
  }
}
