package org.warder.client.jail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.freebsd.Fstab;
import org.warder.client.freebsd.FstabEntry;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.jail.props.Implied;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.Origin;
import org.warder.client.layout.HostLayout;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Storage;
import org.warder.index.PluginManifest;

/**
 * Makes jails: from releases and templates (thin, thick, base, empty) as a {@link Plan} that {@code
 * --dry-run} prints and a failure undoes; from a directory an import put in place; and changes what
 * a jail is made of (its release, its plugin record, its own devfs ruleset). Not thread-safe.
 */
public final class JailCreator {
  /** Mode of the host files copied into a jail's etc/. */
  private static final Set<PosixFilePermission> HOST_FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  private static final List<String> HOST_FILES = List.of("resolv.conf", "localtime");

  private final HostLayout layout;
  private final Storage storage;
  private final JailStore store;
  private final JailMounts mounts;
  private final JailLifecycle lifecycle;
  private final Clock clock;
  private final Reporter reporter;

  public JailCreator(
      HostLayout layout,
      Storage storage,
      JailStore store,
      JailMounts mounts,
      JailLifecycle lifecycle,
      Clock clock,
      Reporter reporter) {
    this.layout = layout;
    this.storage = storage;
    this.store = store;
    this.mounts = mounts;
    this.lifecycle = lifecycle;
    this.clock = clock;
    this.reporter = reporter;
  }

  /**
   * Creates a jail by running its {@link #plan}. On any failure everything created for it is
   * removed again (datasets or directories, and the origin snapshot of a clone).
   */
  public Jail create(CreateRequest request)
      throws ClientException, IOException, InterruptedException {
    Creation creation = plan(request);
    creation.plan().run(reporter, false, List::of);
    reporter.info(request.name() + " created: " + made(request));
    return creation.jail();
  }

  /**
   * What {@code request} made, as it really is on this storage: a thin jail on directory storage is
   * a copy, not a clone.
   */
  private String made(CreateRequest request) {
    String source = request.source().origin().map(Origin::describe).orElse("");
    return switch (request.mode()) {
      case EMPTY -> "an empty jail (no release; put a userland into its root)";
      case THIN ->
          clones()
              ? "a clone of " + source
              : "a copy of " + source + " (directory storage has no clones)";
      case THICK -> "an independent copy of " + source;
      case BASE -> "a base jail: a copy of " + source + ", its system directories mounted from it";
    };
  }

  /** Whether this storage clones (ZFS) rather than copies (directories) for a thin jail. */
  private boolean clones() {
    return storage.snapshots().isPresent();
  }

  /** The jail a creation makes and the steps that make it. */
  public record Creation(Jail jail, Plan plan) {}

  /**
   * The steps that create the jail {@code request} asks for, every check already made (the name is
   * free, the properties valid, the release fetched, the template a template): make its root, copy
   * the host's resolv.conf and localtime in, write config.json, write its fstab. Changes nothing.
   */
  public Creation plan(CreateRequest request)
      throws ClientException, IOException, InterruptedException {
    String name = request.name().value();
    if (nameTaken(name)) {
      throw new JailException(
          Reason.CONFLICT,
          "a jail or template named " + name + " already exists; choose another -n NAME");
    }
    Implied implied = JailProperties.forCreate(request.properties());
    implied.turnedOn().forEach(t -> reporter.info(name + ": turned on " + t));
    JailProperties props = implied.props();
    String release = release(request.source());
    Map<String, String> identity = new LinkedHashMap<>();
    identity.put("name", name);
    identity.put("type", "jail");
    identity.put("release", release);
    identity.put("created", clock.instant().toString());
    request.source().origin().ifPresent(o -> identity.put("origin", o.storageName()));
    identity.putAll(request.identity());
    if (request.source() instanceof JailSource.Template t) {
      identity.put("source_template", t.name().value());
    } else if (request.source() instanceof JailSource.TemplateTag t) {
      identity.put("source_template", t.name().value());
    } else if (request.source() instanceof JailSource.Release
        && request.mode() == CreateRequest.Mode.THIN) {
      identity.put("cloned_release", release);
    }
    if (request.mode() == CreateRequest.Mode.BASE) {
      props = props.with(Map.of("basejail", "1"));
    }
    Jail jail = new Jail(request.name(), props.withIdentity(identity), false);
    List<FstabEntry> fstab = mounts.entries(jail);
    List<Step> steps = new ArrayList<>();
    steps.add(new MakeDirectory(jail, request));
    steps.add(new MakeRoot(jail, request));
    if (request.mode() != CreateRequest.Mode.EMPTY) {
      steps.add(new CopyHostFiles(layout.path(jail.rootName())));
    }
    steps.add(new WriteConfigStep(store, jail));
    steps.add(new FstabStep(mounts, jail, fstab));
    return new Creation(jail, new Plan(steps));
  }

