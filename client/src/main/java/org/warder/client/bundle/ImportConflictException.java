package org.warder.client.bundle;

/**
 * A sound bundle cannot be imported on this host as it is: its name is taken, it needs a release or
 * template the host lacks, or it is a ZFS bundle and the host stores plain directories.
 */
public final class ImportConflictException extends BundleException {
  private static final long serialVersionUID = 1L;

  public ImportConflictException(String message) {
    super(message);
  }
}
