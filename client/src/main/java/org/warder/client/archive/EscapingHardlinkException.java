package org.warder.client.archive;

import java.util.Locale;

/**
 * A hardlink member whose target is not a regular file extracted earlier inside the destination: an
 * absolute path ({@code /etc/shadow}), a path with {@code ..}, a directory, a symlink, or a name no
 * earlier member had. Linking it would expose or alias a file outside the archive.
 */
public final class EscapingHardlinkException extends ArchiveException {
  private static final long serialVersionUID = 1L;
  private final String linkTarget;
  private final String found;

  public EscapingHardlinkException(String member, String linkTarget, String found) {
    super(
        member,
        String.format(
            Locale.ROOT,
            "refusing hardlink %s -> %s: expected the target to be a regular file extracted"
                + " earlier inside the destination, found %s",
            UnsafeMemberNameException.quote(member),
            UnsafeMemberNameException.quote(linkTarget),
            found),
        null);
    this.linkTarget = linkTarget;
    this.found = found;
  }

  /** The hardlink's target as stored in the archive. */
  public String linkTarget() {
    return linkTarget;
  }

  /** What the target turned out to be. */
  public String found() {
    return found;
  }
}
