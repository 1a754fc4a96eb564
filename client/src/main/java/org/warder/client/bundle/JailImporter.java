package org.warder.client.bundle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.warder.client.ClientException.Reason;
import org.warder.client.archive.ArchiveException;
import org.warder.client.archive.TarExtractor;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailDevfs;
import org.warder.client.jail.JailException;
import org.warder.client.jail.Jails;
import org.warder.client.jail.props.Consent;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.plan.StepFailedException;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.RefusedStreamException;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;
import org.warder.index.BundleManifest;
import org.warder.index.BundleManifest.Format;
import org.warder.index.BundleManifest.Kind;
import org.warder.index.BundleManifest.Member;
import org.warder.index.CatalogException;

/**
 * Imports a bundle (DESIGN §6) from a stream, file or pipe alike: bundle.json first, then each
 * member received as it streams in (a {@code zfs receive} or a tar extraction into a staging
 * dataset or directory under {@code staging/}), its length and sha256 checked against bundle.json
 * at its end, then the whole bundle checked ({@link WholeBundleCheck}: the {@code .sha256}
 * companion, a signature). Only then is the staging renamed into {@code jails/} (or {@code
 * templates/}) and the jail visible. On any failure the staging is destroyed: nothing is left
 * behind. No member is ever held in memory. Not thread-safe.
 */
public final class JailImporter {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** tar's block size. */
  private static final int BLOCK = 512;

  /** A check of the whole bundle, once all of it was read and before anything becomes visible. */
  @FunctionalInterface
  public interface WholeBundleCheck {
    /**
     * Accepts nothing: per-member digests only (what an unsigned bundle without companion offers).
     */
    WholeBundleCheck NONE = (sha256, length) -> {};

    /**
     * Refuses the bundle unless it is the one expected; may wait for what it needs (a download
     * still verifying the bundle's end).
     */
    void check(String sha256, long length) throws BundleException, InterruptedException;
  }

  /**
   * What was imported.
   *
   * @param jail the jail or template now on this host
   * @param manifest the bundle's bundle.json
   * @param sha256 the whole bundle's sha256
   * @param length the whole bundle's length
   */
  public record Imported(Jail jail, BundleManifest manifest, String sha256, long length) {}

  private final HostLayout layout;
  private final Storage storage;
  private final Jails jails;
  private final TarExtractor extractor;
  private final Reporter reporter;

  public JailImporter(
      HostLayout layout, Storage storage, Jails jails, TarExtractor extractor, Reporter reporter) {
    this.layout = layout;
    this.storage = storage;
    this.jails = jails;
    this.extractor = extractor;
    this.reporter = reporter;
  }

  /**
   * Imports the bundle read from {@code in} (read to its end, not closed) as {@code newName}, or
   * under the name it carries, with {@code identity} keys set (a pulled template's origin). Config
   * values that act on the host or weaken the jail are dropped and listed unless {@code consent}
   * names their keys.
   */
  public Imported importBundle(
      InputStream in,
      Optional<String> newName,
      Map<String, String> identity,
      Consent consent,
      WholeBundleCheck check)
      throws BundleException, JailException, IOException, InterruptedException {
    return run(plan(in, newName, identity, consent), check);
  }