  /**
   * The release a jail from {@code source} is built from ({@code EMPTY} for an empty jail): a
   * template's, or the release itself once it is known to be fetched.
   */
  private String release(JailSource source)
      throws JailException, IOException, InterruptedException {
    if (source instanceof JailSource.Release r) {
      if (!storage.exists(r.release().storageName())) {
        throw notFetched(r.release().release());
      }
      return r.release().release();
    }
    if (source instanceof JailSource.Template t) {
      return template(t.name().value()).release();
    }
    if (source instanceof JailSource.TemplateTag t) {
      return template(t.name().value()).release();
    }
    return "EMPTY";
  }

  private Jail template(String name) throws JailException, IOException {
    Jail t = store.get(name);
    if (!t.template()) {
      throw new JailException(
          Reason.CONFLICT,
          t.name()
              + " is a jail, not a template; make it one with 'warder set template=yes "
              + t.name()
              + "'");
    }
    return t;
  }

  private static JailException notFetched(String release) {
    return new JailException(
        Reason.NOT_FOUND,
        "release " + release + " is not fetched; fetch it with 'warder fetch -r " + release + "'");
  }

  /**
   * The jail's directory, readable by root only. Undone with all it then holds, and with the
   * snapshot a clone of the source was made from.
   */
  private final class MakeDirectory implements Step {
    private final Jail jail;
    private final Optional<String> sourceRoot;

    MakeDirectory(Jail jail, CreateRequest request) {
      this.jail = jail;
      this.sourceRoot = request.source().origin().map(o -> o.storageName() + "/root");
    }

    @Override
    public String name() {
      return "directory";
    }

    @Override
    public List<String> describe() {
      return List.of("create " + jail.storageName() + " (readable by root only)");
    }

    @Override
    public void run(Reporter reporter) throws IOException, InterruptedException {
      storage.createPrivate(jail.storageName());
    }

    @Override
    public void undo(Reporter reporter) throws IOException, InterruptedException {
      storage.destroy(jail.storageName());
      if (sourceRoot.isPresent()) {
        destroyOriginSnapshotQuietly(sourceRoot.get(), jail.name().value(), reporter);
      }
    }
  }

  /** The jail's root, made from its source as its mode says. */
  private final class MakeRoot implements Step {
    private final Jail jail;
    private final CreateRequest request;
    private final String sourceRoot;

    MakeRoot(Jail jail, CreateRequest request) {
      this.jail = jail;
      this.request = request;
      this.sourceRoot = request.source().origin().map(o -> o.storageName() + "/root").orElse("");
    }

    @Override
    public String name() {
      return "root";
    }

    @Override
    public List<String> describe() {
      String root = jail.rootName();
      List<String> lines = new ArrayList<>();
      switch (request.mode()) {
        case EMPTY -> lines.add("create " + root + ", empty");
        case THIN -> {
          if (request.source() instanceof JailSource.TemplateTag t) {
            lines.add("clone " + sourceRoot + "@" + t.snapshot() + " as " + root);
          } else if (clones()) {
            lines.add("snapshot " + sourceRoot + "@" + jail.name() + ", clone it as " + root);
          } else {
            lines.add("copy " + sourceRoot + " to " + root + " (directory storage: no clones)");
          }
        }
        case THICK -> lines.add("copy " + sourceRoot + " to " + root);
        case BASE -> {
          lines.add("copy " + sourceRoot + " to " + root + ", clearing immutable flags");
          lines.add(
              "empty "
                  + String.join(", ", Fstab.BASE_DIRS)
                  + " of "
                  + root
                  + ": read-only mounts of "
                  + sourceRoot);
        }
      }
      return lines;
    }

