package org.warder.registry.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.warder.registry.http.RegistryServer;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.FileSystemStore;
import org.warder.registry.storage.FileTokenStore;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.StoreMigration;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.Key;
import org.warder.signing.KeyFiles;
import org.warder.signing.PrivateFiles;
import org.warder.signing.Signer;
import org.warder.signing.testing.TestFiles;

/**
 * A registry data directory for one test, copied from a template initialised once per JVM (key
 * generation with the offline passphrase's scrypt cost takes seconds), with helpers to start the
 * real server in-process on port 0, delegate roles and create tokens.
 */
public final class TestRegistry implements AutoCloseable {
  public static final String PASSPHRASE = "correct horse battery staple";

  private static Path template;
  private static Ed25519SigningKey targetsKey;

  public final Path data;
  public final RegistryLayout layout;
  public final Path passphraseFile;
  public final RegistryRepository repository;
  public final StringWriter serverErrors = new StringWriter();
  private RegistryServer server;

  private TestRegistry(Path data, RegistryStore store) throws Exception {
    this.data = data;
    this.layout = new RegistryLayout(data);
    this.passphraseFile = data.resolveSibling(data.getFileName() + ".passphrase");
    PrivateFiles.writeString(passphraseFile, PASSPHRASE + "\n");
    this.repository = RegistryRepository.open(layout, store, Clock.systemUTC());
  }

  /** A fresh, initialised registry in {@code dir}/data. */
  public static TestRegistry create(Path dir) throws Exception {
    return at(dir.resolve("data"));
  }

  /**
   * A fresh, initialised registry whose data directory is {@code data}: a copy of the one this JVM
   * initialised first, keys included (scrypt at the cost of offline keys makes every initialisation
   * take about a second).
   */
  public static TestRegistry at(Path data) throws Exception {
    TestFiles.copyTree(template(), data);
    RegistryLayout layout = new RegistryLayout(data);
    return new TestRegistry(data, new FileSystemStore(layout));
  }

  /**
   * A fresh, initialised registry whose keys are in {@code dir}/data and whose metadata was
   * migrated into the store {@code storeOf} makes for that data directory.
   */
  public static TestRegistry create(Path dir, Function<RegistryLayout, RegistryStore> storeOf)
      throws Exception {
    Path data = dir.resolve("data");
    TestFiles.copyTree(template(), data);
    RegistryLayout layout = new RegistryLayout(data);
    RegistryStore store = storeOf.apply(layout);
    new StoreMigration(new FileSystemStore(layout), store, dir.resolve("staging")).run();
    return new TestRegistry(data, store);
  }

  private static synchronized Path template() throws Exception {
    if (template == null) {
      Path dir = TestFiles.directoryUntilExit("warder-registry-template");
      RegistryLayout layout = new RegistryLayout(dir.resolve("data"));
      RegistryRepository.initialise(layout, PASSPHRASE.toCharArray(), Clock.systemUTC());
      targetsKey = KeyFiles.read(layout.key("targets"), PASSPHRASE.toCharArray());
      template = layout.data();
    }
    return template;
  }

  /** The offline targets key of every test registry. */
  public static synchronized Ed25519SigningKey targetsKey() throws Exception {
    template();
    return targetsKey;
  }

  /** Starts the server on 127.0.0.1, port 0, with {@code settings} changed by {@code customise}. */
  public TestRegistry start(UnaryOperator<RegistryServer.Settings> customise) throws Exception {
    return start(customise, Optional.empty());
  }

  /** {@link #start(UnaryOperator)}, redirecting immutable reads to {@code publicBase}. */
  public TestRegistry start(
      UnaryOperator<RegistryServer.Settings> customise, Optional<URI> publicBase) throws Exception {
    RegistryServer.Settings settings =
        customise.apply(
            RegistryServer.Settings.defaults(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withStopTimeout(Duration.ofMillis(500)));
    server =
        new RegistryServer(
            repository,
            new FileTokenStore(layout, Clock.systemUTC()),
            settings,
            publicBase,
            new PrintWriter(serverErrors, true));
    server.start();
    return this;
  }

  public TestRegistry start() throws Exception {
    return start(s -> s);
  }

  public RegistryServer server() {
    return server;
  }

  public URI url() {
    return server.url();
  }

  public Http http() {
    return new Http(url());
  }

  /** Delegates {@code role} to the public keys of {@code signers} for {@code paths}. */
  public RegistryRepository.Delegated delegate(
      String role, List<? extends Signer> signers, int threshold, String... paths)
      throws Exception {
    List<Key> keys = new ArrayList<>();
    signers.forEach(s -> keys.add(s.publicKey()));
    return repository.delegate(role, keys, threshold, List.of(paths), targetsKey());
  }

  /**
   * Re-signs the timestamp as if it were {@code ago} ago: it expires that much sooner, so that a
   * server re-signs it again when {@code ago} exceeds its margin (6 hours and more).
   */
  public void resignTimestampAsOf(Duration ago) throws Exception {
    RegistryRepository past =
        RegistryRepository.open(
            layout, repository.store(), Clock.offset(Clock.systemUTC(), ago.negated()));
    if (past.refresh(Duration.ofDays(2), Duration.ZERO) != RegistryRepository.Refreshed.TIMESTAMP) {
      throw new IllegalStateException("expected the timestamp re-signed " + ago + " ago");
    }
  }

  /** A new token for {@code roles}. */
  public String token(String publisher, String... roles) throws IOException {
    return new FileTokenStore(layout, Clock.systemUTC()).create(publisher, List.of(roles)).secret();
  }

  public Publisher publisher(String token) {
    return new Publisher(http(), token);
  }

  public byte[] root() throws IOException {
    return Files.readAllBytes(layout.metadata().resolve("1.root.json"));
  }

  /** A TUF client trusting this registry's first root, its state in {@code dir}. */
  public TufClient client(Path dir) throws IOException {
    return new TufClient(dir, url(), root());
  }

  /** The bytes of metadata file {@code name} as stored now. */
  public byte[] metadataBytes(String name) throws IOException {
    return repository.store().metadata(name).orElseThrow();
  }

  /** Every file of the metadata directory with its content, to compare states. */
  public Map<String, String> metadataFiles() {
    return TestFiles.digests(layout.metadata());
  }

  @Override
  public void close() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
