package org.warder.index;

import java.util.List;

/**
 * A successfully parsed catalogue document together with the warnings its parsing produced, in
 * document order.
 *
 * @param value the document, normalised
 * @param warnings what was normalised or ignored; empty for a document already in canonical form
 */
public record Parsed<T>(T value, List<CatalogWarning> warnings) {
  public Parsed {
    warnings = List.copyOf(warnings);
  }
}
