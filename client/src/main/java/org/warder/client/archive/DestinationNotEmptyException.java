package org.warder.client.archive;

import java.nio.file.Path;

/**
 * The extraction destination exists and is not an empty directory. Extraction only goes into a new
 * or empty directory, so that every path in it was created by the extraction itself.
 */
public final class DestinationNotEmptyException extends ArchiveException {
  private static final long serialVersionUID = 1L;
  private final transient Path destination;

  public DestinationNotEmptyException(Path destination, String found) {
    super(
        Reason.CONFLICT,
        null,
        "expected "
            + destination
            + " to be a new or empty directory, found "
            + found
            + "; extract into a fresh directory",
        null);
    this.destination = destination;
  }

  public Path destination() {
    return destination;
  }
}
