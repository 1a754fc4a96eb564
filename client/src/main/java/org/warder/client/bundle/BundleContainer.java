package org.warder.client.bundle;

import java.io.IOException;
import org.warder.index.BundleManifest;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Member;

/**
 * Where an export writes its bundle: members are added as they are made (each compressed and hashed
 * on the way), then {@link #finish} puts {@code bundle.json} first and closes the tar.
 */
interface BundleContainer extends AutoCloseable {
  /** Writes one member's content into the container. */
  @FunctionalInterface
  interface MemberWriter {
    void write(java.io.OutputStream out) throws IOException, InterruptedException, BundleException;
  }

  /** Adds member {@code name}, compressed with {@code compression}, as {@code writer} writes it. */
  Member add(String name, Compression compression, MemberWriter writer)
      throws IOException, InterruptedException, BundleException;

  /** Completes the bundle with {@code manifest} first; returns what was written. */
  JailExporter.Result finish(BundleManifest manifest) throws IOException;

  /** Removes what was staged; the bundle itself stays. */
  @Override
  void close() throws IOException;
}
