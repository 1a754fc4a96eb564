package org.warder.client.host;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A path inside a directory someone else controls (a jail root) is not what the host may write or
 * read through: a symbolic link, a special file, or a file too large. The content there was made
 * from inside; warder refuses rather than follow it.
 */
public final class ConfinementException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  ConfinementException(Path path, String expected, String found) {
    super(
        path.toString(),
        null,
        "expected "
            + expected
            + ", found "
            + found
            + "; warder never follows links or opens special files inside a jail from the host"
            + " (inspect it from inside the jail and remove it)");
  }
}
