package org.warder.client.bundle.iocage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.UnixStat;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.warder.client.bundle.BundleException;
import org.warder.client.bundle.ExportRefusedException;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailException;
import org.warder.client.jail.Jails;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Digests;
import org.warder.signing.PrivateFiles;

/**
 * Writes a jail as iocage 1.x exports one (iocage-internals §4.1), so that {@code iocage import}
 * takes it: {@code NAME_DATE.zip} (UTC date) holding, deflated, with zip64 where a member needs it,
 * a full {@code zfs send} of a dataset holding iocage's files of the jail (its config.json, from
 * {@link IocageConfigWriter}, an empty fstab and the root's mount point) as {@code
 * iocage/images/NAME_DATE}, then one of the root at snapshot {@code ioc-export-DATE} as {@code
 * iocage/images/NAME_DATE_root}; and beside it {@code NAME_DATE.sha256}, the zip's sha256 in
 * lower-case hex without file name or newline. Each stream goes from {@code zfs send} through the
 * deflater into the file, never held in memory. The snapshots and the temporary dataset are removed
 * on every path. Not thread-safe.
 *
 * <p>The members carry iocage's current prefix for its documented root {@code /iocage}: iocage's
 * importer maps a member by splitting its name at the first {@code DATE_} and then the first {@code
 * NAME_}; {@code iocage/images/} holds no {@code _}, so it cannot match there, whatever the jail's
 * name, while this host's own root path might.
 */
public final class IocageExporter {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What was written.
   *
   * @param file the zip
   * @param sha256 its sha256, as its companion holds it
   * @param length its length
   */
  public record Exported(Path file, String sha256, long length) {}

  private final HostLayout layout;
  private final Storage storage;
  private final Jails jails;
  private final Clock clock;
  private final Reporter reporter;

  public IocageExporter(
      HostLayout layout, Storage storage, Jails jails, Clock clock, Reporter reporter) {
    this.layout = layout;
    this.storage = storage;
    this.jails = jails;
    this.clock = clock;
    this.reporter = reporter;
  }

  /**
   * Exports jail or template {@code name} to {@code output} (named {@code NAME_DATE.zip}), by
   * default {@code <root>/images/NAME_DATE.zip} with today's date; a running jail only when {@code
   * live} (from a snapshot taken now).
   */
  public Exported export(String name, Optional<Path> output, boolean live)
      throws BundleException, JailException, IOException, InterruptedException {
    Snapshots snapshots =
        storage
            .snapshots()
            .orElseThrow(
                () ->
                    new ExportRefusedException(
                        "--format iocage writes zfs send streams, as iocage does, but this host"
                            + " stores plain directories; export with --format tar (warder's"
                            + " portable format) instead"));
    Jail jail = jails.store().get(name);
    if (!jail.template() && jails.runtime().jid(jail.name()).isPresent() && !live) {
      throw new ExportRefusedException(
          name
              + " is running; stop it first ('warder stop "
              + name
              + "'), or export"
              + " a ZFS snapshot of it while it runs with --live");
    }
    IocageImage image = image(name, output);
    Path file = output.orElseGet(() -> layout.images().resolve(image.fileName())).toAbsolutePath();
    IocageConfigWriter.Written config = IocageConfigWriter.write(jail);
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    String files = HostLayout.iocageExportName(HexFormat.of().formatHex(id));
    String snapshot = image.snapshot();
    // the zip holds the jail's files (its master.passwd, its keys): the owner's only, from the
    // first byte
    PrivateFiles.createDirectories(file.getParent());
    Path part =
        AtomicFiles.createTemp(file.getParent(), file.getFileName().toString(), PrivateFiles.FILE);
    boolean rootSnapshot = false;
    try {
      Path dir = storage.create(files);
      Files.writeString(dir.resolve("config.json"), config.json(), StandardCharsets.UTF_8);
      Files.createFile(dir.resolve("fstab"));
      Files.createDirectory(dir.resolve(HostLayout.ROOT));
      snapshots.snapshot(files, snapshot);
      snapshots.snapshot(jail.rootName(), snapshot);
      rootSnapshot = true;
      try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE);
          ZipArchiveOutputStream zip = new ZipArchiveOutputStream(channel)) {
        zip.setUseZip64(Zip64Mode.AsNeeded);
        member(zip, image.memberName(""), snapshots, files, snapshot);
        member(zip, image.memberName("root"), snapshots, jail.rootName(), snapshot);
        zip.finish();
        channel.force(true);
      }
      AtomicFiles.move(part, file);
    } finally {
      Files.deleteIfExists(part);
      storage.destroy(files);
      if (rootSnapshot) {
        snapshots.destroySnapshot(jail.rootName(), snapshot);
      }
    }
    String sha256 = Digests.sha256Hex(file);
    AtomicFiles.write(IocageImage.sha256File(file), sha256.getBytes(StandardCharsets.US_ASCII));
    config.leftOut().forEach(l -> reporter.info("note: not in iocage's config.json: " + l));
    return new Exported(file, sha256, Files.size(file));
  }

  /** The image {@code output} names; iocage reads the jail's name and the date from it. */
  private IocageImage image(String name, Optional<Path> output) throws ExportRefusedException {
    IocageImage today = IocageImage.of(name, LocalDate.now(clock.withZone(ZoneOffset.UTC)));
    if (output.isEmpty()) {
      return today;
    }
    String fileName = output.get().getFileName().toString();
    return IocageImage.tryParse(fileName)
        .filter(i -> i.name().equals(name))
        .orElseThrow(
            () ->
                new ExportRefusedException(
                    "iocage reads the jail's name and the export's date from the zip's file name:"
                        + " expected -o [DIR/]"
                        + name
                        + "_DATE.zip ("
                        + today.fileName()
                        + " today), found "
                        + fileName));
  }

  /**
   * One member: a zfs send stream of {@code dataset@snapshot}, deflated, as iocage's Python zipfile
   * writes it.
   */
  private void member(
      ZipArchiveOutputStream zip,
      String member,
      Snapshots snapshots,
      String dataset,
      String snapshot)
      throws IOException, InterruptedException {
    reporter.info("exporting " + dataset + "@" + snapshot + " as " + member);
    ZipArchiveEntry entry = new ZipArchiveEntry(member);
    entry.setMethod(ZipArchiveEntry.DEFLATED);
    entry.setUnixMode(UnixStat.FILE_FLAG | 0644);
    entry.setTime(clock.millis());
    zip.putArchiveEntry(entry);
    snapshots.send(dataset, snapshot, Optional.empty(), zip);
    zip.closeArchiveEntry();
  }
}
