package org.warder.client.archive;

import java.util.Locale;

/**
 * An archive beyond a limit of {@link TarExtractor.Limits}: one member larger than the per-member
 * limit, a total larger than the whole-archive limit, or more members than allowed.
 */
public final class SizeLimitException extends ArchiveException {
  private static final long serialVersionUID = 1L;
  private final String limitName;
  private final long limit;
  private final long found;

  public SizeLimitException(String member, String limitName, long limit, long found) {
    super(
        member,
        String.format(
            Locale.ROOT,
            "refusing member %s: expected %s of at most %d, found %d; raise the limit only if"
                + " the archive is known to be that large",
            UnsafeMemberNameException.quote(member),
            limitName,
            limit,
            found),
        null);
    this.limitName = limitName;
    this.limit = limit;
    this.found = found;
  }

  /** Which limit, e.g. {@code "member size in bytes"}. */
  public String limitName() {
    return limitName;
  }

  public long limit() {
    return limit;
  }

  public long found() {
    return found;
  }
}
