package org.warder.client.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.release.SyntheticRelease;
import org.warder.client.testing.TestHost;
import org.warder.signing.testing.StaticHttpServer;

/**
 * A base jail's origin names what its system directories are read-only mounts of: a release or
 * template of this host, never a path. An origin that is a host path, climbs out with {@code ..} or
 * names a release this host lacks is refused wherever it is read (the import of a bundle, the start
 * of a base jail, the writing of its fstab), with a clear message, and no mount of it is ever
 * written; the origins warder writes keep working.
 */
class BaseJailOriginTest {
  static final String REL = "13.4-RELEASE";
  static final String EXPECTED =
      "property origin: expected releases/<RELEASE> or templates/<TEMPLATE>, a release or"
          + " template of this host, found '";

  @TempDir Path tmp;
  TestHost a;
  TestHost b;

  @BeforeEach
  void hosts() throws Exception {
    Path www = tmp.resolve("www");
    SyntheticRelease.write(www.resolve("amd64/" + REL), false, 4);
    a = new TestHost(tmp.resolve("a"));
    b = new TestHost(tmp.resolve("b"));
    try (StaticHttpServer mirror = new StaticHttpServer(www)) {
      for (TestHost host : List.of(a, b)) {
        host.ok("fetch", "-r", REL, "--arch", "amd64", "--mirror", mirror.url("").toString());
      }
    }
  }

  @Test
  void testImport_originThatIsNoReleaseOrTemplateOfThisHostIsRefused() throws Exception {
    a.ok("create", "-b", "-n", "bj", "-r", REL);
    Path bundle = tmp.resolve("bj.tar");
    a.ok("export", "bj", "-o", bundle.toString());
    Files.delete(BundleCompanions.sha256File(bundle));
    for (String origin :
        List.of("/etc", "../..", "releases/../../etc", "templates/../../../etc", "jails/other")) {
      assertThat(b.refused("import", withOrigin(bundle, origin).toString()))
          .as(origin)
          .contains("bundle.json $.config: " + EXPECTED + origin + "'")
          .contains("nothing was imported");
      ExportImportTest.assertNothingLeft(b, "bj");
    }
    assertThat(b.refused("import", withOrigin(bundle, "releases/99.0-RELEASE").toString()))
        .isEqualTo(
            "warder: bj is a"
                + " base jail: its system directories are read-only mounts of release 99.0-RELEASE, which this host lacks;"
                + " fetch it with 'warder fetch -r 99.0-RELEASE' first\n");
    assertThat(b.refused("import", withOrigin(bundle, "templates/tmpl").toString()))
        .contains(
            "read-only mounts of"
                + " template tmpl, which this host lacks; import or pull that template first");
    ExportImportTest.assertNothingLeft(b, "bj");

    b.ok("import", bundle.toString());
    assertThat(Files.readString(b.root().resolve("jails/bj/fstab")))
        .contains(
            b.root().resolve("releases/" + REL + "/root/bin")
                + "\t"
                + b.jailRoot("bj").resolve("bin"))
        .doesNotContain("/etc\t");
  }

  @Test
  void testStartAndFstab_editedOriginIsRefused_validOriginsWork() throws Exception {
    b.ok("create", "-b", "-n", "bj", "-r", REL);
    b.ok("create", "-n", "tmpl", "-r", REL);
    b.ok("set", "template=yes", "tmpl");
    b.ok("create", "-b", "-n", "fromtmpl", "-t", "tmpl");
    assertThat(Files.readString(b.root().resolve("jails/fromtmpl/fstab")))
        .contains(b.root().resolve("templates/tmpl/root/bin").toString());
    Path config = b.root().resolve("jails/bj/config.json");
    String valid = Files.readString(config);
    String fstab = Files.readString(b.root().resolve("jails/bj/fstab"));
    for (String origin : List.of("/etc", "../..", "releases/../../../etc")) {
      Files.writeString(config, valid.replace("\"releases/" + REL + "\"", "\"" + origin + "\""));
      assertThat(b.refused("start", "bj"))
          .contains(config + " is damaged: " + EXPECTED + origin + "'");
      assertThat(b.refused("set", "mount_linprocfs=1", "bj")).contains(EXPECTED + origin + "'");
    }
    Files.writeString(
        config, valid.replace("\"releases/" + REL + "\"", "\"releases/99.0-RELEASE\""));
    String lacks =
        "bj is a base jail: its system directories are read-only mounts of release 99.0-RELEASE, which this"
            + " host lacks; fetch it with 'warder fetch -r 99.0-RELEASE' first";
    assertThat(b.refused("start", "bj")).isEqualTo("warder: " + lacks + "\n");
    assertThat(b.refused("set", "mount_linprocfs=1", "bj")).isEqualTo("warder: " + lacks + "\n");
    assertThat(b.root().resolve("jails/bj/fstab")).hasContent(fstab.strip());

    Files.writeString(config, valid);
    for (String jail : List.of("bj", "fromtmpl")) {
      b.ok("start", jail);
      assertThat(b.ok("exec", jail, "cat", "/usr/share/misc/termcap").out())
          .isEqualTo("# termcap\n");
      b.ok("stop", jail);
    }
  }

  /** {@code bundle} with its config's origin set to {@code origin}, its digests matching. */
  private Path withOrigin(Path bundle, String origin) throws Exception {
    BundleForge forge = BundleForge.read(bundle);
    ObjectNode m = forge.manifest();
    ((ObjectNode) m.get("config")).put("origin", origin);
    forge.manifest(m);
    Path out = tmp.resolve("origin-" + System.nanoTime() + ".tar");
    forge.write(out);
    return out;
  }
}
