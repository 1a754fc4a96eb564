package org.warder.client.bundle;

/** A jail cannot be exported as asked: it is running (without --live), or the format needs ZFS. */
public final class ExportRefusedException extends BundleException {
  private static final long serialVersionUID = 1L;

  public ExportRefusedException(String message) {
    super(Reason.CONFLICT, message);
  }
}
