package org.warder.client.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.warder.signing.PrivateFiles;

/**
 * Where releases, jails and templates are stored: ZFS datasets or plain directories. Names are
 * relative to the warder root ({@code releases/14.2-RELEASE}); each adapter maps them to its own
 * objects. Implementations are thread-safe.
 */
public interface Storage {
  /** The mounted path of {@code name}. */
  Path path(String name);

  /** Whether {@code name} exists. */
  boolean exists(String name) throws IOException, InterruptedException;

  /** Creates {@code name} (and missing parents) as an empty dataset or directory. */
  Path create(String name) throws IOException, InterruptedException;

  /**
   * Creates {@code name} like {@link #create} and makes its directory its owner's only (mode 0700)
   * while it is still empty: a jail's directory or an import's staging area, whose root holds files
   * of the jail's users (uids the host shares) and setuid programs that users of the host must not
   * reach. The root inside keeps its own mode.
   */
  default Path createPrivate(String name) throws IOException, InterruptedException {
    Path dir = create(name);
    Files.setPosixFilePermissions(dir, PrivateFiles.DIRECTORY);
    return dir;
  }

  /** Destroys {@code name} and everything under it; nothing if it does not exist. */
  void destroy(String name) throws IOException, InterruptedException;

  /** Renames {@code from} to {@code to} (same parent), atomically where the backend can. */
  void rename(String from, String to) throws IOException, InterruptedException;

  /**
   * Makes {@code target} a copy of {@code source} that shares what it can: a ZFS clone of a
   * snapshot of {@code source} named {@code snapshot}; with plain directories a full copy.
   */
  Path cloneOf(String source, String snapshot, String target)
      throws IOException, InterruptedException;

  /** Makes {@code target} an independent full copy of {@code source} (thick). */
  Path copyOf(String source, String target) throws IOException, InterruptedException;

  /**
   * Copies the content of directory {@code from} over directory {@code to} (cp -a), any storage.
   */
  void copyInto(Path from, Path to) throws IOException, InterruptedException;

  /** Names (relative) whose clones originate from snapshots of {@code name}. */
  List<String> clonesOf(String name) throws IOException, InterruptedException;

  /** Makes {@code name} read-only or writable again (templates). */
  void setReadOnly(String name, boolean readOnly) throws IOException, InterruptedException;

  /**
   * Clears FreeBSD's system immutable flag below {@code path} ({@code chflags -R noschg}), so that
   * files a release marks schg can be removed or replaced; nothing on other systems.
   */
  void clearImmutableFlags(Path path) throws IOException, InterruptedException;

  /**
   * The snapshot capability (snapshots, clones of them, rollback, send and receive), where this
   * storage has it (ZFS); empty with plain directories.
   */
  Optional<Snapshots> snapshots();

  /**
   * What {@code name} takes: on plain directories the sizes of its files (each file once, links not
   * followed, other file systems mounted below left out) and what its file system has free; ZFS
   * overrides this with its own accounting.
   */
  default DiskUsage usage(String name) throws IOException, InterruptedException {
    Path dir = path(name);
    return new DiskUsage(
        Optional.empty(),
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.of(org.warder.client.host.DirectoryTrees.size(dir)),
        OptionalLong.of(Files.getFileStore(dir).getUsableSpace()));
  }

  /** {@code dir} or {@code zfs}, for display only: callers ask for capabilities instead. */
  String kind();
}
