package org.warder.client.archive;

import java.util.Optional;

/**
 * Base of every checked refusal of the archive API: an archive member that would leave the
 * destination, write through a symlink, create a device node, exceed a size limit, or an archive
 * that is not a well-formed tar stream. Messages name the member and say what was expected and what
 * was found. After any of these the destination holds a partial tree that the caller deletes (see
 * {@link org.warder.client.host.DirectoryTrees#delete}); nothing was written outside it.
 */
public abstract class ArchiveException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String member;

  protected ArchiveException(String member, String message, Throwable cause) {
    super(message, cause);
    this.member = member;
  }

  /** The archive member concerned, as named in the archive; empty when no member is at fault. */
  public Optional<String> member() {
    return Optional.ofNullable(member);
  }
}
