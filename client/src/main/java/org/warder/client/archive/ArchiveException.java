package org.warder.client.archive;

import java.util.Optional;
import org.warder.client.ClientException;

/**
 * Base of every checked refusal of the archive API (a {@link ClientException} of reason invalid
 * input, or conflict for a destination in use): an archive member that would leave the destination,
 * write through a symlink, create a device node, exceed a size limit, or an archive that is not a
 * well-formed tar stream. Messages name the member and say what was expected and what was found.
 * After any of these the destination holds a partial tree that the caller deletes (see {@link
 * org.warder.client.host.DirectoryTrees#delete}); nothing was written outside it.
 */
public abstract class ArchiveException extends ClientException {
  private static final long serialVersionUID = 1L;
  private final String member;

  /** An archive refused for what it holds ({@link Reason#INVALID_INPUT}). */
  protected ArchiveException(String member, String message, Throwable cause) {
    this(Reason.INVALID_INPUT, member, message, cause);
  }

  protected ArchiveException(Reason reason, String member, String message, Throwable cause) {
    super(reason, message, cause);
    this.member = member;
  }

  /** The archive member concerned, as named in the archive; empty when no member is at fault. */
  public Optional<String> member() {
    return Optional.ofNullable(member);
  }
}
