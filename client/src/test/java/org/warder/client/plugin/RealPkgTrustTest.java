package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.PkgSigningKey;
import org.warder.client.testing.PkgSite;
import org.warder.client.testing.RealPkg;
import org.warder.signing.testing.CliRun;

/**
 * The trust warder gives a plugin jail's pkg, checked by FreeBSD's real pkg(8) ({@link RealPkg})
 * inside the sandbox: a catalogue signed by a key the manifest does not name is refused and the
 * install rolled back; a fingerprint of the wrong thing is refused, and one for another hash
 * function is refused by warder before anything is made (real pkg would ignore it); a key the
 * administrator revoked stays revoked through {@code plugin update}; {@code ${ABI}} in a
 * packagesite is expanded as on FreeBSD; {@code --disable-freebsd-repo} turns FreeBSD's own
 * repository (the release's etc/pkg/FreeBSD.conf, served here) off, also after an update; and three
 * iocage manifests install with their own repository names and fingerprint functions.
 */
class RealPkgTrustTest {
  static final String REL = "13.4-RELEASE";
  static final ObjectMapper JSON = new ObjectMapper();
  static final Path SAMPLES =
      Path.of(System.getProperty("basedir", ".")).resolve("../plugin-index/src/test/resources");
  @TempDir static Path tmp;
  static PublishedPlugins plugins;
  static PkgSite site;
  static PkgSigningKey good;
  static PkgSigningKey other;
  static Path artifact;
  static String commit;

  @BeforeAll
  static void publish() throws Exception {
    BusyboxRoot.requireSandbox();
    RealPkg pkg = RealPkg.require();
    plugins = new PublishedPlugins(tmp);
    Path keys = tmp.resolve("pkg-keys");
    good = PkgSigningKey.generate(keys, "good");
    other = PkgSigningKey.generate(keys, "other");
    PkgSigningKey freebsd = PkgSigningKey.generate(keys, "freebsd");
    site = PkgSite.serve(pkg, tmp.resolve("site"));
    List<PkgSite.TestPackage> trustpkg = List.of(program("trustpkg", "1.0"));
    site.publish("good", good, trustpkg);
    site.publish("forged", other, trustpkg);
    site.publish("FreeBSD", freebsd, List.of(program("freebsd-only", "1.0")));
    plugins.publishRealPkgRelease(
        tmp,
        REL,
        pkg,
        Map.of(
            "etc/pkg/FreeBSD.conf",
            "FreeBSD: {\n  url: \""
                + site.packagesite("FreeBSD")
                + "\",\n  mirror_type: \"none\",\n  signature_type: \"fingerprints\",\n"
                + "  fingerprints: \"/usr/share/keys/pkg\",\n  enabled: yes\n}\n",
            "usr/share/keys/pkg/trusted/pkg.freebsd.test",
            freebsd.fingerprintFile()));
    artifact = tmp.resolve("src/iocage-plugin-trust");
    commit = PluginInstallTest.artifact(artifact, "echo post_install ran\n");
  }

  @AfterAll
  static void stop() throws Exception {
    if (site != null) {
      site.close();
    }
    if (plugins != null) {
      plugins.close();
    }
  }

  /** A package holding one program, /usr/local/bin/NAME, that prints its name and version. */
  static PkgSite.TestPackage program(String name, String version) {
    return new PkgSite.TestPackage(
        name,
        version,
        Map.of("/usr/local/bin/" + name, "#!/bin/sh\necho " + name + " " + version + "\n"));
  }

  /** Publishes plugin {@code id}: repository testrepo at {@code site} trusting {@code fps}. */
  static void publishPlugin(
      String id, int revision, String packagesite, String pkgs, String function, String... fps)
      throws Exception {
    plugins.publishPlugin(
        manifest(id, revision, packagesite, pkgs, function, fps), id, artifact, commit);
  }

  /** The manifest of {@link #publishPlugin}, written under tmp/manifests. */
  static Path manifest(
      String id, int revision, String packagesite, String pkgs, String function, String... fps)
      throws Exception {
    List<String> entries = new ArrayList<>();
    for (String fp : fps) {
      entries.add("{\"function\": \"" + function + "\", \"fingerprint\": \"" + fp + "\"}");
    }
    Path manifest = tmp.resolve("manifests/" + id + "-" + revision + ".json");
    Files.createDirectories(manifest.getParent());
    Files.writeString(
        manifest,
        """
        {"name": "Trust %s", "release": "%s", "artifact": "https://git.example.org/trust.git",
         "pkgs": %s, "packagesite": "%s", "fingerprints": {"testrepo": [%s]},
         "properties": {"ip4": "inherit"}, "official": false, "revision": %d}
        """
            .formatted(id, REL, pkgs, packagesite, String.join(", ", entries), revision));
    return manifest;
  }

