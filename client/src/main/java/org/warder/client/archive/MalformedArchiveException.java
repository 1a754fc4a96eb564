package org.warder.client.archive;

/**
 * An archive that is not a well-formed tar stream of the kind a release is: unreadable headers,
 * data shorter than a header declares, a member type other than file, directory, symlink or
 * hardlink, a member repeated, a member in the way of another one, or data after the end marker.
 */
public final class MalformedArchiveException extends ArchiveException {
  private static final long serialVersionUID = 1L;

  /** {@code member} is null when the fault is not in one member (e.g. a broken first header). */
  public MalformedArchiveException(String member, String message, Throwable cause) {
    super(member, message, cause);
  }
}
