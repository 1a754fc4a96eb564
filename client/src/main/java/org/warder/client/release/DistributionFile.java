package org.warder.client.release;

import java.io.IOException;
import java.nio.file.Path;
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
}
