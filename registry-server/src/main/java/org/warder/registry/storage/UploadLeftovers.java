package org.warder.registry.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds and removes what dead nodes left of shared uploads ({@link UploadSessions.Leftover}): part
 * objects of the store that no session names (a node died between storing a chunk and recording it)
 * and files of {@code <data>/uploads-incoming/} (a node died while it received a chunk or assembled
 * a blob). Only what was last written more than the upload max age ago counts: a request writes its
 * incoming file as the bytes arrive and records its part right after storing it, so nothing a
 * running request still uses is that old. Thread-safe.
 */
public final class UploadLeftovers {
  /** The keys of the parts the sessions name now. */
  @FunctionalInterface
  public interface NamedParts {
    Set<String> keys() throws IOException;
  }

  private final RegistryLayout layout;
  private final RegistryStore store;
  private final Clock clock;

  public UploadLeftovers(RegistryLayout layout, RegistryStore store, Clock clock) {
    this.layout = layout;
    this.store = store;
    this.clock = clock;
  }

  /**
   * The parts stored and incoming files written more than {@code maxAge} ago, parts that {@code
   * named} lists excepted. The parts are listed before {@code named} is asked, so a part recorded
   * in between is named.
   */
  public List<UploadSessions.Leftover> find(Duration maxAge, NamedParts named) throws IOException {
    Instant cutoff = clock.instant().minus(maxAge);
    List<RegistryStore.StoredPart> old = new ArrayList<>();
    for (RegistryStore.StoredPart part : store.listParts()) {
      if (part.stored().isBefore(cutoff)) {
        old.add(part);
      }
    }
    List<UploadSessions.Leftover> found = new ArrayList<>();
    if (!old.isEmpty()) {
      Set<String> keys = named.keys();
      for (RegistryStore.StoredPart part : old) {
        if (!keys.contains(part.key())) {
          found.add(new UploadSessions.Leftover(part.key(), part.length()));
        }
      }
    }
    Path incoming = layout.uploadsIncoming();
    if (Files.isDirectory(incoming)) {
      try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
        for (Path file : files) {
          try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (a.isRegularFile() && a.lastModifiedTime().toInstant().isBefore(cutoff)) {
              found.add(
                  new UploadSessions.Leftover(layout.data().relativize(file).toString(), a.size()));
            }
          } catch (NoSuchFileException e) {
            // its request ended meanwhile
          }
        }
      }
    }
    return found;
  }

  /** Removes {@code leftovers}; those gone already are skipped. */
  public void remove(List<UploadSessions.Leftover> leftovers) throws IOException {
    for (UploadSessions.Leftover leftover : leftovers) {
      if (leftover.key().startsWith(StoreKeys.PARTS)) {
        store.deletePart(leftover.key());
      } else {
        Files.deleteIfExists(layout.data().resolve(leftover.key()));
      }
    }
  }
}