  /**
   * The steps that import the bundle read from {@code in} as {@code newName} (or the name it
   * carries): stage (receive and verify every member into a staging dataset), promote (rename it to
   * the jail's), adopt (write its config and fstab). Reads only bundle.json; every check that needs
   * no member is made (the name is valid and free, the bundle fits this host, its config screened
   * by {@code consent}, each drop listed). Changes nothing.
   */
  public Import plan(
      InputStream in, Optional<String> newName, Map<String, String> identity, Consent consent)
      throws BundleException, JailException, IOException, InterruptedException {
    Reading reading = Reading.open(in);
    BundleManifest manifest = reading.manifest();
    String name = newName.orElse(manifest.name());
    checkName(name);
    checkFits(manifest, name);
    Jail jail;
    try {
      jail =
          new Jail(
              JailName.of(name),
              screened(manifest, name, identity, consent),
              manifest.kind() == Kind.TEMPLATE);
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
    return new Import(reading, jail, newStaging());
  }

  /**
   * Runs {@code i}'s steps, the whole bundle checked by {@code check} once read; on failure the
   * completed steps are undone (no staging is left) and the step's own failure is thrown.
   */
  public Imported run(Import i, WholeBundleCheck check)
      throws BundleException, JailException, IOException, InterruptedException {
    i.check = check;
    try {
      i.plan().run(reporter, false, List::of);
    } catch (StepFailedException e) {
      // the import's callers and tests tell bundle, jail and I/O failures apart
      Throwable cause = e.getCause();
      if (cause instanceof BundleException b) {
        throw b;
      } else if (cause instanceof JailException j) {
        throw j;
      } else if (cause instanceof IOException io) {
        throw io;
      } else if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new BundleException(e.reason(), e.getMessage(), e);
    }
    BundleManifest manifest = i.reading.manifest();
    reporter.info(
        i.jail.name()
            + " imported ("
            + manifest.kind().name().toLowerCase(java.util.Locale.ROOT)
            + ", "
            + manifest.format().label()
            + ", release "
            + manifest.release()
            + ")");
    return new Imported(i.adopted, manifest, i.sha256, i.reading.whole.count());
  }

  /**
   * Reads the rest of the bundle {@code i} was planned from, checking every member against
   * bundle.json and the whole bundle with {@code check}, writing nothing: what a dry run can verify
   * without receiving the members. Returns the bundle's sha256.
   */
  public String verify(Import i, WholeBundleCheck check)
      throws BundleException, IOException, InterruptedException {
    return i.reading.readMembers((member, bytes) -> {}, check);
  }

  /** A planned import: the jail it makes and the steps that make it. Run it once. */
  public final class Import {
    private final Reading reading;
    private final Jail jail;
    private final String staging;
    private final Plan plan;
    private WholeBundleCheck check = WholeBundleCheck.NONE;
    private String sha256 = "";
    private Jail adopted;

    private Import(Reading reading, Jail jail, String staging) {
      this.reading = reading;
      this.jail = jail;
      this.staging = staging;
      this.adopted = jail;
      this.plan = new Plan(List.of(new Stage(), new Promote(), new Adopt()));
    }

    /** The jail or template the import makes. */
    public Jail jail() {
      return jail;
    }

    /** The bundle's bundle.json. */
    public BundleManifest manifest() {
      return reading.manifest();
    }

    public Plan plan() {
      return plan;
    }

    /** Receives every member into the staging area, verifying each and then the whole bundle. */
    private final class Stage implements Step {
      @Override
      public String name() {
        return "stage";
      }

      @Override
      public List<String> describe() {
        BundleManifest manifest = reading.manifest();
        List<String> lines = new ArrayList<>();
        lines.add("create " + staging + " (readable by root only)");
        for (Member m : manifest.members()) {
          lines.add(
              (m.name().equals(BundleManifest.FILES)
                      ? "unpack " + m.name() + " into " + staging
                      : (manifest.format() == Format.ZFS ? "zfs receive " : "extract ")
                          + m.name()
                          + " into "
                          + HostLayout.rootName(staging))
                  + " ("
                  + m.length()
                  + " bytes, sha256 "
                  + m.sha256()
                  + " as bundle.json says)");
        }
        lines.add("check the whole bundle against its .sha256 and signature, when given");
        return lines;
      }

      @Override
      public void run(Reporter r) throws BundleException, IOException, InterruptedException {
        storage.createPrivate(staging);
        BundleManifest manifest = reading.manifest();
        try {
          sha256 =
              reading.readMembers(
                  (member, bytes) -> unpack(manifest, member, staging, bytes), check);
        } catch (BundleException | IOException | InterruptedException | RuntimeException e) {
          discard(e); // the plan undoes completed steps only
          throw e;
        }
      }

      /**
       * Removes the staging area of a failed stage; a failure to do so is reported with, not
       * instead of, the failure that made it fail.
       */
      private void discard(Exception failure) {
        try {
          storage.destroy(staging);
        } catch (IOException | InterruptedException e) {
          failure.addSuppressed(e);
          reporter.warning(
              "could not remove "
                  + storage.path(staging)
                  + " ("
                  + e.getMessage()
                  + "); remove it by hand");
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
          }
        }
      }

      @Override
      public void undo(Reporter r) throws IOException, InterruptedException {
        storage.destroy(staging);
      }
    }

    /** Renames the verified staging area to the jail's own. */
    private final class Promote implements Step {
      @Override
      public String name() {
        return "promote";
      }

      @Override
      public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (Integer.parseInt(jail.props().value("devfs_ruleset")) < JailDevfs.FIRST_OWN_RULESET) {
          lines.add("drop " + JailDirectoryFiles.DEVFS_RULES + " (devfs_ruleset was not allowed)");
        }
        lines.add("rename " + staging + " to " + jail.storageName());
        if (keepsNoSnapshot()) {
          lines.add("destroy " + jail.rootName() + "@" + reading.manifest().snapshot());
        }
        return lines;
      }

      private boolean keepsNoSnapshot() {
        return reading.manifest().format() == Format.ZFS
            && !jail.template()
            && storage.snapshots().isPresent();
      }

      @Override
      public void run(Reporter r) throws IOException, InterruptedException {
        Path devfsRules = storage.path(staging).resolve(JailDirectoryFiles.DEVFS_RULES);
        if (Integer.parseInt(jail.props().value("devfs_ruleset")) < JailDevfs.FIRST_OWN_RULESET
            && Files.deleteIfExists(devfsRules)) {
          reporter.warning(
              "dropped the jail's own devfs rules ("
                  + JailDirectoryFiles.DEVFS_RULES
                  + ") with"
                  + " devfs_ruleset; to keep them: "
                  + Consent.FLAG
                  + " devfs_ruleset");
        }
        storage.rename(staging, jail.storageName());
        if (keepsNoSnapshot()) {
          storage
              .snapshots()
              .orElseThrow()
              .destroySnapshot(jail.rootName(), reading.manifest().snapshot());
        }
      }

      @Override
      public void undo(Reporter r) throws IOException, InterruptedException {
        storage.destroy(jail.storageName());
      }
    }

