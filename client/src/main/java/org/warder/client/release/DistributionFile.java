package org.warder.client.release;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;

/** One distribution file of a release and how to bring a verified copy of it onto the host. */
interface DistributionFile {
  /** Its name: {@code base.txz}. */
  String file();

  /** Where it comes from and what it must be, in one line of a plan. */
  String describe();

  /**
   * Makes {@code dest} a verified copy, downloading it unless the copy there already is one; false
   * when it was. A copy that fails verification never gets the name {@code dest}.
   */
  boolean fetch(Path dest, Reporter reporter, ProgressListener progress)
      throws ClientException, IOException;

  /** The file's record once {@code dest} is verified. */
  ReleaseRecord.FileRecord record(Path dest) throws IOException;

  /**
   * How to download the file while it is extracted, when it can be verified chunk by chunk (its
   * chunk hashes are signed; a copy already at {@code dest} is then checked chunk by chunk while it
   * is handed on, and only what fails is fetched); empty when it is fetched whole first ({@link
   * #fetch}).
   */
  default Optional<Streaming> streaming(Path dest) throws ClientException, IOException {
    return Optional.empty();
  }

  /** A download that hands on verified bytes while it goes on. */
  @FunctionalInterface
  interface Streaming {
    /**
     * Downloads the file into {@code dest} (keeping the chunks of a copy there that match), handing
     * each chunk to {@code verified} once it matched its signed sha256, as {@link
     * org.warder.signing.tuf.Updater#download( org.warder.signing.tuf.TargetFile, java.util.List,
     * Path, OutputStream)} does; returns once the whole file matched. A failed verification is a
     * {@link org.warder.signing.tuf.VerificationIOException}.
     */
    void fetch(Path dest, OutputStream verified, Reporter reporter, ProgressListener progress)
        throws IOException;
  }
}
