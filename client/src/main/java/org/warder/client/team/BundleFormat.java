package org.warder.client.team;

import java.util.Arrays;
import java.util.Optional;

/** How a bundle stores the file tree: {@code zfs send} streams, or a portable tar tree (DESIGN §6). */
public enum BundleFormat {
  ZFS("zfs"),
  TAR("tar");

  private final String value;

  BundleFormat(String value) {
    this.value = value;
  }

  /** The name in the target's {@code custom.format}. */
  public String value() {
    return value;
  }

  /** The format named {@code value}, if it is one. */
  public static Optional<BundleFormat> of(String value) {
    return Arrays.stream(values()).filter(f -> f.value.equals(value)).findFirst();
  }
}
