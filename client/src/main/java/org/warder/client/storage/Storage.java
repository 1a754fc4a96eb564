package org.warder.client.storage;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Where releases, jails and templates are stored: ZFS datasets or plain directories. Names are
 * relative to the warder root ({@code releases/14.2-RELEASE}); each adapter maps them to its
 * own objects. Implementations are thread-safe.
 */
public interface Storage {
  /** The mounted path of {@code name}. */
  Path path(String name);

  /** Whether {@code name} exists. */
  boolean exists(String name) throws IOException, InterruptedException;

  /** Creates {@code name} (and missing parents) as an empty dataset or directory. */
  Path create(String name) throws IOException, InterruptedException;

  /** Destroys {@code name} and everything under it; nothing if it does not exist. */
  void destroy(String name) throws IOException, InterruptedException;

  /** Renames {@code from} to {@code to} (same parent), atomically where the backend can. */
  void rename(String from, String to) throws IOException, InterruptedException;

  /** {@code dir} or {@code zfs}. */
  String kind();
}
