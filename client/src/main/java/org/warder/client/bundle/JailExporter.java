package org.warder.client.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.warder.client.exec.Command;
import org.warder.client.exec.CommandRunner;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.host.HostOs;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailException;
import org.warder.client.jail.Jails;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.state.StateFiles;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;
import org.warder.index.BundleManifest;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Format;
import org.warder.index.BundleManifest.Kind;
import org.warder.index.BundleManifest.Member;
import org.warder.signing.PrivateFiles;

/**
 * Writes a jail or template as one bundle (DESIGN §6): its members are first written to a work
 * directory under {@code <root>/images} (each hashed as it is written, so memory stays constant
 * whatever the jail's size), then streamed after a {@code bundle.json} that lists their lengths and
 * sha256. A running jail is exported only from a ZFS snapshot ({@code live}). Not thread-safe.
 */
public final class JailExporter {
  /**
   * How to export.
   *
   * @param format zfs send streams or a portable tar; empty: zfs on ZFS storage, tar otherwise
   * @param compression of the root member
   * @param live export a running jail from a ZFS snapshot instead of refusing it
   * @param snapshot send this existing snapshot of the root (a template tag) instead of taking one
   * @param base send only the difference since this snapshot of the root (incremental, zfs format)
   */
  public record Options(
      Optional<Format> format,
      Compression compression,
      boolean live,
      Optional<String> snapshot,
      Optional<String> base) {
    /** A full export of the jail as it is now. */
    public static Options full(Optional<Format> format, Compression compression, boolean live) {
      return new Options(format, compression, live, Optional.empty(), Optional.empty());
    }
  }

  /**
   * What was written.
   *
   * @param manifest the bundle.json written first
   * @param sha256 the whole bundle's sha256
   * @param length the whole bundle's length
   */
  public record Result(BundleManifest manifest, String sha256, long length) {}

  private final HostLayout layout;
  private final Storage storage;
  private final Jails jails;
  private final CommandRunner runner;
  private final HostOs os;
  private final Clock clock;
  private final Reporter reporter;

  public JailExporter(
      HostLayout layout,
      Storage storage,
      Jails jails,
      CommandRunner runner,
      HostOs os,
      Clock clock,
      Reporter reporter) {
    this.layout = layout;
    this.storage = storage;
    this.jails = jails;
    this.runner = runner;
    this.os = os;
    this.clock = clock;
    this.reporter = reporter;
  }

  /**
   * Exports jail or template {@code name} to {@code out} (a stream that cannot seek, like standard
   * output), which is flushed, not closed. Members are staged under {@code <root>/images} first.
   */
  public Result export(String name, Options options, OutputStream out)
      throws BundleException, JailException, IOException, InterruptedException {
    return export(name, options, max -> new StagedContainer(layout.images(), out));
  }

  /**
   * Exports jail or template {@code name} into {@code file} (empty), each member written once,
   * nothing staged.
   */
  public Result export(String name, Options options, FileChannel file)
      throws BundleException, JailException, IOException, InterruptedException {
    return export(name, options, max -> new FileContainer(file, max));
  }

  /**
   * The format an export of {@code name} with {@code options} writes, after every check an export
   * makes before it reads the jail: the format fits the storage, a running jail needs --live on
   * ZFS. Reads and writes nothing else.
   */
  public Format format(String name, Options options)
      throws ExportRefusedException, JailException, IOException, InterruptedException {
    Jail jail = jails.store().get(name);
    Optional<Snapshots> snapshots = storage.snapshots();
    Format format = options.format().orElse(snapshots.isPresent() ? Format.ZFS : Format.TAR);
    if (format == Format.ZFS && snapshots.isEmpty()) {
      throw new ExportRefusedException(
          "--format zfs needs ZFS storage, but this host stores plain directories;"
              + " export with --format tar (it imports on any storage)");
    }
    boolean running = !jail.template() && jails.runtime().jid(jail.name()).isPresent();
    if (running && !options.live()) {
      throw new ExportRefusedException(
          name
              + " is running; stop it first ('warder stop "
              + name
              + "'), or export"
              + " a ZFS snapshot of it while it runs with --live");
    }
    if (options.live() && snapshots.isEmpty()) {
      throw new ExportRefusedException(
          "--live exports a ZFS snapshot, but this host stores plain directories;"
              + " stop "
              + name
              + " and export it without --live");
    }
    return format;
  }

