package org.warder.index;

/**
 * Base of every checked failure of the catalogue formats (release MANIFEST, plugin manifests,
 * INDEX, bundles): the input is not what the format requires. Messages name where in the input the
 * problem is, what was expected and what was found.
 */
public class CatalogException extends Exception {
  private static final long serialVersionUID = 1L;

  public CatalogException(String message) {
    super(message);
  }
}
