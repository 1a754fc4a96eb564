package org.warder.index;

/** A catalogue document is larger than its format allows; it is refused before it is parsed. */
public final class DocumentTooLargeException extends CatalogException {
  private static final long serialVersionUID = 1L;

  private final long limit;
  private final long actual;

  public DocumentTooLargeException(String document, long limit, long actual) {
    super(
        "expected a "
            + document
            + " of at most "
            + limit
            + " bytes, found "
            + actual
            + " bytes; this is not a "
            + document
            + " (or a hostile one)");
    this.limit = limit;
    this.actual = actual;
  }

  public long limit() {
    return limit;
  }

  public long actual() {
    return actual;
  }
}