  /** Opens the container for a bundle.json of at most {@code maxManifest} bytes. */
  @FunctionalInterface
  private interface Containers {
    BundleContainer open(int maxManifest) throws IOException;
  }

  private Result export(String name, Options options, Containers containers)
      throws BundleException, JailException, IOException, InterruptedException {
    Format format = format(name, options);
    Jail jail = jails.store().get(name);
    Optional<Snapshots> snapshots = storage.snapshots();
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    String snapshot =
        options.snapshot().orElse("warder-export-" + now.toString().replace(':', '-'));
    Optional<Snapshots> ownSnapshot = snapshots.filter(s -> options.snapshot().isEmpty());
    Kind kind = jail.template() ? Kind.TEMPLATE : Kind.JAIL;
    ObjectNode config = (ObjectNode) StateFiles.mapper().readTree(jail.props().toConfigJson());
    List<Member> longest =
        BundleManifest.expectedMembers(format, options.compression(), options.base().isPresent())
            .stream()
            .map(m -> new Member(m, BundleManifest.MAX_LENGTH, "0".repeat(64)))
            .toList();
    int maxManifest =
        new BundleManifest(
                kind,
                name,
                jail.release(),
                format,
                options.compression(),
                now,
                snapshot,
                options.base(),
                config,
                longest)
            .toJson()
            .length;
    PrivateFiles.createDirectories(layout.images()); // bundles hold jails' files: the owner's only
    Path work = Files.createTempDirectory(layout.images(), ".export-");
    try (BundleContainer container = containers.open(maxManifest)) {
      if (ownSnapshot.isPresent()) {
        ownSnapshot.get().snapshot(jail.rootName(), snapshot);
      }
      List<Member> members = new ArrayList<>();
      members.add(
          container.add(BundleManifest.FILES, Compression.NONE, out -> writeFiles(jail, out)));
      String rootMember = format.rootMember() + options.compression().suffix();
      reporter.info(
          "exporting "
              + name
              + ": "
              + rootMember
              + " ("
              + (format == Format.ZFS ? "zfs send" : "tar")
              + ")");
      if (format == Format.ZFS) {
        members.add(
            container.add(
                rootMember,
                options.compression(),
                compressed ->
                    snapshots
                        .orElseThrow()
                        .send(jail.rootName(), snapshot, options.base(), compressed)));
      } else {
        members.addAll(tarRoot(jail, options, snapshot, snapshots, work, rootMember, container));
      }
      return container.finish(
          new BundleManifest(
              kind,
              name,
              jail.release(),
              format,
              options.compression(),
              now,
              snapshot,
              options.base(),
              config,
              members));
    } finally {
      DirectoryTrees.delete(work);
      if (ownSnapshot.isPresent()) {
        ownSnapshot.get().destroySnapshot(jail.rootName(), snapshot);
      }
    }
  }

