package org.warder.client.archive;

import java.util.List;

/**
 * What {@link TarExtractor#extract} created. Counts are of archive members; parent directories an
 * archive did not list are created but not counted.
 *
 * @param files regular files
 * @param directories directory members, including a {@code ./} member (which changes nothing)
 * @param symlinks symbolic links
 * @param hardlinks hardlinks (each a second name of a file counted in {@code files})
 * @param bytes bytes written to regular files
 * @param fileFlags the {@code SCHILY.fflags} of members that had them, in archive order
 */
public record ExtractionResult(
    long files,
    long directories,
    long symlinks,
    long hardlinks,
    long bytes,
    List<FileFlags> fileFlags) {
  public ExtractionResult {
    fileFlags = List.copyOf(fileFlags);
  }

  /** All members: the number of lines {@code tar tvf} lists for the archive. */
  public long members() {
    return files + directories + symlinks + hardlinks;
  }
}
