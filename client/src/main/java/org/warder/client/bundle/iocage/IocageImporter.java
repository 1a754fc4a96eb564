package org.warder.client.bundle.iocage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.warder.client.ClientException.Reason;
import org.warder.client.bundle.BadBundleException;
import org.warder.client.bundle.BundleException;
import org.warder.client.bundle.JailDirectoryFiles;
import org.warder.client.bundle.JailImporter.WholeBundleCheck;
import org.warder.client.bundle.iocage.IocageMembers.Member;
import org.warder.client.exec.CommandFailedException;
import org.warder.client.freebsd.FreeBsdInputException;
import org.warder.client.freebsd.Fstab;
import org.warder.client.freebsd.FstabEntry;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailException;
import org.warder.client.jail.Jails;
import org.warder.client.jail.props.Consent;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.RefusedStreamException;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;
import org.warder.signing.Digests;
import org.warder.signing.PrivateFiles;

/**
 * Imports an iocage export zip (iocage-internals §4) on ZFS storage: the whole file is checked
 * first (its sha256 against the {@code .sha256} companion and a signature, as the caller's check
 * says), then its members are mapped to datasets ({@link IocageMembers}) and each zfs send stream
 * is received into a staging dataset straight from the zip (its CRC-32 checked at its end; no
 * member is held in memory), iocage's export snapshots are dropped, its config.json is translated
 * ({@link IocageConfigReader}), and only then is the staging renamed into {@code jails/} and the
 * jail made known, with an fstab for this host. On any failure the staging is destroyed: nothing is
 * left behind. Not thread-safe.
 */
public final class IocageImporter {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** config.json and fstab are small; anything larger is not iocage's. */
  private static final int MAX_FILE = 1024 * 1024;

  /**
   * What was imported.
   *
   * @param jail the jail now on this host
   * @param sha256 the zip's sha256
   * @param length the zip's length
   */
  public record Imported(Jail jail, String sha256, long length) {}

  private final Storage storage;
  private final Jails jails;
  private final Clock clock;
  private final Reporter reporter;

  public IocageImporter(Storage storage, Jails jails, Clock clock, Reporter reporter) {
    this.storage = storage;
    this.jails = jails;
    this.clock = clock;
    this.reporter = reporter;
  }

  /**
   * Imports {@code file}, an iocage export {@code NAME_DATE.zip}, as {@code newName} or NAME;
   * config values that act on the host or weaken the jail only when {@code consent} names them.
   */
  public Imported importZip(
      Path file, Optional<String> newName, Consent consent, WholeBundleCheck check)
      throws BundleException, JailException, IOException, InterruptedException {
    Optional<Snapshots> capability = storage.snapshots();
    if (capability.isEmpty()) {
      throw new BundleException(
          Reason.CONFLICT,
          file.getFileName()
              + " is an iocage export: zfs send streams of the jail's"
              + " datasets, which only ZFS storage receives, but this host stores plain directories; keep jails on ZFS"
              + " here ('warder activate POOL/DATASET') and import it again");
    }
    Snapshots snapshots = capability.get();
    IocageImage image = IocageImage.parse(file.getFileName().toString());
    JailName name = name(image, newName);
    if (jails.creator().nameTaken(name.value())) {
      throw new BundleException(
          Reason.CONFLICT,
          "a jail or template named "
              + name
              + " already exists here; import under"
              + " another name with -n NEWNAME, or destroy the existing one first");
    }
    String sha256 = Digests.sha256Hex(file);
    long length = Files.size(file);
    check.check(sha256, length);
    try (ZipFile zip = open(file)) {
      List<Member> members = IocageMembers.of(zip, image);
      byte[] id = new byte[8];
      RANDOM.nextBytes(id);
      String staging = HostLayout.importStagingName(HexFormat.of().formatHex(id));
      boolean done = false;
      try {
        for (Member m : members) {
          receive(zip, m, snapshots, staging);
        }
        // the jail directory's mode came from the stream: the owner's only, as every jail's
        Files.setPosixFilePermissions(storage.path(staging), PrivateFiles.DIRECTORY);
        for (Member m : members) {
          String dataset = inStaging(staging, m);
          for (String snapshot : snapshots.list(dataset)) {
            snapshots.destroySnapshot(dataset, snapshot);
          }
        }
        Path dir = storage.path(staging);
        JailDirectoryFiles.checkIocage(
            dir,
            members.stream()
                .map(Member::dataset)
                .filter(d -> !d.isEmpty())
                .map(d -> d.split("/")[0])
                .collect(Collectors.toSet()),
            image.fileName());
        byte[] json =
            read(dir, "config.json", image)
                .orElseThrow(
                    () ->
                        new BadBundleException(
                            "expected the jail"
                                + " directory's stream "
                                + image.base()
                                + " to hold iocage's config.json, found none; it is not an iocage"
                                + " jail; nothing was imported"));
        ImportedConfig config =
            IocageConfigReader.read(json, image, name.value(), clock.instant(), consent);
        Jail jail = new Jail(name, config.props(), false);
        jails.mounts().baseOrigin(jail);
        Optional<byte[]> fstab = read(dir, "fstab", image);
        storage.rename(staging, jail.storageName());
        jail = jails.creator().adopt(jail);
        done = true;
        report(image, jail, config, fstab, members);
        return new Imported(jail, sha256, length);
      } finally {
        if (!done) {
          storage.destroy(staging);
        }
      }
    }
  }

