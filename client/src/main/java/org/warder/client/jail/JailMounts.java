package org.warder.client.jail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.freebsd.Fstab;
import org.warder.client.freebsd.FstabEntry;
import org.warder.client.jail.props.Origin;
import org.warder.client.layout.HostLayout;
import org.warder.client.storage.Storage;
import org.warder.signing.AtomicFiles;

/**
 * What a jail mounts besides its root: a base jail's read-only system directories from its origin,
 * and linprocfs; kept in the jail's fstab (jail(8) mount.fstab), written wherever the properties it
 * follows from change.
 */
public final class JailMounts {
  private final HostLayout layout;
  private final Storage storage;
  private final JailStore store;

  public JailMounts(HostLayout layout, Storage storage, JailStore store) {
    this.layout = layout;
    this.storage = storage;
    this.store = store;
  }

  /**
   * The fstab lines of {@code jail}: a base jail's read-only mounts, those of the book's list that
   * the origin has, and linprocfs when mount_linprocfs=1. Empty when there are none.
   */
  List<FstabEntry> entries(Jail jail) throws JailException, IOException, InterruptedException {
    Path root = layout.path(jail.rootName());
    List<FstabEntry> entries = new ArrayList<>();
    Optional<Origin> base = baseOrigin(jail);
    if (base.isPresent()) {
      Path origin = layout.path(base.get().storageName()).resolve("root");
      Fstab.baseJailEntries(origin, root).stream()
          .filter(e -> Files.isDirectory(Path.of(e.source()), LinkOption.NOFOLLOW_LINKS))
          .forEach(entries::add);
    }
    if (jail.props().isTrue("mount_linprocfs")) {
      entries.add(Fstab.linprocfs(root));
    }
    return entries;
  }

  /** The jail's fstab file. */
  Path fstab(Jail jail) {
    return store.dir(jail.name().value(), jail.template()).resolve("fstab");
  }

  /** Writes {@code entries} as the jail's fstab; no file when there are none. */
  void write(Jail jail, List<FstabEntry> entries) throws IOException {
    Path file = fstab(jail);
    if (entries.isEmpty()) {
      Files.deleteIfExists(file);
    } else {
      AtomicFiles.write(file, Fstab.render(entries).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Writes the jail's fstab for its present properties. */
  void writeFstab(Jail jail) throws JailException, IOException, InterruptedException {
    write(jail, entries(jail));
  }

  /**
   * The fstab lines of {@code jail} for its present properties ({@link #entries}), followed by the
   * mounts a user added ({@code warder fstab -a}) that its fstab holds: for a property change of a
   * jail of this host, never for a jail directory another host made (an import), whose fstab names
   * that host's directories.
   */
  List<FstabEntry> entriesWithUserMounts(Jail jail)
      throws JailException, IOException, InterruptedException {
    List<FstabEntry> all = new ArrayList<>(entries(jail));
    Path root = layout.path(jail.rootName());
    Optional<byte[]> bytes = JailStore.readOwnFile(fstab(jail), JailFstab.MAX_FSTAB);
    if (bytes.isPresent()) {
      try {
        Fstab.parse(new String(bytes.get(), StandardCharsets.UTF_8)).stream()
            .filter(e -> JailFstab.isUserMount(e, root))
            .forEach(all::add);
      } catch (org.warder.client.freebsd.FreeBsdInputException e) {
        throw new JailException(
            fstab(jail) + " is damaged: " + e.getMessage() + "; fix or remove it", e);
      }
    }
    return all;
  }

  /** Writes {@link #entriesWithUserMounts} as the jail's fstab. */
  void rewriteFstab(Jail jail) throws JailException, IOException, InterruptedException {
    write(jail, entriesWithUserMounts(jail));
  }

  /**
   * The release or template a base jail's system directories are read-only mounts of: its origin,
   * which must be on this host (an origin is never a path: {@link Origin}). Empty for a jail that
   * is not a base jail. Checked wherever the mounts are made: import, fstab, start.
   */
  public Optional<Origin> baseOrigin(Jail jail)
      throws JailException, IOException, InterruptedException {
    if (!jail.props().isTrue("basejail")) {
      return Optional.empty();
    }
    Origin origin =
        jail.origin()
            .orElseThrow(
                () ->
                    new JailException(
                        jail.name()
                            + " is a base jail, but its"
                            + " config.json names no origin ("
                            + Origin.RULE
                            + ") for its system directories; set basejail=0 or create"
                            + " it again from a release or template"));
    if (!storage.exists(origin.storageName())) {
      throw new JailException(
          ClientException.Reason.NOT_FOUND,
          jail.name()
              + " is a base jail: its system directories are read-only mounts of "
              + origin.describe()
              + ", which this host lacks; "
              + (origin instanceof Origin.Release r
                  ? "fetch it with 'warder fetch -r " + r.release() + "'"
                  : "import or pull that template")
              + " first");
    }
    return Optional.of(origin);
  }
}
