package org.warder.signing.tuf;

import java.util.Locale;

/** Metadata lacks a threshold of valid signatures from the keys its role trusts. */
public final class UnsignedMetadataException extends TufException {
  private static final long serialVersionUID = 1L;
  private final String role;
  private final int threshold;
  private final int valid;

  public UnsignedMetadataException(String role, String signedBy, int threshold, int valid) {
    super(
        String.format(
            Locale.ROOT,
            "%s metadata is not signed by a threshold of %s keys: expected %d valid signature%s,"
                + " found %d; refusing it and keeping the trusted metadata",
            role,
            signedBy,
            threshold,
            threshold == 1 ? "" : "s",
            valid));
    this.role = role;
    this.threshold = threshold;
    this.valid = valid;
  }

  public String role() {
    return role;
  }

  public int threshold() {
    return threshold;
  }

  public int validSignatures() {
    return valid;
  }
}