  private static JailName name(IocageImage image, Optional<String> newName) throws JailException {
    try {
      return JailName.of(newName.orElse(image.name()));
    } catch (PropertyException e) {
      throw new JailException(
          e.getMessage()
              + (newName.isPresent()
                  ? ""
                  : "; the name comes from the file name "
                      + image.fileName()
                      + ": import it under another name with -n NEWNAME"),
          e);
    }
  }

  /** The zip, or a refusal naming it when it is not a whole zip archive. */
  static ZipFile open(Path file) throws BadBundleException, IOException {
    try {
      return ZipFile.builder().setPath(file).get();
    } catch (FileSystemException e) {
      throw e;
    } catch (IOException e) {
      throw new BadBundleException(
          file.getFileName()
              + " is not a whole zip archive ("
              + e.getMessage()
              + "): it is"
              + " truncated or damaged; nothing was imported",
          e);
    }
  }

  private static String inStaging(String staging, Member m) {
    return m.dataset().isEmpty() ? staging : staging + "/" + m.dataset();
  }

  private void receive(ZipFile zip, Member m, Snapshots snapshots, String staging)
      throws BadBundleException, IOException, InterruptedException {
    ZipArchiveEntry entry = m.entry();
    reporter.info(
        "receiving "
            + entry.getName()
            + " ("
            + (m.dataset().isEmpty() ? "the jail directory" : m.dataset())
            + ", "
            + entry.getSize()
            + " bytes)");
    try (InputStream in =
        new CrcCheckedInputStream(
            zip.getInputStream(entry), entry.getName(), entry.getSize(), entry.getCrc())) {
      snapshots.receive(inStaging(staging, m), in);
    } catch (RefusedStreamException e) {
      throw new BadBundleException(
          "member " + entry.getName() + " is refused: " + e.getMessage() + "; nothing was imported",
          e);
    } catch (CommandFailedException e) {
      throw new BadBundleException(
          "member "
              + entry.getName()
              + " was refused by zfs receive ("
              + e.getMessage()
              + "): it is not a zfs send stream this host can receive, or it was altered; nothing was imported",
          e);
    } catch (IOException e) {
      throw new BadBundleException(
          "member "
              + entry.getName()
              + " is truncated or damaged ("
              + e.getMessage()
              + "); nothing was imported",
          e);
    }
  }

  /**
   * A file iocage keeps in the jail directory, never followed out of it through a link; empty when
   * absent.
   */
  private static Optional<byte[]> read(Path dir, String name, IocageImage image)
      throws BadBundleException, IOException {
    Path file = dir.resolve(name);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > MAX_FILE) {
      throw new BadBundleException(
          "expected the "
              + name
              + " in "
              + image.base()
              + " to be a regular file of at"
              + " most "
              + MAX_FILE
              + " bytes, found a link, a directory or a larger file; it is not iocage's;"
              + " nothing was imported");
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.of(in.readNBytes(MAX_FILE));
    }
  }

  private void report(
      IocageImage image,
      Jail jail,
      ImportedConfig config,
      Optional<byte[]> fstab,
      List<Member> members) {
    config.notes().forEach(n -> reporter.info("note: " + n));
    config.dropped().forEach(d -> reporter.warning("dropped from iocage's config.json: " + d));
    config.screening().forEach(reporter::info);
    fstab.ifPresent(
        bytes -> reporter.info(fstabNote(new String(bytes, StandardCharsets.UTF_8), jail)));
    List<String> others =
        members.stream()
            .map(Member::dataset)
            .filter(d -> !d.isEmpty() && !d.equals("root"))
            .toList();
    if (!others.isEmpty()) {
      reporter.warning(
          "dataset(s) "
              + String.join(", ", others)
              + " were received under "
              + jail.storageName()
              + ", but warder does not delegate datasets to jails (jail_zfs): "
              + jail.name()
              + " does not see them");
    }
    reporter.info(
        jail.name()
            + " imported from iocage export "
            + image.fileName()
            + " ("
            + jail.props().identity("type").orElse("jail")
            + ", release "
            + jail.release()
            + ")");
  }

  /**
   * iocage's fstab names paths of the host that exported the jail: what was replaced, and what is
   * gone.
   */
  private static String fstabNote(String text, Jail jail) {
    String replaced =
        "iocage's fstab names paths of the host that exported "
            + jail.name()
            + "; it was written"
            + " again for this host"
            + (jail.props().isTrue("basejail")
                ? ", with the base jail's mounts of " + jail.origin().orElseThrow().storageName()
                : "");
    List<FstabEntry> entries;
    try {
      entries = Fstab.parse(text);
    } catch (FreeBsdInputException e) {
      return "warning: " + replaced + "; its own lines could not be read (" + e.getMessage() + ")";
    }
    List<String> gone = new ArrayList<>();
    for (FstabEntry e : entries) {
      boolean base =
          e.type().equals("nullfs")
              && Fstab.BASE_DIRS.stream().anyMatch(d -> e.mountPoint().endsWith("/root/" + d));
      if (!base) {
        gone.add(e.source() + " on " + e.mountPoint() + " (" + e.type() + ")");
      }
    }
    return gone.isEmpty()
        ? "note: " + replaced
        : "warning: "
            + replaced
            + "; not carried over, add them again if this host has their sources: "
            + String.join(", ", gone);
  }
}
