package org.warder.client.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.warder.client.host.DirectoryTrees;
import org.warder.signing.testing.StaticHttpServer;

/**
 * Package sites for the real pkg, served over loopback HTTP: each repository is a directory {@code
 * NAME/FreeBSD:13:amd64/latest} of packages made with {@code pkg create} and a catalogue signed by
 * {@code pkg repo} with a {@link PkgSigningKey}, so a manifest's packagesite is {@link
 * #packagesite} ({@code ${ABI}} left for pkg to expand).
 */
public final class PkgSite implements AutoCloseable {
  /** A package: its name, version, and files (absolute path → content, all executable). */
  public record TestPackage(String name, String version, Map<String, String> files) {
    public TestPackage {
      files = Map.copyOf(files);
    }
  }

  private final RealPkg pkg;
  private final Path root;
  private StaticHttpServer server;

  private PkgSite(RealPkg pkg, Path root, StaticHttpServer server) {
    this.pkg = pkg;
    this.root = root;
    this.server = server;
  }

  /** Serves (empty for now) sites under {@code root} on a free loopback port. */
  public static PkgSite serve(RealPkg pkg, Path root) throws IOException {
    Files.createDirectories(root);
    return new PkgSite(pkg, root, new StaticHttpServer(root));
  }

  /**
   * A manifest's packagesite for repository {@code name}: {@code
   * http://127.0.0.1:PORT/NAME/${ABI}/latest}.
   */
  public String packagesite(String name) {
    return packagesite(name, "latest");
  }

  /** The same for the {@code branch} (latest, quarterly) of repository {@code name}. */
  public String packagesite(String name, String branch) {
    return server.url(name + "/").toString() + "${ABI}/" + branch;
  }

  /** The raw paths requested so far, in order. */
  public List<String> requests() {
    return server.requests();
  }

  /**
   * Makes repository {@code name} hold exactly {@code packages}, its catalogue signed with {@code
   * key}; returns what {@code pkg repo} printed.
   */
  public String publish(String name, PkgSigningKey key, List<TestPackage> packages)
      throws IOException, InterruptedException {
    return publish(name, "latest", key, packages);
  }

  /** The same for the {@code branch} of repository {@code name}. */
  public String publish(String name, String branch, PkgSigningKey key, List<TestPackage> packages)
      throws IOException, InterruptedException {
    Path dir = root.resolve(name).resolve(RealPkg.ABI).resolve(branch);
    DirectoryTrees.delete(dir);
    Path all = Files.createDirectories(dir.resolve("All"));
    Path work = Files.createDirectories(root.resolve(".work").resolve(name));
    for (TestPackage p : packages) {
      Path stage = work.resolve(p.name() + "-" + p.version());
      DirectoryTrees.delete(stage);
      StringBuilder plist = new StringBuilder();
      for (Map.Entry<String, String> f : p.files().entrySet()) {
        Path file = stage.resolve("root").resolve(f.getKey().substring(1));
        Files.createDirectories(file.getParent());
        Files.writeString(file, f.getValue());
        file.toFile().setExecutable(true, false);
        plist.append(f.getKey()).append('\n');
      }
      Files.writeString(stage.resolve("plist"), plist);
      Files.writeString(
          stage.resolve("+MANIFEST"),
          """
          name: "%s"
          version: "%s"
          origin: "warder-test/%s"
          comment: "a test package of warder"
          desc: "a package warder's tests install with the real pkg"
          maintainer: "test@example.org"
          www: "https://example.org/"
          prefix: "/usr/local"
          abi: "%s"
          """
              .formatted(p.name(), p.version(), p.name(), RealPkg.ABI));
      pkg.run(
          stage,
          List.of("create", "-M", "+MANIFEST", "-r", "root", "-p", "plist", "-o", all.toString()));
    }
    return pkg.run(
        work, List.of("repo", dir.toString(), "signing_command:", key.signingCommand().toString()));
  }

  /** Stops serving (the next {@link #restart} comes back on the same port). */
  @Override
  public void close() {
    server.close();
  }

  /** Serves again on the port it had. */
  public void restart() {
    try {
      server = new StaticHttpServer(root, server.port());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
