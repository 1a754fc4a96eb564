package org.warder.client.archive;

import java.util.Locale;

/**
 * A member name (or hardlink target) that is not a plain relative path inside the destination:
 * absolute, with a {@code ..} segment, empty, with a NUL byte, longer than the limit, or with a
 * segment longer than a file name may be.
 */
public final class UnsafeMemberNameException extends ArchiveException {
  private static final long serialVersionUID = 1L;
  private final String found;

  public UnsafeMemberNameException(String member, String found) {
    super(
        member,
        String.format(
            Locale.ROOT,
            "refusing member %s: expected a relative path inside the destination, found %s",
            quote(member),
            found),
        null);
    this.found = found;
  }

  /** What is wrong with the name, e.g. {@code "a leading '/'"}. */
  public String found() {
    return found;
  }

  static String quote(String name) {
    return "'" + name.replace("\0", "\\0") + "'";
  }
}
