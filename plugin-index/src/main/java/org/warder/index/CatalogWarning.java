package org.warder.index;

/**
 * Something in a catalogue document that was accepted but normalised, ignored or worth a reviewer's
 * attention: where it is (a JSON path such as {@code $.revision}) and what was done.
 *
 * @param path JSON path of the value, {@code $} being the document
 * @param message what was read and how it was normalised, e.g. {@code string "1" read as number 1}
 */
public record CatalogWarning(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
