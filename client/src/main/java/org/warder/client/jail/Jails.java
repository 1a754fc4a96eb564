package org.warder.client.jail;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.warder.client.exec.CommandResult;
import org.warder.client.freebsd.Fstab;
import org.warder.client.freebsd.FstabEntry;
import org.warder.client.freebsd.JailConf;
import org.warder.client.host.ConfinedDirectory;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.Origin;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.layout.HostLayout;
import org.warder.client.runtime.JailRuntime;
import org.warder.client.runtime.Mount;
import org.warder.client.runtime.RuntimeSpec;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;
import org.warder.index.PluginManifest;
import org.warder.signing.AtomicFiles;

/**
 * Jails on this host: creation from releases and templates (thin, thick, base, empty), start and
 * stop in dependency order, destroy with its safety checks, properties, snapshots, and template
 * conversion. Storage and runtime are ports (ZFS or directories; jail(8) or the Linux sandbox). Not
 * thread-safe.
 */
public final class Jails {
  /** Mode of the host files copied into a jail's etc/. */
  private static final Set<PosixFilePermission> HOST_FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  /** An fstab warder writes holds a few dozen lines. */
  private static final int MAX_FSTAB = 1 << 20;

  private static final Pattern SNAPSHOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");

  private final HostLayout layout;
  private final Storage storage;
  private final JailRuntime runtime;
  private final JailStore store;
  private final Clock clock;
  private final PrintWriter out;

  public Jails(
      HostLayout layout, Storage storage, JailRuntime runtime, Clock clock, PrintWriter out) {
    this.layout = layout;
    this.storage = storage;
    this.runtime = runtime;
    this.store = new JailStore(layout);
    this.clock = clock;
    this.out = out;
  }

  public JailStore store() {
    return store;
  }

  public JailRuntime runtime() {
    return runtime;
  }