    @Override
    public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
      String root = jail.rootName();
      switch (request.mode()) {
        case EMPTY -> storage.create(root);
        case THIN -> {
          if (request.source() instanceof JailSource.TemplateTag t) {
            JailSnapshots.capability(storage, "a clone of a snapshot")
                .cloneSnapshot(sourceRoot, t.snapshot(), root);
          } else {
            storage.cloneOf(sourceRoot, jail.name().value(), root);
          }
        }
        case THICK -> storage.copyOf(sourceRoot, root);
        case BASE -> {
          storage.copyOf(sourceRoot, root);
          storage.clearImmutableFlags(storage.path(root));
          emptyBaseDirectories(storage.path(root));
        }
      }
    }
  }

  /**
   * The host's resolv.conf and localtime, copied in as iocage does, through descriptors of the jail
   * root ({@link ConfinedDirectory}): a root without a real etc/ directory gets none, a link the
   * jail keeps there stays the jail's, and nothing is ever written through a link.
   */
  private record CopyHostFiles(Path root) implements Step {
    @Override
    public String name() {
      return "host files";
    }

    @Override
    public List<String> describe() {
      return HOST_FILES.stream()
          .map(f -> "copy /etc/" + f + " to " + root.resolve("etc").resolve(f) + " if both exist")
          .toList();
    }

    @Override
    public void run(Reporter reporter) throws IOException {
      try (ConfinedDirectory jail = ConfinedDirectory.open(root)) {
        if (!jail.attributes("etc").map(BasicFileAttributes::isDirectory).orElse(false)) {
          return;
        }
        for (String file : HOST_FILES) {
          Path host = Path.of("/etc", file);
          String target = "etc/" + file;
          if (Files.isRegularFile(host)
              && !jail.attributes(target).map(BasicFileAttributes::isSymbolicLink).orElse(false)) {
            jail.copyIn(host, target, HOST_FILE_MODE);
          }
        }
      }
    }
  }

  /**
   * Whether a jail or template called {@code name} is recorded here, or storage holds one by that
   * name.
   */
  public boolean nameTaken(String name) throws JailException, IOException, InterruptedException {
    return store.find(name).isPresent()
        || storage.exists(HostLayout.jailName(name))
        || storage.exists(HostLayout.templateName(name));
  }

  /** Removes the snapshot a clone of {@code sourceRoot} was made from; a failure is a warning. */
  void destroyOriginSnapshotQuietly(String sourceRoot, String snapshot, Reporter reporter) {
    try {
      if (storage.snapshots().isPresent()) {
        storage.snapshots().get().destroySnapshot(sourceRoot, snapshot);
      }
    } catch (IOException | InterruptedException e) {
      reporter.warning(
          "could not remove snapshot " + sourceRoot + "@" + snapshot + ": " + e.getMessage());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A base jail's system directories are mount points: their copied content goes. The copy came
   * from a template, maybe a pulled one: removed and made again through descriptors of the root, so
   * a link on the way (usr -> /) is refused, never followed into the host.
   */
  private static void emptyBaseDirectories(Path root) throws IOException {
    try (ConfinedDirectory jail = ConfinedDirectory.open(root)) {
      for (String dir : Fstab.BASE_DIRS) {
        jail.deleteTree(dir);
        jail.createDirectories(dir);
      }
    }
  }

  /**
   * Gives {@code jail} a devfs ruleset of its own holding {@code rules} (a plugin manifest's
   * devfs_ruleset), rebuilt before each start on FreeBSD; see {@link JailDevfs}.
   */
  public Jail ownDevfsRuleset(Jail jail, PluginManifest.DevfsRuleset rules)
      throws JailException, IOException {
    Jail updated = JailDevfs.assign(store, jail, rules);
    reporter.info(
        jail.name()
            + ": devfs ruleset "
            + updated.props().value("devfs_ruleset")
            + " of its own ("
            + rules.paths().size()
            + " path rule(s) from the manifest)");
    return updated;
  }

  /** The ruleset number {@link #ownDevfsRuleset} would give a jail now. */
  public int freeDevfsRuleset() throws JailException, IOException {
    return JailDevfs.freeRuleset(store);
  }

  /**
   * Makes a jail whose directory was just put in place under {@code jails/} or {@code templates/}
   * (an import) known here: its config.json, its fstab for this host's paths, and a template's root
   * read-only. If that fails, the directory is removed again.
   */
  public Jail adopt(Jail jail) throws JailException, IOException, InterruptedException {
    boolean done = false;
    try {
      store.save(jail);
      mounts.writeFstab(jail);
      if (jail.template()) {
        storage.setReadOnly(jail.rootName(), true);
      }
      done = true;
      return jail;
    } finally {
      if (!done) {
        storage.destroy(jail.storageName());
      }
    }
  }

  /**
   * Records that {@code jail} holds plugin {@code id} from {@code source} ({@code type=plugin}).
   */
  public Jail markPlugin(Jail jail, String id, String source) throws ClientException, IOException {
    Jail marked =
        new Jail(
            jail.name(),
            jail.props()
                .withIdentity(
                    Map.of("type", "plugin", "plugin_name", id, "plugin_repository", source)),
            jail.template());
    store.save(marked);
    return marked;
  }

  /**
   * Moves a stopped jail to another fetched release: a base jail's read-only mounts point at the
   * new release; otherwise the system directories (the book's base-jail list) are copied from it
   * over the jail's own. /etc, /usr/local and /var stay the jail's.
   */
  public Jail moveToRelease(Jail jail, String release)
      throws ClientException, IOException, InterruptedException {
    if (lifecycle.running(jail)) {
      lifecycle.halt(jail);
    }
    String origin = HostLayout.releaseName(release);
    if (!storage.exists(origin)) {
      throw notFetched(release);
    }
    Jail moved =
        new Jail(
            jail.name(),
            jail.props().withIdentity(Map.of("release", release, "origin", origin)),
            jail.template());
    if (jail.props().isTrue("basejail")) {
      mounts.rewriteFstab(moved);
    } else {
      Path from = layout.path(origin).resolve("root");
      Path to = layout.path(jail.rootName());
      storage.clearImmutableFlags(to);
      // the jail is stopped, so nothing inside can swap a directory for a link once the walk
      // through descriptors made sure there is none on the way to each copy's target
      try (ConfinedDirectory target = ConfinedDirectory.open(to)) {
        for (String dir : Fstab.BASE_DIRS) {
          if (Files.isDirectory(from.resolve(dir), LinkOption.NOFOLLOW_LINKS)) {
            target.createDirectories(dir);
            storage.copyInto(from.resolve(dir), to.resolve(dir));
          }
        }
      }
    }
    store.save(moved);
    reporter.info(jail.name() + " moved to release " + release);
    return moved;
  }
}
