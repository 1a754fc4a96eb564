package org.warder.index;

/**
 * A catalogue document is not one well-formed JSON document: a syntax error, invalid UTF-8, a
 * duplicate key, nesting too deep, trailing content, or a top level that is not an object.
 */
public final class MalformedDocumentException extends CatalogException {
  private static final long serialVersionUID = 1L;

  private final String path;

  public MalformedDocumentException(String message, String path, Throwable cause) {
    super(message);
    this.path = path;
    if (cause != null) {
      initCause(cause);
    }
  }

  /** The JSON path of the innermost value being read when the error was found. */
  public String path() {
    return path;
  }
}