  /**
   * Creates a jail. On any failure everything created for it is removed again (datasets or
   * directories, and the origin snapshot of a clone).
   */
  public Jail create(CreateRequest request)
      throws JailException, IOException, InterruptedException {
    JailName name = name(request.name());
    if (nameTaken(name.value())) {
      throw new JailException(
          "a jail or template named " + name + " already exists; choose another -n NAME");
    }
    JailProperties props = properties(request.properties());
    Optional<Jail> template = Optional.empty();
    String release = "EMPTY";
    if (request.source().isPresent()) {
      Origin source = request.source().get();
      if (source instanceof Origin.Template from) {
        Jail t = store.get(from.name().value());
        if (!t.template()) {
          throw new JailException(
              t.name()
                  + " is a jail, not a template; make it one with 'warder set template=yes "
                  + t.name()
                  + "'");
        }
        template = Optional.of(t);
        release = t.release();
      } else if (source instanceof Origin.Release from) {
        release = from.release();
        if (!storage.exists(source.storageName())) {
          throw new JailException(
              "release "
                  + release
                  + " is not fetched; fetch it with 'warder fetch -r "
                  + release
                  + "'");
        }
      }
    }
    String jailDir = HostLayout.jailName(name.value());
    String root = HostLayout.rootName(jailDir);
    boolean done = false;
    try {
      storage.createPrivate(jailDir);
      String sourceRoot =
          request.source().map(s -> HostLayout.rootName(s.storageName())).orElse("");
      switch (request.mode()) {
        case EMPTY -> storage.create(root);
        case THIN -> {
          if (request.snapshot().isPresent()) {
            snapshotsFor("a clone of a snapshot")
                .cloneSnapshot(sourceRoot, request.snapshot().get(), root);
          } else {
            storage.cloneOf(sourceRoot, name.value(), root);
          }
        }
        case THICK -> storage.copyOf(sourceRoot, root);
        case BASE -> {
          storage.copyOf(sourceRoot, root);
          storage.clearImmutableFlags(storage.path(root));
          emptyBaseDirectories(storage.path(root));
        }
      }
      Map<String, String> identity = new LinkedHashMap<>();
      identity.put("name", name.value());
      identity.put("type", "jail");
      identity.put("release", release);
      identity.put("created", clock.instant().toString());
      request.source().ifPresent(s -> identity.put("origin", s.storageName()));
      identity.putAll(request.identity());
      template.ifPresent(t -> identity.put("source_template", t.name().value()));
      if (request.mode() == CreateRequest.Mode.THIN
          && template.isEmpty()
          && request.source().isPresent()) {
        identity.put("cloned_release", release);
      }
      Map<String, String> modeProps = new LinkedHashMap<>();
      if (request.mode() == CreateRequest.Mode.BASE) {
        modeProps.put("basejail", "1");
      }
      props = props.with(modeProps).withIdentity(identity);
      if (request.mode() != CreateRequest.Mode.EMPTY) {
        copyHostFiles(storage.path(root));
      }
      Jail jail = new Jail(name, props, false);
      store.save(jail);
      writeFstab(jail);
      done = true;
      out.println(
          name
              + " created ("
              + request.mode().name().toLowerCase(java.util.Locale.ROOT)
              + " from "
              + request.source().map(Origin::storageName).orElse("nothing")
              + ")");
      return jail;
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    } finally {
      if (!done) {
        storage.destroy(jailDir);
        request
            .source()
            .ifPresent(
                s ->
                    destroyOriginSnapshotQuietly(
                        HostLayout.rootName(s.storageName()), name.value()));
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

  private void destroyOriginSnapshotQuietly(String sourceRoot, String snapshot) {
    try {
      if (storage.snapshots().isPresent()) {
        storage.snapshots().get().destroySnapshot(sourceRoot, snapshot);
      }
    } catch (IOException | InterruptedException e) {
      out.println(
          "warning: could not remove snapshot "
              + sourceRoot
              + "@"
              + snapshot
              + ": "
              + e.getMessage());
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
   * The host's resolv.conf and localtime, copied in as iocage does, through descriptors of the jail
   * root ({@link ConfinedDirectory}): a root without a real etc/ directory gets none, a link the
   * jail keeps there stays the jail's, and nothing is ever written through a link.
   */
  private static void copyHostFiles(Path root) throws IOException {
    try (ConfinedDirectory jail = ConfinedDirectory.open(root)) {
      if (!jail.attributes("etc").map(BasicFileAttributes::isDirectory).orElse(false)) {
        return;
      }
      for (String file : List.of("resolv.conf", "localtime")) {
        Path host = Path.of("/etc", file);
        String target = "etc/" + file;
        if (Files.isRegularFile(host)
            && !jail.attributes(target).map(BasicFileAttributes::isSymbolicLink).orElse(false)) {
          jail.copyIn(host, target, HOST_FILE_MODE);
        }
      }
    }
  }

  /**
   * The jail's fstab (jail(8) mount.fstab): a base jail's read-only mounts, those of the book's
   * list that the origin has, and linprocfs when mount_linprocfs=1; no file when there is none.
   */
  private void writeFstab(Jail jail) throws JailException, IOException, InterruptedException {
    Path root = layout.path(jail.rootName());
    List<FstabEntry> entries = new ArrayList<>();
    Optional<Origin> base = baseOrigin(jail);
    if (base.isPresent()) {
      Path origin = layout.path(HostLayout.rootName(base.get().storageName()));
      Fstab.baseJailEntries(origin, root).stream()
          .filter(e -> Files.isDirectory(Path.of(e.source()), LinkOption.NOFOLLOW_LINKS))
          .forEach(entries::add);
    }
    if (jail.props().isTrue("mount_linprocfs")) {
      entries.add(Fstab.linprocfs(root));
    }
    Path file = store.dir(jail.name().value(), jail.template()).resolve("fstab");
    if (entries.isEmpty()) {
      Files.deleteIfExists(file);
    } else {
      AtomicFiles.write(file, Fstab.render(entries).getBytes(StandardCharsets.UTF_8));
    }
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

  /**
   * Gives {@code jail} a devfs ruleset of its own holding {@code rules} (a plugin manifest's
   * devfs_ruleset), rebuilt before each start on FreeBSD; see {@link JailDevfs}.
   */
  public Jail ownDevfsRuleset(Jail jail, PluginManifest.DevfsRuleset rules)
      throws JailException, IOException {
    Jail updated = JailDevfs.assign(store, jail, rules);
    out.println(
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
      writeFstab(jail);
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
  public Jail markPlugin(Jail jail, String id, String source) throws JailException, IOException {
    try {
      Jail marked =
          new Jail(
              jail.name(),
              jail.props()
                  .withIdentity(
                      Map.of("type", "plugin", "plugin_name", id, "plugin_repository", source)),
              jail.template());
      store.save(marked);
      return marked;
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
  }

  /**
   * Moves a stopped jail to another fetched release: a base jail's read-only mounts point at the
   * new release; otherwise the system directories (the book's base-jail list) are copied from it
   * over the jail's own. /etc, /usr/local and /var stay the jail's.
   */
  public Jail moveToRelease(Jail jail, String release)
      throws JailException, IOException, InterruptedException {
    if (runtime.jid(jail.name()).isPresent()) {
      runtime.stop(spec(jail));
    }
    String origin = HostLayout.releaseName(release);
    if (!storage.exists(origin)) {
      throw new JailException(
          "release "
              + release
              + " is not fetched; fetch it with 'warder fetch -r "
              + release
              + "'");
    }
    Jail moved;
    try {
      moved =
          new Jail(
              jail.name(),
              jail.props().withIdentity(Map.of("release", release, "origin", origin)),
              jail.template());
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
    if (jail.props().isTrue("basejail")) {
      writeFstab(moved);
    } else {
      Path from = layout.path(HostLayout.rootName(origin));
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
    out.println(jail.name() + " moved to release " + release);
    return moved;
  }

  /** Starts {@code name}, after the jails it depends on; refuses templates and cycles. */
  public void start(String name) throws JailException, IOException, InterruptedException {
    for (Jail jail : withDependencies(store.get(name))) {
      if (runtime.jid(jail.name()).isPresent()) {
        if (jail.name().value().equals(name)) {
          throw new JailException(name + " is already running");
        }
        continue;
      }
      startOne(jail);
    }
  }

  private void startOne(Jail jail) throws JailException, IOException, InterruptedException {
    if (jail.template()) {
      throw new JailException(
          jail.name()
              + " is a template: templates never start; create a jail from it with"
              + " 'warder create -t "
              + jail.name()
              + " -n NAME'");
    }
    try {
      jail.props().checkConsistent();
    } catch (PropertyException e) {
      throw new JailException("cannot start " + jail.name() + ": " + e.getMessage(), e);
    }
    baseOrigin(jail);
    runtime.start(spec(jail));
    out.println(
        jail.name()
            + " started"
            + runtime.jid(jail.name()).stream()
                .mapToObj(j -> " (jid " + j + ")")
                .findFirst()
                .orElse(""));
  }

  /** Stops {@code name} (its exec_stop, then the jail goes). */
  public void stop(String name) throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    if (runtime.jid(jail.name()).isEmpty()) {
      throw new JailException(name + " is not running");
    }
    runtime.stop(spec(jail));
    out.println(name + " stopped");
  }

  /** Jails with {@code boot=1} in start order: priority, then dependencies first. */
  public List<Jail> bootOrder() throws JailException, IOException {
    List<Jail> boot = new ArrayList<>();
    for (Jail j : store.all(false)) {
      if (j.props().isTrue("boot")) {
        boot.add(j);
      }
    }
    boot.sort(
        Comparator.comparingInt((Jail j) -> j.props().intValue("priority"))
            .thenComparing(j -> j.name().value()));
    Set<String> seen = new LinkedHashSet<>();
    List<Jail> ordered = new ArrayList<>();
    for (Jail j : boot) {
      for (Jail d : withDependencies(j)) {
        if (seen.add(d.name().value())) {
          ordered.add(d);
        }
      }
    }
    return ordered;
  }

  /** {@code jail} preceded by everything it depends on, transitively; refuses cycles. */
  List<Jail> withDependencies(Jail jail) throws JailException, IOException {
    List<Jail> order = new ArrayList<>();
    visit(jail, new ArrayDeque<>(), new LinkedHashSet<>(), order);
    return order;
  }

  private void visit(Jail jail, Deque<String> path, Set<String> done, List<Jail> order)
      throws JailException, IOException {
    String n = jail.name().value();
    if (done.contains(n)) {
      return;
    }
    if (path.contains(n)) {
      List<String> cycle = new ArrayList<>(path);
      java.util.Collections.reverse(cycle);
      cycle.add(n);
      throw new JailException(
          "jails depend on each other in a cycle: "
              + String.join(" -> ", cycle)
              + "; remove one of these depends with 'warder set depends=...'");
    }
    path.push(n);
    for (JailName dep : jail.props().depends()) {
      Jail d =
          store
              .find(dep.value())
              .orElseThrow(
                  () ->
                      new JailException(
                          n
                              + " depends on "
                              + dep
                              + ", which does not exist; fix it with 'warder set depends=... "
                              + n
                              + "'"));
      visit(d, path, done, order);
    }
    path.pop();
    done.add(n);
    order.add(jail);
  }

  /** One row of {@code warder list}. */
  public record Row(
      String jid, String name, String state, String release, String ip4, String type) {}

  /** The jails (or templates) with their state. */
  public List<Row> list(boolean templates) throws JailException, IOException, InterruptedException {
    List<Row> rows = new ArrayList<>();
    for (Jail j : store.all(templates)) {
      OptionalLong jid = templates ? OptionalLong.empty() : runtime.jid(j.name());
      rows.add(
          new Row(
              jid.isPresent() ? Long.toString(jid.getAsLong()) : "-",
              j.name().value(),
              jid.isPresent() ? "up" : "down",
              j.release(),
              j.props().value("ip4_addr"),
              templates ? "template" : j.props().identity("type").orElse("jail")));
    }
    return rows;
  }

  /**
   * Destroys a jail or template: refused while it runs (unless {@code force}, which stops it
   * first), while other jails depend on it, or while clones of it exist.
   */
  public void destroy(String name, boolean force)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    List<String> dependants = new ArrayList<>();
    for (Jail other : store.all(false)) {
      if (other.props().depends().contains(jail.name())) {
        dependants.add(other.name() + " (depends)");
      }
      if (jail.template()
          && other.origin().map(Origin::storageName).equals(Optional.of(jail.storageName()))) {
        dependants.add(other.name() + " (created from it)");
      }
    }
    for (String clone : storage.clonesOf(jail.rootName())) {
      String owner = clone.replaceFirst("^(jails|templates)/([^/]+)/root$", "$2");
      if (dependants.stream().noneMatch(d -> d.startsWith(owner + " "))) {
        dependants.add(owner + " (a clone of it)");
      }
    }
    if (!dependants.isEmpty()) {
      throw new JailException(
          "cannot destroy "
              + name
              + ": "
              + String.join(", ", dependants)
              + " still need it; destroy or change those first");
    }
    if (!jail.template() && runtime.jid(jail.name()).isPresent()) {
      if (!force) {
        throw new JailException(name + " is running; stop it first, or destroy it with -f");
      }
      runtime.stop(spec(jail));
    }
    storage.destroy(jail.storageName());
    jail.origin()
        .ifPresent(
            o ->
                destroyOriginSnapshotQuietly(
                    HostLayout.rootName(o.storageName()), jail.name().value()));
    out.println(name + " destroyed");
  }

  /** Runs {@code argv} in the running jail. */
  public CommandResult exec(String name, List<String> argv, Map<String, String> env)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    if (runtime.jid(jail.name()).isEmpty()) {
      throw new JailException(name + " is not running; start it with 'warder start " + name + "'");
    }
    return runtime.exec(jail.name(), argv, env);
  }

  /** Sets properties of a jail; {@code template=yes|no} converts it. */
  public Jail set(String name, List<String> keyValues)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    Map<String, String> values = new LinkedHashMap<>();
    Optional<Boolean> template = Optional.empty();
    for (String kv : keyValues) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new JailException("expected key=value, found \"" + kv + "\"");
      }
      String key = kv.substring(0, eq);
      String value = kv.substring(eq + 1);
      if (key.equals("template")) {
        template =
            Optional.of(
                switch (value.toLowerCase(java.util.Locale.ROOT)) {
                  case "yes", "1", "on", "true" -> true;
                  case "no", "0", "off", "false" -> false;
                  default ->
                      throw new JailException(
                          "expected template=yes or template=no, found \"" + value + "\"");
                });
      } else {
        values.put(key, value);
      }
    }
    if (jail.template() && !values.isEmpty()) {
      throw new JailException(name + " is a template and read-only; set template=no first");
    }
    try {
      jail = new Jail(jail.name(), jail.props().with(values), jail.template());
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
    baseOrigin(jail);
    store.save(jail);
    if (values.containsKey("mount_linprocfs") || values.containsKey("basejail")) {
      writeFstab(jail);
    }
    if (template.isPresent() && template.get() != jail.template()) {
      jail = convert(jail, template.get());
    }
    return jail;
  }

  private Jail convert(Jail jail, boolean toTemplate)
      throws JailException, IOException, InterruptedException {
    if (runtime.jid(jail.name()).isPresent()) {
      throw new JailException(jail.name() + " is running; stop it before making it a template");
    }
    Jail converted;
    try {
      converted =
          new Jail(
              jail.name(),
              jail.props().withIdentity(Map.of("type", toTemplate ? "template" : "jail")),
              toTemplate);
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
    if (!toTemplate) {
      storage.setReadOnly(jail.rootName(), false);
    }
    storage.rename(jail.storageName(), converted.storageName());
    store.save(converted);
    if (toTemplate) {
      storage.setReadOnly(converted.rootName(), true);
    }
    out.println(jail.name() + (toTemplate ? " is now a template" : " is a jail again"));
    return converted;
  }

  /** Takes a snapshot of a jail's root (ZFS). */
  public String snapshot(String name, Optional<String> snapshot)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    String snap =
        snapshot.orElse(
            "warder-" + clock.instant().toString().replace(':', '-').replaceAll("\\.\\d+", ""));
    if (!SNAPSHOT.matcher(snap).matches()) {
      throw new JailException(
          "expected a snapshot name of letters, digits and _.:-, found \"" + snap + "\"");
    }
    snapshotsFor("a snapshot").snapshot(jail.rootName(), snap);
    return snap;
  }

  /** The snapshots of a jail's root, oldest first. */
  public List<String> snapshots(String name)
      throws JailException, IOException, InterruptedException {
    return snapshotsFor("listing snapshots").list(store.get(name).rootName());
  }

  /** Rolls a stopped jail back to a snapshot. */
  public void rollback(String name, String snapshot)
      throws JailException, IOException, InterruptedException {
    Jail jail = store.get(name);
    if (runtime.jid(jail.name()).isPresent()) {
      throw new JailException(name + " is running; stop it before rolling it back");
    }
    Snapshots snapshots = snapshotsFor("a rollback");
    if (!snapshots.list(jail.rootName()).contains(snapshot)) {
      throw new JailException(
          name + " has no snapshot " + snapshot + "; see 'warder snaplist " + name + "'");
    }
    snapshots.rollback(jail.rootName(), snapshot);
  }

  /** The storage's snapshots, or a refusal saying that {@code what} needs them. */
  private Snapshots snapshotsFor(String what) throws JailException {
    return storage
        .snapshots()
        .orElseThrow(
            () ->
                new JailException(
                    what
                        + " needs ZFS storage, but this host stores plain directories; run"
                        + " 'warder activate POOL/DATASET' to keep releases and jails on ZFS"));
  }

  /** The runtime description of a jail: mounts, network, commands, jail(8) parameters. */
  public RuntimeSpec spec(Jail jail) throws JailException, IOException {
    Path root = layout.path(jail.rootName());
    Path dir = store.dir(jail.name().value(), jail.template());
    List<Mount> mounts = new ArrayList<>();
    Optional<Path> fstab = Optional.empty();
    Path fstabFile = dir.resolve("fstab");
    Optional<byte[]> fstabBytes = JailStore.readOwnFile(fstabFile, MAX_FSTAB);
    if (fstabBytes.isPresent()) {
      fstab = Optional.of(fstabFile);
      try {
        for (FstabEntry e : Fstab.parse(new String(fstabBytes.get(), StandardCharsets.UTF_8))) {
          if (e.type().equals("nullfs")) {
            mounts.add(
                new Mount(
                    Path.of(e.source()),
                    Path.of(e.mountPoint()),
                    List.of(e.options().split(",")).contains("ro")));
          }
        }
      } catch (org.warder.client.freebsd.FreeBsdInputException e) {
        throw new JailException(fstabFile + " is damaged: " + e.getMessage(), e);
      }
    }
    String hostname = jail.props().value("host_hostname");
    if (hostname.equals("none")) {
      hostname = jail.name().value().replace('_', '-');
    }
    boolean inherit = jail.props().value("ip4").equals("inherit");
    return new RuntimeSpec(
        jail.name(),
        root,
        dir,
        hostname,
        inherit,
        mounts,
        jail.props().value("exec_start"),
        jail.props().value("exec_stop"),
        JailConf.parameters(jail.name(), root, jail.props(), fstab),
        JailDevfs.commands(dir, jail.props()));
  }

  private static JailName name(String value) throws JailException {
    try {
      return JailName.of(value);
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
  }

  private static JailProperties properties(List<String> keyValues) throws JailException {
    try {
      return JailProperties.parse(keyValues);
    } catch (PropertyException e) {
      throw new JailException(e.getMessage(), e);
    }
  }
}
