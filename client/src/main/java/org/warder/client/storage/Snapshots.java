package org.warder.client.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The snapshot capability of a {@link Storage} that has one (ZFS): point-in-time snapshots, clones
 * of them, rollback and send/receive streams. A storage without it (plain directories) offers none
 * of these; callers ask {@link Storage#snapshots()} and decide what to do without.
 */
public interface Snapshots {
  /** Takes snapshot {@code snapshot} of {@code name}. */
  void snapshot(String name, String snapshot) throws IOException, InterruptedException;

  /** Destroys snapshot {@code snapshot} of {@code name} if it exists. */
  void destroySnapshot(String name, String snapshot) throws IOException, InterruptedException;

  /** Snapshots of {@code name}, oldest first. */
  List<String> list(String name) throws IOException, InterruptedException;

  /**
   * Renames snapshot {@code from} of {@code name} to {@code to} (a renamed jail's origin snapshot);
   * its clones keep it as their origin.
   */
  void renameSnapshot(String name, String from, String to) throws IOException, InterruptedException;

  /** Rolls {@code name} back to {@code snapshot}, destroying later snapshots. */
  void rollback(String name, String snapshot) throws IOException, InterruptedException;

  /** Makes {@code target} a clone of the existing snapshot {@code source@snapshot}. */
  Path cloneSnapshot(String source, String snapshot, String target)
      throws IOException, InterruptedException;

  /**
   * Writes a send stream of {@code name@snapshot} to {@code out}: the whole dataset, or with {@code
   * from} only what changed since {@code name@from}.
   */
  void send(String name, String snapshot, Optional<String> from, OutputStream out)
      throws IOException, InterruptedException;

  /**
   * Receives a send stream from {@code in} as {@code name} (a new dataset, or for an incremental
   * stream the dataset holding its base snapshot), reading {@code in} to its end. If reading {@code
   * in} fails, the receive is killed and nothing is received.
   */
  void receive(String name, InputStream in) throws IOException, InterruptedException;
}
