package org.warder.client.bundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.host.HostOs;

/**
 * The argv of the archiver that writes a jail root as a pax tar to stdout: libarchive's tar, which
 * FreeBSD ships as {@code tar} and Debian as {@code bsdtar}. It keeps modes (setuid included),
 * numeric owners, symlinks, hardlinks, and on FreeBSD the file flags ({@code SCHILY.fflags}), all
 * of which {@link org.warder.client.archive.TarExtractor} restores.
 */
final class RootArchive {
  private RootArchive() {}

  /**
   * {@code tar -c -f - --format pax --numeric-owner -C DIR .} (bsdtar on Linux); with {@code list},
   * only the paths it names (NUL-terminated, relative to DIR), each without recursing.
   */
  static List<String> create(HostOs os, Path dir, Optional<Path> list) {
    List<String> argv = new ArrayList<>();
    argv.add(os == HostOs.FREEBSD ? "tar" : "bsdtar");
    argv.addAll(
        List.of("-c", "-f", "-", "--format", "pax", "--numeric-owner", "-C", dir.toString()));
    if (list.isPresent()) {
      argv.addAll(List.of("-n", "--null", "-T", list.get().toString()));
    } else {
      argv.add(".");
    }
    return argv;
  }
}
