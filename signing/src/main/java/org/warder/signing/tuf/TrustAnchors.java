package org.warder.signing.tuf;

/** Checks of a root before a client starts trusting it. */
public final class TrustAnchors {
  private TrustAnchors() {}

  /**
   * Parses {@code rootBytes} as root metadata and checks that a threshold of its own root keys
   * signed it; this is what makes a root usable as a trust anchor (its expiry does not matter).
   */
  public static Metadata<Root> checkSelfSigned(byte[] rootBytes) throws TufException {
    Metadata<Root> root = Metadata.parse(rootBytes, Root.class, "root");
    Root r = root.signed();
    SignatureThreshold.verify(
        root, "root v" + r.version(), "its own root", r.keys(), r.role(RoleType.ROOT));
    return root;
  }
}