  private static Path host(String name) {
    Path root = tmp.resolve(name);
    plugins.addRepo(root);
    return root;
  }

  private static CliRun ok(Path root, String... args) {
    CliRun run = plugins.warder(root, args);
    assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run.out() + run.err()).isZero();
    return run;
  }

  /** The install failed at step pkg with {@code detail} and left no jail behind. */
  private static void assertRefusedByPkg(Path root, CliRun run, String detail) {
    System.out.printf("RealPkgTrustTest: refused; warder's output:%n%s%s%n", run.out(), run.err());
    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(1);
    assertThat(run.err()).contains("warder: plugin install failed at step 'pkg'").contains(detail);
    assertThat(root.resolve("jails"))
        .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
  }

  /**
   * Plugin {@code id} trusting only {@code fingerprint} for the catalogue of site repository {@code
   * repo}: pkg refuses the catalogue, the install is rolled back before post_install.
   */
  private static void assertCatalogueNotTrusted(String id, String repo, String fingerprint)
      throws Exception {
    publishPlugin(id, 1, site.packagesite(repo), "[\"trustpkg\"]", "sha256", fingerprint);
    Path root = host(id);
    CliRun run = plugins.warder(root, "fetch", "-P", "acme/" + id, "-n", id, "vnet=0");
    assertRefusedByPkg(root, run, "No trusted public keys found");
    assertThat(run.out()).doesNotContain("post_install ran");
  }

  @Test
  void testInstall_catalogueSignedByAnotherKeyIsRefusedAndRolledBack() throws Exception {
    assertCatalogueNotTrusted("forged", "forged", good.fingerprint());
  }

  @Test
  void testInstall_fingerprintOfTheWrongThingIsRefused() throws Exception {
    // well formed, but the sha256 of the key's DER bytes: pkg hashes the PEM text it is sent
    assertCatalogueNotTrusted("der", "good", good.derFingerprint());
  }

  /**
   * A manifest naming another hash function is refused when published (and by the client, as
   * PkgReposTest shows); real pkg, given such a trusted file, says it does not support the function
   * and trusts nothing, so the refusal loses nothing pkg would have accepted.
   */
  @Test
  void testInstall_fingerprintForAnotherFunction() throws Exception {
    String sha1 = "0123456789abcdef0123456789abcdef01234567";
    Path sha1Manifest =
        manifest("sha1", 1, site.packagesite("good"), "[\"trustpkg\"]", "sha1", sha1);
    CliRun refused = plugins.tryPublishPlugin(sha1Manifest, "sha1", artifact, commit);
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("$.fingerprints.testrepo[0].function: expected \"sha256\", found \"sha1\"");
    Path root = host("funcs");

    publishPlugin(
        "funcs", 1, site.packagesite("good"), "[\"trustpkg\"]", "sha256", good.fingerprint());
    try {
      ok(root, "fetch", "-P", "acme/funcs", "-n", "funcs", "vnet=0");
      Path trusted =
          root.resolve("jails/funcs/root/usr/local/etc/pkg/fingerprints/testrepo/trusted");
      Files.writeString(
          trusted.resolve("testrepo.1"),
          good.fingerprintFile().replace("\"sha256\"", "\"sha512\""));
      CliRun pkg = plugins.warder(root, "pkg", "funcs", "update", "-f");
      assertThat(pkg.exitCode()).isNotZero();
      assertThat(pkg.out() + pkg.err())
          .contains("Unsupported hashing function: sha512")
          .contains("No trusted certificates");
    } finally {
      plugins.warder(root, "stop", "funcs");
    }
  }

  /**
   * The administrator revokes the signing key in the jail: pkg refuses the catalogue, and plugin
   * update (which rewrites the trusted keys from the manifest) keeps the revocation, fails at pkg
   * and rolls back.
   */
  @Test
  void testUpdate_keyRevokedInTheJailStaysRevoked() throws Exception {
    publishPlugin(
        "revoked", 1, site.packagesite("good"), "[\"trustpkg\"]", "sha256", good.fingerprint());
    Path root = host("revoked");
    try {
      ok(root, "fetch", "-P", "acme/revoked", "-n", "revoked", "vnet=0");
      assertThat(ok(root, "exec", "revoked", "trustpkg").out()).isEqualTo("trustpkg 1.0\n");
      Path revoked =
          root.resolve("jails/revoked/root/usr/local/etc/pkg/fingerprints/testrepo/revoked");
      Files.writeString(revoked.resolve("good"), good.fingerprintFile());
      CliRun pkg = plugins.warder(root, "pkg", "revoked", "update", "-f");
      assertThat(pkg.exitCode()).isNotZero();
      assertThat(pkg.out() + pkg.err())
          .contains("At least one of the certificates has been revoked");

      publishPlugin(
          "revoked", 2, site.packagesite("good"), "[\"trustpkg\"]", "sha256", good.fingerprint());
      CliRun update = plugins.warder(root, "plugin", "update", "revoked");
      assertThat(update.exitCode()).as(update.out() + update.err()).isEqualTo(1);
      assertThat(update.err())
          .contains("step 'pkg'")
          .contains("At least one of the certificates has been revoked");
      assertThat(update.out()).contains("restored revoked from its copy");
      assertThat(revoked.resolve("good")).hasContent(good.fingerprintFile().strip());
      assertThat(ok(root, "list", "-P", "-h").out()).contains("revoked\tacme/revoked\t1\t");
    } finally {
      plugins.warder(root, "stop", "revoked");
    }
  }

  /**
   * warder writes the packagesite verbatim; pkg expands {@code ${ABI}} to the release's ABI and
   * fetches from there. FreeBSD's own repository stays enabled by default.
   */
  @Test
  void testInstall_abiExpandedAndFreeBsdRepositoryKeptByDefault() throws Exception {
    publishPlugin(
        "abi",
        1,
        site.packagesite("good"),
        "[\"trustpkg\", \"freebsd-only\"]",
        "sha256",
        good.fingerprint());
    Path root = host("abi");
    try {
      CliRun run = ok(root, "fetch", "-P", "acme/abi", "-n", "abi", "vnet=0");
      System.out.printf(
          "RealPkgTrustTest: installed; warder's output:%n%s%s%n", run.out(), run.err());
      assertThat(run.out())
          .contains("[1/2] Installing ")
          .contains("[2/2] Installing ")
          .contains("post_install ran");
      Path jail = root.resolve("jails/abi/root");
      assertThat(jail.resolve("usr/local/etc/pkg/repos/testrepo.conf"))
          .content()
          .contains("/good/${ABI}/latest\"");
      assertThat(site.requests())
          .contains("/good/FreeBSD:13:amd64/latest/meta.conf")
          .contains("/good/FreeBSD:13:amd64/latest/data.pkg")
          .contains("/good/FreeBSD:13:amd64/latest/All/trustpkg-1.0.pkg")
          .contains("/FreeBSD/FreeBSD:13:amd64/latest/All/freebsd-only-1.0.pkg");
      assertThat(ok(root, "pkg", "abi", "info").out())
          .contains("trustpkg-1.0")
          .contains("freebsd-only-1.0");
    } finally {
      plugins.warder(root, "stop", "abi");
    }
  }

  /**
   * With --disable-freebsd-repo, a package only FreeBSD's repository has is not found (the install
   * is rolled back); the plugin's own packages install, and plugin update leaves FreeBSD's
   * repository off.
   */
  @Test
  void testInstall_disableFreeBsdRepoHonouredAlsoByUpdate() throws Exception {
    publishPlugin(
        "needsbase",
        1,
        site.packagesite("good"),
        "[\"trustpkg\", \"freebsd-only\"]",
        "sha256",
        good.fingerprint());
    Path root = host("nobase");
    CliRun refused =
        plugins.warder(
            root,
            "fetch",
            "-P",
            "acme/needsbase",
            "-n",
            "needsbase",
            "--disable-freebsd-repo",
            "vnet=0");
    assertRefusedByPkg(
        root,
        refused,
        "No packages available to install matching 'freebsd-only' have been found in the"
            + " repositories");

    publishPlugin(
        "ownonly", 1, site.packagesite("good"), "[\"trustpkg\"]", "sha256", good.fingerprint());
    try {
      int before = site.requests().size();
      ok(root, "fetch", "-P", "acme/ownonly", "-n", "ownonly", "--disable-freebsd-repo", "vnet=0");
      publishPlugin(
          "ownonly", 2, site.packagesite("good"), "[\"trustpkg\"]", "sha256", good.fingerprint());
      CliRun update = ok(root, "plugin", "update", "ownonly");
      assertThat(update.out()).contains("ownonly is at acme/ownonly revision 2");
      List<String> requests = site.requests().subList(before, site.requests().size());
      assertThat(requests).anyMatch(r -> r.startsWith("/good/"));
      assertThat(requests).noneMatch(r -> r.startsWith("/FreeBSD/"));
      assertThat(root.resolve("jails/ownonly/root/usr/local/etc/pkg/repos/FreeBSD.conf"))
          .content()
          .contains("FreeBSD: { enabled: no }");
    } finally {
      plugins.warder(root, "stop", "ownonly");
    }
  }

  /**
   * Three iocage manifests (two of the samples, one of the plugin index) install with the real pkg,
   * keeping their repository names, fingerprint functions and package lists; only what points
   * outside this machine is replaced: the packagesite (the same path on the test's site, signed
   * with a key of its own), the fingerprint, the release, and the network (a shared stack here).
   */
  @Test
  void testInstall_iocageManifestsWithTheirOwnRepositoryNames() throws Exception {
    List<Path> manifests =
        List.of(
            SAMPLES.resolve(
                "iocage-samples/ix-plugin-hub__iocage-plugin-index__master__transmission.json"),
            SAMPLES.resolve(
                "iocage-samples/ix-plugin-hub__iocage-plugin-index__a46f8049eff04570e50e82e67449cca59311eb8a__homebridge.json"),
            SAMPLES.resolve("iocage-plugin-index/gitea.json"));
    Path root = host("samples");
    List<String> jails = new ArrayList<>();
    try {
      for (Path file : manifests) {
        ObjectNode m = (ObjectNode) JSON.readTree(file.toFile());
        String name = file.getFileName().toString();
        String id = name.substring(name.lastIndexOf('_') + 1).replace(".json", "");
        String repo = m.get("fingerprints").fieldNames().next();
        String function = m.get("fingerprints").get(repo).get(0).get("function").asText();
        String branch = m.get("packagesite").asText().replaceAll(".*/", "");
        PkgSigningKey key = PkgSigningKey.generate(tmp.resolve("pkg-keys"), id);
        List<PkgSite.TestPackage> packages = new ArrayList<>();
        for (JsonNode p : m.get("pkgs")) {
          packages.add(program(p.asText(), "1.0"));
        }
        site.publish(id, branch, key, packages);
        ArrayNode fps = JSON.createArrayNode();
        fps.addObject().put("function", function).put("fingerprint", key.fingerprint());
        m.putObject("fingerprints").set(repo, fps);
        m.put("packagesite", site.packagesite(id, branch));
        m.put("release", REL);
        m.putObject("properties").put("ip4", "inherit");
        Path manifest = tmp.resolve("manifests/sample-" + id + ".json");
        Files.createDirectories(manifest.getParent());
        JSON.writeValue(manifest.toFile(), m);
        plugins.publishPlugin(manifest, id, artifact, commit);

        CliRun run = ok(root, "fetch", "-P", "acme/" + id, "-n", id, "vnet=0");
        jails.add(id);
        assertThat(run.out())
            .as(id)
            .contains(
                repo + " repository update completed. " + packages.size() + " packages processed.")
            .contains("[" + packages.size() + "/" + packages.size() + "] Installing ");
        Path jail = root.resolve("jails/" + id + "/root");
        assertThat(jail.resolve("usr/local/etc/pkg/repos/" + repo + ".conf"))
            .as(id)
            .content()
            .contains("/" + id + "/${ABI}/" + branch + "\"");
        assertThat(
                jail.resolve("usr/local/etc/pkg/fingerprints/" + repo + "/trusted/" + repo + ".1"))
            .as(id)
            .content()
            .contains(key.fingerprint());
        String installed = ok(root, "pkg", id, "info").out();
        for (PkgSite.TestPackage p : packages) {
          assertThat(installed).as(id).contains(p.name() + "-1.0");
          assertThat(ok(root, "exec", id, p.name()).out()).isEqualTo(p.name() + " 1.0\n");
        }
      }
      assertThat(jails).hasSize(3);
    } finally {
      for (String jail : jails) {
        plugins.warder(root, "stop", jail);
      }
    }
  }
}