    /**
     * Writes the jail's config and fstab (a template's root made read-only, a tar template's tag
     * recorded).
     */
    private final class Adopt implements Step {
      @Override
      public String name() {
        return "adopt";
      }

      @Override
      public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("write " + jail.name() + "'s config.json and fstab");
        if (jail.template()) {
          lines.add("make " + jail.rootName() + " read-only");
          if (reading.manifest().format() == Format.TAR) {
            lines.add(
                "record tag "
                    + reading.manifest().snapshot()
                    + (storage.snapshots().isPresent()
                        ? " (snapshot "
                            + jail.rootName()
                            + "@"
                            + reading.manifest().snapshot()
                            + ")"
                        : "")
                    + " and its tree's index");
          }
        }
        return lines;
      }

      @Override
      public void run(Reporter r) throws JailException, IOException, InterruptedException {
        adopted = jails.creator().adopt(jail);
        BundleManifest manifest = reading.manifest();
        if (jail.template() && manifest.format() == Format.TAR) {
          // what the next tag's difference is applied to: a snapshot on ZFS, the tree's index with
          // directories
          Optional<Snapshots> snapshots = storage.snapshots();
          if (snapshots.isPresent()) {
            snapshots.get().snapshot(jail.rootName(), manifest.snapshot());
          }
          TreeIndex.of(storage.path(jail.rootName()))
              .write(layout.tagIndex(jail.storageName(), manifest.snapshot()));
        }
      }
    }
  }

  /**
   * Applies an incremental template bundle to local template {@code template}, which must hold the
   * bundle's base: a {@code zfs send -i} stream is received into the template's root (which gains
   * the bundle's snapshot); a tar delta (changed paths and {@code deleted.list}) is laid over the
   * root, in place on ZFS (then snapshotted), on a copy swapped in with directories, and only if
   * the root is still exactly the base tag's tree. Every member is verified before the root
   * changes; if anything fails, a ZFS root is rolled back to the base snapshot. The template's
   * config becomes the bundle's, with {@code identity} set and what {@code consent} does not allow
   * dropped.
   */
  public Imported applyIncremental(
      InputStream in,
      Jail template,
      Map<String, String> identity,
      Consent consent,
      WholeBundleCheck check)
      throws BundleException, JailException, IOException, InterruptedException {
    Reading reading = Reading.open(in);
    BundleManifest manifest = reading.manifest();
    String base =
        manifest
            .base()
            .orElseThrow(
                () ->
                    new BundleException(
                        Reason.CONFLICT,
                        "expected an incremental bundle for"
                            + " template "
                            + template.name()
                            + ", found a full one; import it as a new template"));
    Optional<Snapshots> snapshots = storage.snapshots();
    if (manifest.kind() != Kind.TEMPLATE
        || (manifest.format() == Format.ZFS && snapshots.isEmpty())) {
      throw new BundleException(
          Reason.CONFLICT,
          "expected an incremental template bundle this host can apply, found a "
              + manifest.kind().name().toLowerCase(java.util.Locale.ROOT)
              + " "
              + manifest.format().label()
              + " bundle on "
              + storage.kind()
              + " storage");
    }
    checkHolds(template, base);
    String staging = newStaging();
    boolean changed = false;
    boolean done = false;
    try {
      Path work = storage.createPrivate(staging);
      Path files = Files.createDirectory(work.resolve("files"));
      Path delta = work.resolve("delta");
      Path deleted = work.resolve(BundleManifest.DELETED);
      String sha256 =
          reading.readMembers(
              (member, bytes) -> {
                if (member.name().equals(BundleManifest.FILES)) {
                  JailDirectoryFiles.unpack(extractor, bytes, files);
                } else if (member.name().equals(BundleManifest.DELETED)) {
                  Files.copy(bytes, deleted);
                } else if (manifest.format() == Format.ZFS) {
                  snapshots
                      .get()
                      .receive(
                          template.rootName(), Codecs.decompress(manifest.compression(), bytes));
                } else {
                  extractor.extract(Codecs.decompress(manifest.compression(), bytes), delta);
                }
              },
              check);
      if (manifest.format() == Format.TAR) {
        changed = true;
        patch(template, staging, delta, deleted, manifest.snapshot());
      }
      Jail updated =
          new Jail(
              template.name(),
              screened(manifest, template.name().value(), identity, consent),
              true);
      jails.store().save(updated);
      done = true;
      reporter.info(template.name() + ": applied " + manifest.snapshot() + " over " + base);
      return new Imported(updated, manifest, sha256, reading.whole.count());
    } finally {
      storage.destroy(staging);
      if (!done && snapshots.isPresent()) {
        Snapshots held = snapshots.get();
        if (changed || held.list(template.rootName()).contains(manifest.snapshot())) {
          held.rollback(template.rootName(), base);
          storage.setReadOnly(template.rootName(), true);
        }
      }
    }
  }

  /**
   * Whether the template holds {@code base}: the ZFS snapshot, or with directories the base tag's
   * exact tree.
   */
  private void checkHolds(Jail template, String base)
      throws BundleException, IOException, InterruptedException {
    Optional<Snapshots> snapshots = storage.snapshots();
    if (snapshots.isPresent()) {
      List<String> held = snapshots.get().list(template.rootName());
      if (!held.contains(base)) {
        throw new BundleException(
            Reason.CONFLICT,
            "template "
                + template.name()
                + " does not hold snapshot "
                + base
                + ", which"
                + " this bundle builds on (it holds "
                + (held.isEmpty() ? "none" : String.join(", ", held))
                + "); fetch the full bundle instead");
      }
      return;
    }
    Path index = layout.tagIndex(template.storageName(), base);
    if (!Files.isRegularFile(index)) {
      throw new BundleException(
          Reason.CONFLICT,
          "template "
              + template.name()
              + " has no record of "
              + base
              + ", which this"
              + " bundle builds on; fetch the full bundle instead");
    }
    if (!TreeIndex.of(storage.path(template.rootName())).equals(TreeIndex.read(index))) {
      throw new BundleException(
          Reason.CONFLICT,
          "template "
              + template.name()
              + " was changed since "
              + base
              + ", which this"
              + " bundle builds on; fetch the full bundle into a new template instead");
    }
  }

  /**
   * Lays a verified tar delta over the template's root: in place on ZFS (writable for the time,
   * then snapshotted as {@code snapshot}), on a copy swapped in with directories; then records the
   * new tree's index.
   */
  private void patch(Jail template, String staging, Path delta, Path deleted, String snapshot)
      throws BundleException, IOException, InterruptedException {
    if (!Files.exists(delta)) {
      Files.createDirectory(delta); // an empty delta tar creates nothing
    }
    String root = template.rootName();
    Optional<Snapshots> snapshots = storage.snapshots();
    if (snapshots.isPresent()) {
      storage.setReadOnly(root, false);
      TreePatch.apply(storage.path(root), deleted, delta, storage);
      storage.setReadOnly(root, true);
      snapshots.get().snapshot(root, snapshot);
    } else {
      String copy = HostLayout.rootName(staging);
      storage.copyOf(root, copy);
      TreePatch.apply(storage.path(copy), deleted, delta, storage);
      storage.rename(root, staging + "/old");
      storage.rename(copy, root);
    }
    TreeIndex.of(storage.path(root)).write(layout.tagIndex(template.storageName(), snapshot));
  }

  private static String newStaging() {
    return HostLayout.importStagingName(HexFormat.of().formatHex(RANDOM.generateSeed(8)));
  }

  /** Unpacks one member as it streams in; reads what it needs of {@code bytes}. */
  @FunctionalInterface
  private interface MemberSink {
    void unpack(Member member, InputStream bytes)
        throws ArchiveException, BadBundleException, IOException, InterruptedException;
  }

  /** One bundle being read: the outer tar, the whole bundle's digest, and its bundle.json. */
  private record Reading(
      DigestingInputStream whole,
      TarArchiveInputStream tar,
      TarArchiveEntry head,
      BundleManifest manifest) {
    static Reading open(InputStream in) throws BadBundleException {
      DigestingInputStream whole = new DigestingInputStream(in);
      TarArchiveInputStream tar = new TarArchiveInputStream(whole);
      TarArchiveEntry head = firstEntry(tar, whole);
      return new Reading(whole, tar, head, readManifest(tar, whole, head));
    }

    /**
     * Streams every member into {@code sink}, checking each against bundle.json; then the end of
     * the bundle, and the whole bundle with {@code check}. Returns the bundle's sha256.
     */
    String readMembers(MemberSink sink, WholeBundleCheck check)
        throws BundleException, IOException, InterruptedException {
      for (Member member : manifest.members()) {
        receive(this, member, sink);
      }
      TarArchiveEntry extra = next(tar, whole);
      if (extra != null) {
        throw new BadBundleException(
            "expected the bundle to end after "
                + manifest.members().get(manifest.members().size() - 1).name()
                + ", found another member \""
                + extra.getName()
                + "\"; the bundle was altered; nothing was imported");
      }
      try {
        whole.drain();
      } catch (IOException e) {
        throw damaged(whole, e);
      }
      long minimum = endOfArchive(head.getSize(), manifest);
      if (whole.count() < minimum || whole.count() % BLOCK != 0) {
        throw new BadBundleException(
            "expected the bundle to end with tar's end-of-archive marker, at byte "
                + minimum
                + " or later on a "
                + BLOCK
                + "-byte block, found its end at byte "
                + whole.count()
                + "; it is truncated; nothing was imported");
      }
      String sha256 = whole.sha256();
      check.check(sha256, whole.count());
      return sha256;
    }
  }

  /**
   * The least length of a bundle with these members: a header and padded data each, two zero
   * blocks.
   */
  private static long endOfArchive(long manifestSize, BundleManifest manifest) {
    long length = BLOCK + padded(manifestSize);
    for (Member m : manifest.members()) {
      length += BLOCK + padded(m.length());
    }
    return length + 2 * BLOCK;
  }

  private static long padded(long length) {
    return (length + BLOCK - 1) / BLOCK * BLOCK;
  }

  /** The first member, which must be bundle.json. */
  private static TarArchiveEntry firstEntry(TarArchiveInputStream tar, DigestingInputStream whole)
      throws BadBundleException {
    TarArchiveEntry first = next(tar, whole);
    if (first == null || !first.isFile() || !first.getName().equals(BundleManifest.FILE_NAME)) {
      throw new BadBundleException(
          "expected a warder bundle, whose first member is "
              + BundleManifest.FILE_NAME
              + ", found "
              + (first == null ? "no member at all" : "\"" + first.getName() + "\"")
              + "; for an iocage export use the .zip it wrote");
    }
    return first;
  }

  private static BundleManifest readManifest(
      TarArchiveInputStream tar, DigestingInputStream whole, TarArchiveEntry first)
      throws BadBundleException {
    if (first.getSize() > BundleManifest.MAX_BYTES) {
      throw new BadBundleException(
          "expected a bundle.json of at most "
              + BundleManifest.MAX_BYTES
              + " bytes, found "
              + first.getSize()
              + "; the bundle is damaged or hostile; nothing was imported");
    }
    try {
      byte[] json = tar.readNBytes((int) first.getSize());
      if (json.length != first.getSize()) {
        throw new BadBundleException(
            "the bundle ends inside bundle.json; it is truncated; nothing was imported");
      }
      return BundleManifest.parse(json).value();
    } catch (IOException e) {
      throw damaged(whole, e);
    } catch (CatalogException e) {
      throw new BadBundleException(e.getMessage() + "; nothing was imported", e);
    }
  }

  /** Refuses {@code name} unless it is a valid jail name no jail or template here has. */
  public void checkName(String name)
      throws BundleException, JailException, IOException, InterruptedException {
    try {
      JailName.of(name);
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
    if (jails.creator().nameTaken(name)) {
      throw new BundleException(
          Reason.CONFLICT,
          "a jail or template named "
              + name
              + " already exists here; import under"
              + " another name with -n NEWNAME, or destroy the existing one first");
    }
  }

  /**
   * A ZFS bundle on directories, a config.json warder refuses (an origin that is not a release or
   * template of this host), a base jail's missing origin: each said before any byte lands.
   */
  private void checkFits(BundleManifest manifest, String name)
      throws BundleException, JailException, IOException, InterruptedException {
    if (manifest.format() == Format.ZFS && storage.snapshots().isEmpty()) {
      throw new BundleException(
          Reason.CONFLICT,
          "this is a zfs bundle (zfs send streams), but this host stores plain"
              + " directories; export it again with --format tar on its host, or keep jails on ZFS here"
              + " ('warder activate POOL/DATASET')");
    }
    if (manifest.incremental()) {
      throw new BundleException(
          Reason.CONFLICT,
          "this bundle holds only the changes since snapshot "
              + manifest.base().get()
              + " of template "
              + manifest.name()
              + "; pull the template from its registry instead"
              + " ('warder create -t REPO:TEAM/NAME:TAG'), which applies it to the tag this host holds");
    }
    try {
      jails
          .mounts()
          .baseOrigin(
              new Jail(
                  JailName.of(name), declared(manifest, name), manifest.kind() == Kind.TEMPLATE));
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
  }

  private static void receive(Reading reading, Member member, MemberSink sink)
      throws BundleException, IOException, InterruptedException {
    TarArchiveInputStream tar = reading.tar();
    DigestingInputStream whole = reading.whole();
    TarArchiveEntry entry = next(tar, whole);
    if (entry == null) {
      throw new BadBundleException(
          "expected member "
              + member.name()
              + " ("
              + member.length()
              + " bytes), found the"
              + " end of the bundle at byte "
              + whole.count()
              + "; it is truncated; nothing was imported");
    }
    if (!entry.isFile() || !entry.getName().equals(member.name())) {
      throw new BadBundleException(
          "expected member "
              + member.name()
              + " as bundle.json lists it, found \""
              + entry.getName()
              + "\"; the bundle was altered; nothing was imported");
    }
    if (entry.getSize() != member.length()) {
      throw new BadBundleException(
          "member "
              + member.name()
              + ": expected "
              + member.length()
              + " bytes as"
              + " bundle.json says, found "
              + entry.getSize()
              + "; the bundle was altered; nothing was imported");
    }
    DigestingInputStream bytes = new DigestingInputStream(tar);
    Exception failure = null;
    try {
      sink.unpack(member, bytes);
    } catch (ArchiveException | BadBundleException | IOException e) {
      failure = e;
    }
    try {
      bytes.drain();
    } catch (IOException e) {
      throw damaged(whole, e);
    }
    if (bytes.count() != member.length()) {
      throw new BadBundleException(
          "member "
              + member.name()
              + ": expected "
              + member.length()
              + " bytes, the bundle"
              + " ends after "
              + bytes.count()
              + "; it is truncated; nothing was imported");
    }
    String sha = bytes.sha256();
    if (!sha.equals(member.sha256())) {
      throw new BadBundleException(
          "member "
              + member.name()
              + ": expected sha256 "
              + member.sha256()
              + " as bundle.json"
              + " says, found "
              + sha
              + "; the bundle was altered or damaged; nothing was imported");
    }
    if (failure instanceof ArchiveException
        || failure instanceof RefusedStreamException
        || failure instanceof BadBundleException) {
      throw new BadBundleException(
          "member "
              + member.name()
              + " is refused: "
              + failure.getMessage()
              + "; nothing was imported",
          failure);
    }
    if (failure instanceof IOException e) {
      throw new BadBundleException(
          "member "
              + member.name()
              + " could not be received: "
              + e.getMessage()
              + "; nothing was imported",
          e);
    }
  }

  private void unpack(BundleManifest manifest, Member member, String staging, InputStream bytes)
      throws ArchiveException, BadBundleException, IOException, InterruptedException {
    if (member.name().equals(BundleManifest.FILES)) {
      JailDirectoryFiles.unpack(extractor, bytes, storage.path(staging));
      return;
    }
    InputStream plain = Codecs.decompress(manifest.compression(), bytes);
    String root = HostLayout.rootName(staging);
    if (manifest.format() == Format.ZFS) {
      // checkFits refused a zfs bundle on storage without snapshots before any byte was read
      storage.snapshots().orElseThrow().receive(root, plain);
    } else {
      extractor.extract(plain, storage.create(root));
    }
  }

  /** The next tar entry; a damaged or truncated header is a bad bundle. */
  private static TarArchiveEntry next(TarArchiveInputStream tar, DigestingInputStream whole)
      throws BadBundleException {
    try {
      return tar.getNextEntry();
    } catch (IOException e) {
      throw damaged(whole, e);
    }
  }

  private static BadBundleException damaged(DigestingInputStream whole, IOException e) {
    return new BadBundleException(
        "the bundle is truncated or damaged at byte "
            + whole.count()
            + " ("
            + e.getMessage()
            + "); nothing was imported",
        e);
  }

  /**
   * The properties of the imported jail: bundle.json's config under its new name and kind, without
   * the values {@code consent} does not allow (each listed), with {@code identity} (where a pulled
   * template came from) set over it.
   */
  /** The bundle's config as this host would store it under {@code name}, before screening. */
  private static JailProperties declared(BundleManifest manifest, String name)
      throws BadBundleException {
    ObjectNode config = manifest.config();
    config.put("name", name);
    boolean template = manifest.kind() == Kind.TEMPLATE;
    String type = config.path("type").asText("jail");
    config.put("type", template ? "template" : type.equals("template") ? "jail" : type);
    if (!config.path("basejail").asText().matches("1|yes|on|true")) {
      config.remove(
          "origin"); // a received root is independent of whatever it was cloned from there
    }
    try {
      return JailProperties.fromConfigJson(config.toString());
    } catch (PropertyException e) {
      throw new BadBundleException(
          "bundle.json $.config: " + e.getMessage() + "; nothing was imported", e);
    }
  }

  private JailProperties screened(
      BundleManifest manifest, String name, Map<String, String> identity, Consent consent)
      throws BadBundleException {
    JailProperties declared = declared(manifest, name);
    try {
      Consent.Screened screened = consent.screen(declared);
      screened.report("the bundle's config").forEach(reporter::info);
      return screened.props().withIdentity(identity);
    } catch (PropertyException e) {
      throw new BadBundleException(
          "bundle.json $.config: " + e.getMessage() + "; nothing was imported", e);
    }
  }
}
