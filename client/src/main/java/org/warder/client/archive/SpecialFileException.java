package org.warder.client.archive;

import java.util.Locale;

/**
 * A character device, block device or FIFO member. They are never extracted: a jail's {@code /dev}
 * is a devfs mount, and a device node in a jail root would give the jail raw access to host
 * hardware.
 */
public final class SpecialFileException extends ArchiveException {
  private static final long serialVersionUID = 1L;

  /** The refused kinds of member. */
  public enum Kind {
    CHARACTER_DEVICE("a character device"),
    BLOCK_DEVICE("a block device"),
    FIFO("a FIFO");

    private final String description;

    Kind(String description) {
      this.description = description;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  private final Kind kind;

  public SpecialFileException(String member, Kind kind, String detail) {
    super(
        member,
        String.format(
            Locale.ROOT,
            "refusing member %s: expected a regular file, directory, symlink or hardlink, found %s"
                + "%s; device nodes and FIFOs are never extracted (jails get /dev from devfs)",
            UnsafeMemberNameException.quote(member),
            kind,
            detail),
        null);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
