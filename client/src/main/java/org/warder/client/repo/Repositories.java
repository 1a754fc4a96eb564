package org.warder.client.repo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.state.StateFiles;
import org.warder.signing.Digests;
import org.warder.signing.PrivateFiles;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Fetcher;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.MetadataDirectory;
import org.warder.signing.tuf.Root;
import org.warder.signing.tuf.TrustAnchors;
import org.warder.signing.tuf.Updater;
import org.warder.signing.tuf.UpdaterConfig;

/**
 * The registries this host trusts: adding one through a pinned root, listing, refreshing and
 * removing them. Each lives in {@code <root>/repos/<name>/}. Not thread-safe.
 */
public final class Repositories {
  private final HostLayout layout;
  private final Fetcher fetcher;
  private final Clock clock;

  public Repositories(HostLayout layout, Fetcher fetcher, Clock clock) {
    this.layout = layout;
    this.fetcher = fetcher;
    this.clock = clock;
  }

  /**
   * Adds a registry: fetches {@code 1.root.json} (or reads the given root file), checks it against
   * the pin and against its own root keys, stores it as the trust anchor, and refreshes. On any
   * failure nothing of the repository is left behind.
   */
  public RepoConfig add(String name, URI url, List<URI> mirrors, RootPin pin, Reporter notices)
      throws ClientException, IOException {
    Candidate candidate = candidate(name, url, mirrors, pin, notices);
    RepoConfig config = candidate.config();
    try {
      new MetadataDirectory(layout.repoMetadata(name)).write("root", candidate.rootBytes());
      PrivateFiles.createDirectories(
          layout.repoCache(name)); // targets: bundles of jails among them
      updater(config).refresh();
      StateFiles.write(layout.repoConfig(name), config);
    } catch (IOException | SigningException | RuntimeException e) {
      DirectoryTrees.delete(layout.repo(name));
      throw new ClientException(
          e instanceof SigningException ? Reason.REFUSED : Reason.NETWORK,
          "cannot add " + name + " (" + url + "): " + e.getMessage(),
          e);
    }
    return config;
  }

  /**
   * A registry {@link #add} would trust, its root fetched (or read) and checked against the pin and
   * its own root keys; the metadata after the root is not fetched.
   */
  public static final class Candidate {
    private final RepoConfig config;
    private final byte[] rootBytes;
    private final Metadata<Root> root;

    Candidate(RepoConfig config, byte[] rootBytes, Metadata<Root> root) {
      this.config = config;
      this.rootBytes = rootBytes.clone();
      this.root = root;
    }

    /** The repository as {@code repo.json} would hold it. */
    public RepoConfig config() {
      return config;
    }

    /** The root, parsed. */
    public Metadata<Root> root() {
      return root;
    }

    byte[] rootBytes() {
      return rootBytes.clone();
    }
  }

  /** What {@code repo add} would do with {@code candidate}, one line each. */
  public List<String> describeAdd(Candidate candidate) {
    RepoConfig config = candidate.config();
    List<String> lines = new ArrayList<>();
    lines.add(
        "trust the root of "
            + config.url()
            + " ("
            + config.trust()
            + "): version "
            + candidate.root().signed().version()
            + ", sha256 "
            + config.rootSha256());
    candidate
        .root()
        .signed()
        .roles()
        .forEach(
            (role, keys) ->
                lines.add(
                    "  " + role + ": threshold " + keys.threshold() + " of " + keys.keyids()));
    lines.add("write " + layout.repoMetadata(config.name()).resolve("root.json"));
    lines.add("create " + layout.repoCache(config.name()));
    lines.add(
        "refresh timestamp, snapshot and targets from "
            + config.url()
            + " (not fetched by --dry-run: 'warder repo refresh --dry-run' checks them once added)");
    lines.add("write " + layout.repoConfig(config.name()));
    return lines;
  }

  /**
   * Checks everything {@link #add} checks before it writes: the name, that it is free, the root
   * against the pin and its own keys (telling about a root trusted on first use). Writes nothing.
   */
  public Candidate candidate(String name, URI url, List<URI> mirrors, RootPin pin, Reporter notices)
      throws ClientException, IOException {
    if (!RepoConfig.isValidName(name)) {
      throw new ClientException(
          Reason.INVALID_INPUT,
          "expected a repository name of lower-case letters, digits, '-' and '_' (at most 32), found \""
              + name
              + "\"");
    }
    if (Files.exists(layout.repo(name))) {
      throw new ClientException(
          Reason.CONFLICT,
          "repository "
              + name
              + " already exists; remove it first with 'warder repo remove "
              + name
              + "'");
    }
    RepoConfig draft = new RepoConfig(name, url, mirrors, pin.label(), "", clock.instant());
    byte[] rootBytes = anchor(draft, pin);
    Metadata<Root> root;
    try {
      root = TrustAnchors.checkSelfSigned(rootBytes);
    } catch (SigningException e) {
      throw new ClientException(
          Reason.REFUSED, "the root of " + url + " is not usable: " + e.getMessage(), e);
    }
    if (pin instanceof RootPin.TrustOnFirstUse) {
      notices.warning("trusting on first use the root of " + url + ":");
      notices.info(
          "  version " + root.signed().version() + ", sha256 " + Digests.sha256Hex(rootBytes));
      root.signed()
          .roles()
          .forEach(
              (role, keys) ->
                  notices.info(
                      "  " + role + ": threshold " + keys.threshold() + " of " + keys.keyids()));
      notices.info(
          "  this gives no protection if this first answer came from an attacker;"
              + " pin the root with --root-sha256 instead when you can");
    }
    return new Candidate(
        new RepoConfig(
            name, url, mirrors, pin.label(), Digests.sha256Hex(rootBytes), clock.instant()),
        rootBytes,
        root);
  }