  /**
   * The root as a pax tar: the whole tree, or with {@code options.base()} only the paths whose
   * entry changed since the base tag's {@link TreeIndex} plus {@code deleted.list}. On ZFS the tree
   * is read through a clone of the snapshot (zfs-fuse has no .zfs/snapshot directory). A tagged
   * export ({@code options.snapshot()}) leaves the tree's index beside the jail, for the next tag.
   */
  private List<Member> tarRoot(
      Jail jail,
      Options options,
      String snapshot,
      Optional<Snapshots> snapshots,
      Path work,
      String rootMember,
      BundleContainer container)
      throws BundleException, IOException, InterruptedException {
    String view = HostLayout.exportViewName(work.getFileName().toString().replace(".", ""));
    // a stopped jail or a template does not change while it is read
    Optional<Snapshots> clone = snapshots.filter(s -> options.live());
    try {
      Path tree =
          clone.isPresent()
              ? clone.get().cloneSnapshot(jail.rootName(), snapshot, view)
              : storage.path(jail.rootName());
      Optional<TreeIndex> index =
          options.snapshot().isPresent() || options.base().isPresent()
              ? Optional.of(TreeIndex.of(tree))
              : Optional.empty();
      Optional<TreeIndex.Delta> delta = Optional.empty();
      if (options.base().isPresent()) {
        Path baseIndex = indexFile(jail, options.base().get());
        if (!Files.isRegularFile(baseIndex)) {
          throw new ExportRefusedException(
              "no index of "
                  + options.base().get()
                  + " of "
                  + jail.name()
                  + " on this"
                  + " host ("
                  + baseIndex
                  + "), so the difference cannot be computed; publish a full bundle");
        }
        delta = Optional.of(index.orElseThrow().since(TreeIndex.read(baseIndex)));
      }
      Optional<Path> list = Optional.empty();
      if (delta.isPresent()) {
        list = Optional.of(work.resolve("changed.list"));
        Files.write(list.get(), nulTerminated(delta.get().changed()));
        reporter.info(
            "  "
                + delta.get().changed().size()
                + " path(s) changed, "
                + delta.get().removed().size()
                + " removed since "
                + options.base().get());
      }
      List<String> argv = RootArchive.create(os, tree, list);
      List<Member> members = new ArrayList<>();
      members.add(
          container.add(
              rootMember,
              options.compression(),
              compressed ->
                  runner.stream(Command.of(argv), stdout -> stdout.transferTo(compressed))));
      if (delta.isPresent()) {
        byte[] removed = nulTerminated(delta.get().removed());
        members.add(
            container.add(BundleManifest.DELETED, Compression.NONE, out -> out.write(removed)));
      }
      if (index.isPresent()) {
        index.get().write(indexFile(jail, snapshot));
      }
      return members;
    } finally {
      if (clone.isPresent()) {
        storage.destroy(view);
      }
    }
  }

  private Path indexFile(Jail jail, String snapshot) {
    return layout.tagIndex(jail.storageName(), snapshot);
  }

  private static byte[] nulTerminated(List<String> paths) {
    StringBuilder b = new StringBuilder();
    paths.forEach(p -> b.append(p).append('\0'));
    return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * files.tar: the jail directory's own files a bundle carries ({@link JailDirectoryFiles}:
   * config.json, the plugin records and plugin/), never its root (not even walked: it may hold a
   * million files), its tag indexes, or what each host writes itself (fstab, which names this
   * host's paths, jail.conf, console.log).
   */
  private void writeFiles(Jail jail, OutputStream out) throws IOException {
    Path dir = jails.store().dir(jail.name().value(), jail.template());
    List<Path> paths = new ArrayList<>();
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
            if (d.equals(dir)) {
              return FileVisitResult.CONTINUE;
            }
            if (!dir.relativize(d).getName(0).toString().equals(JailDirectoryFiles.PLUGIN)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            paths.add(d);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
            if (JailDirectoryFiles.carried(dir.relativize(f))) {
              paths.add(f);
            }
            return FileVisitResult.CONTINUE;
          }
        });
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      for (Path p : paths.stream().sorted().toList()) {
        Path rel = dir.relativize(p);
        boolean directory = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        if (!directory && !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          reporter.warning(p + " is neither a file nor a directory; not exported");
          continue;
        }
        tar.putArchiveEntry(
            new TarArchiveEntry(p, rel + (directory ? "/" : ""), LinkOption.NOFOLLOW_LINKS));
        if (!directory) {
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
      tar.finish();
    }
  }
}
