package org.warder.client.release;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.progress.ProgressListener;
import org.warder.client.progress.Reporter;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.Updater;
import org.warder.signing.tuf.VerificationIOException;

/** A signed target of a registry: its length and sha256 come from verified TUF metadata. */
final class SignedFile implements DistributionFile {
  private final String file;
  private final TargetFile target;
  private final Updater updater;
  private final List<URI> mirrors;

  SignedFile(String file, TargetFile target, Updater updater, List<URI> mirrors) {
    this.file = file;
    this.target = target;
    this.updater = updater;
    this.mirrors = List.copyOf(mirrors);
  }

  @Override
  public String file() {
    return file;
  }

  @Override
  public String describe() {
    return file
        + ": "
        + target.length()
        + " bytes, sha256 "
        + target.sha256().orElse("?")
        + " (signed target "
        + target.path()
        + ")";
  }

  @Override
  public boolean fetch(Path dest, Reporter reporter, ProgressListener progress)
      throws ClientException, IOException {
    try {
      if (updater.findCached(target, dest).isPresent()) {
        reporter.info(file + ": cached copy verified (sha256 " + target.sha256().orElse("?") + ")");
        return false;
      }
      Files.deleteIfExists(dest);
      progress.begin(file, target.length());
      try {
        updater.download(target, mirrors, dest);
      } finally {
        progress.end();
      }
      return true;
    } catch (SigningException e) {
      throw new ClientException(Reason.REFUSED, String.valueOf(e.getMessage()), e);
    }
  }

  @Override
  public Optional<Streaming> streaming(Path dest) throws ClientException, IOException {
    try {
      if (ChunkHashes.of(target).isEmpty()) {
        return Optional.empty();
      }
    } catch (SigningException e) {
      throw new ClientException(Reason.REFUSED, String.valueOf(e.getMessage()), e);
    }
    // a copy already at dest is checked chunk by chunk while it is handed on; what fails is fetched
    return Optional.of(
        (to, verified, reporter, progress) -> {
          progress.begin(file, target.length());
          long reused;
          try {
            reused = updater.download(target, mirrors, to, verified);
          } catch (TufException e) {
            throw new VerificationIOException(e);
          } finally {
            progress.end();
          }
          if (reused == target.length()) {
            reporter.info(
                file
                    + ": cached copy verified chunk by chunk (sha256 "
                    + target.sha256().orElse("?")
                    + ")");
          } else if (reused > 0) {
            reporter.info(
                file
                    + ": the first "
                    + reused
                    + " bytes of a cached copy verified chunk by chunk, the rest fetched");
          }
        });
  }

  @Override
  public ReleaseRecord.FileRecord record(Path dest) {
    return new ReleaseRecord.FileRecord(file, target.length(), target.sha256().orElse(""));
  }
}