  private byte[] anchor(RepoConfig draft, RootPin pin) throws ClientException, IOException {
    if (pin instanceof RootPin.File file) {
      return Files.readAllBytes(file.path());
    }
    byte[] bytes = null;
    List<String> failures = new ArrayList<>();
    for (URI base : draft.metadataUrls()) {
      try {
        bytes =
            fetcher.fetchBytes(
                URI.create(base + "1.root.json"), UpdaterConfig.defaults().rootMaxLength());
        break;
      } catch (IOException e) {
        failures.add(e.getMessage());
      }
    }
    if (bytes == null) {
      throw new ClientException(
          Reason.NETWORK,
          "cannot fetch 1.root.json from " + draft.url() + ": " + String.join("; ", failures));
    }
    Optional<String> expected = pin.sha256();
    if (expected.isPresent()) {
      String found = Digests.sha256Hex(bytes);
      if (!found.equalsIgnoreCase(expected.get())) {
        throw new ClientException(
            Reason.REFUSED,
            "1.root.json of "
                + draft.url()
                + " has sha256 "
                + found
                + ", expected the pinned "
                + expected.get().toLowerCase(java.util.Locale.ROOT)
                + "; check the pin with the registry's administrator");
      }
    }
    return bytes;
  }

  /** The configuration of {@code name}. */
  public RepoConfig get(String name) throws ClientException, IOException {
    Path file = layout.repoConfig(name);
    if (!RepoConfig.isValidName(name) || !Files.exists(file)) {
      throw new ClientException(
          Reason.NOT_FOUND, "no repository named \"" + name + "\"; see 'warder repo list'");
    }
    return StateFiles.read(file, RepoConfig.class);
  }

  /** All configured repositories, by name. */
  public List<RepoConfig> list() throws IOException, ClientException {
    if (!Files.isDirectory(layout.repos())) {
      return List.of();
    }
    List<RepoConfig> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(layout.repos())) {
      for (Path dir : dirs.sorted().toList()) {
        if (Files.exists(dir.resolve("repo.json"))) {
          out.add(get(dir.getFileName().toString()));
        }
      }
    }
    return out;
  }

  /** The only repository, or the one named; a clear error when that is ambiguous. */
  public RepoConfig resolve(Optional<String> name) throws ClientException, IOException {
    if (name.isPresent()) {
      return get(name.get());
    }
    List<RepoConfig> all = list();
    if (all.size() == 1) {
      return all.get(0);
    }
    throw new ClientException(
        all.isEmpty() ? Reason.NOT_FOUND : Reason.INVALID_INPUT,
        all.isEmpty()
            ? "no repository configured; add one with 'warder repo add NAME URL --root-sha256 HEX'"
            : "several repositories are configured; choose one with --repo NAME");
  }

  /** A TUF updater over the repository's trusted metadata and mirrors. */
  public Updater updater(RepoConfig config) {
    return updater(new MetadataDirectory(layout.repoMetadata(config.name())), config);
  }

  private Updater updater(MetadataDirectory metadata, RepoConfig config) {
    return new Updater(metadata, config.metadataUrls(), fetcher, clock, UpdaterConfig.defaults());
  }

  /**
   * Refreshes a copy of the repository's trusted metadata in a temporary directory, removed after:
   * every check of a refresh, the versions it would reach, and the trusted metadata unchanged.
   */
  public Updater.RefreshResult refreshCopy(RepoConfig config)
      throws ClientException, IOException, SigningException {
    Path copy = Files.createTempDirectory("warder-refresh-");
    try {
      Path from = layout.repoMetadata(config.name());
      try (Stream<Path> files = Files.walk(from)) {
        for (Path f : files.toList()) {
          Path to = copy.resolve(from.relativize(f).toString());
          if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(to);
          } else if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(f, to);
          }
        }
      }
      return updater(new MetadataDirectory(copy), config).refresh();
    } finally {
      DirectoryTrees.delete(copy);
    }
  }

  /** What {@link #remove} deletes. */
  public String describeRemove(String name) throws ClientException, IOException {
    get(name);
    return "delete "
        + layout.repo(name)
        + " (repo.json, its trusted metadata and cache): this host no longer trusts it";
  }

  /** Forgets a repository and its cache. */
  public void remove(String name) throws ClientException, IOException {
    get(name);
    DirectoryTrees.delete(layout.repo(name));
  }
}
