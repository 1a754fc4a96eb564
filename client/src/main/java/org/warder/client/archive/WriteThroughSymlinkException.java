package org.warder.client.archive;

import java.util.Locale;

/**
 * A member whose path passes through a symlink extracted earlier from the same archive ({@code etc
 * -> /etc} then {@code etc/passwd}, or {@code a -> ..} then {@code a/x}): writing it would follow
 * the symlink, possibly out of the destination.
 */
public final class WriteThroughSymlinkException extends ArchiveException {
  private static final long serialVersionUID = 1L;
  private final String symlink;
  private final String symlinkTarget;

  public WriteThroughSymlinkException(String member, String symlink, String symlinkTarget) {
    super(
        member,
        String.format(
            Locale.ROOT,
            "refusing member %s: expected %s to be a real directory, found a symlink to %s"
                + " extracted earlier; writing through it could leave the destination",
            UnsafeMemberNameException.quote(member),
            UnsafeMemberNameException.quote(symlink),
            UnsafeMemberNameException.quote(symlinkTarget)),
        null);
    this.symlink = symlink;
    this.symlinkTarget = symlinkTarget;
  }

  /** The symlink on the member's path, relative to the destination. */
  public String symlink() {
    return symlink;
  }

  /** Where that symlink points, as stored in the archive. */
  public String symlinkTarget() {
    return symlinkTarget;
  }
}
