package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.warder.index.CatalogException;
import org.warder.index.InvalidFieldException;
import org.warder.index.PluginManifest;
import org.warder.signing.Digests;

/**
 * What a plugin manifest may ask of the host by default, against every real manifest and hostile
 * ones.
 */
class ManifestPolicyTest {
  static final Path RESOURCES =
      Path.of(System.getProperty("basedir", "."))
          .resolve("../plugin-index/src/test/resources")
          .normalize();
  static final String FP = "b0170035af3acc5f3f3ae1859dc717101b4e6c1d0a794ad554928ca0cbb2f438";

  /**
   * Every real manifest of the index and the samples, once each (by content), by file name; those
   * the manifest parser refuses go to {@code unparsable}.
   */
  static Map<String, PluginManifest> realManifests(List<String> unparsable) throws Exception {
    Map<String, PluginManifest> out = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (String dir : List.of("iocage-plugin-index", "iocage-samples")) {
      List<Path> files;
      try (Stream<Path> list = Files.list(RESOURCES.resolve(dir))) {
        files = list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
      }
      for (Path f : files) {
        byte[] bytes = Files.readAllBytes(f);
        if (!seen.add(Digests.sha256Hex(bytes))) {
          continue;
        }
        try {
          out.put(dir + "/" + f.getFileName(), PluginManifest.parse(bytes).value());
        } catch (CatalogException e) {
          unparsable.add(dir + "/" + f.getFileName());
        }
      }
    }
    return out;
  }

  static PluginManifest manifest(String extra) throws Exception {
    String json =
        """
        {"name": "Evil", "release": "13.2-RELEASE", "artifact": "", "pkgs": ["nginx"],
         "packagesite": "https://pkg.example.org/${ABI}/latest",
         "fingerprints": {"evil": [{"function": "sha256", "fingerprint": "%s"}]}%s}
        """
            .formatted(FP, extra.isEmpty() ? "" : ", " + extra);
    return PluginManifest.parse(json.getBytes(StandardCharsets.UTF_8)).value();
  }

  static ManifestPolicy.Decision decide(PluginManifest m, PluginAllowances allowances)
      throws Exception {
    return ManifestPolicy.decide("acme/evil", ManifestPolicy.asks(m, List.of()), allowances);
  }

  @Test
  void realManifests_allowedByDefault_butTheTwoThatWeakenTheJail() throws Exception {
    List<String> unparsable = new ArrayList<>();
    Map<String, PluginManifest> real = realManifests(unparsable);
    assertThat(unparsable)
        .as("a duplicate key 'official'")
        .containsExactly("iocage-plugin-index/emby-server-stable.json");
    assertThat(real).hasSize(79);
    Map<String, Integer> asked = new TreeMap<>();
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, PluginManifest> e : real.entrySet()) {
      for (ManifestPolicy.Ask a : ManifestPolicy.asks(e.getValue(), List.of())) {
        asked.merge(
            a.kind()
                + " "
                + a.name()
                + (a.kind() == ManifestPolicy.Kind.PROPERTY ? "=" + a.value() : ""),
            1,
            Integer::sum);
      }
      try {
        assertThat(decide(e.getValue(), PluginAllowances.NONE).granted()).as(e.getKey()).isEmpty();
      } catch (ManifestNotAllowedException ex) {
        refused.add(e.getKey());
      }
    }
    System.out.println("what the " + real.size() + " real manifests ask for: " + asked);
    assertThat(refused)
        .containsExactly(
            "iocage-plugin-index/netdata.json",
            "iocage-samples/ix-plugin-hub__iocage-plugin-index__86dc76a9b08fbf368c341f4cc6bf99a1bfd4ebdf__archiwarep5.json");

    PluginManifest netdata = real.get("iocage-plugin-index/netdata.json");
    assertThatThrownBy(() -> decide(netdata, PluginAllowances.NONE))
        .isInstanceOf(ManifestNotAllowedException.class)
        .hasMessageStartingWith(
            "plugin acme/evil asks for more than a plugin gets by default, so nothing was made: "
                + "properties.securelevel=-1 needs --allow-property securelevel. Defaults: devices bpf* tun* cua*");
    assertThat(
            decide(netdata, new PluginAllowances(List.of(), List.of(), List.of("securelevel")))
                .lines())
        .containsExactly(
            "will allow: properties.securelevel=-1, granted by --allow-property securelevel");

    PluginManifest archiware =
        real.get(
            "iocage-samples/"
                + "ix-plugin-hub__iocage-plugin-index__86dc76a9b08fbf368c341f4cc6bf99a1bfd4ebdf__archiwarep5.json");
    assertThatThrownBy(() -> decide(archiware, PluginAllowances.NONE))
        .hasMessageContaining(
            "devfs_ruleset.paths 'pass0' (host devices made visible in the jail) needs --allow-device 'pass0'; ")
        .hasMessageContaining(
            "properties.enforce_statfs=0 needs --allow-property enforce_statfs. Defaults")
        .hasMessageContaining("properties.allow_mount=1 needs --allow-property allow_mount; ")
        .hasMessageNotContaining("'zfs'");
    PluginAllowances tapes =
        new PluginAllowances(
            List.of("pass*", "sa0", "nsa0", "ch0", "xpt0"),
            List.of(),
            List.of(
                "allow_mount",
                "allow_mount_devfs",
                "allow_mount_procfs",
                "securelevel",
                "enforce_statfs"));
    assertThat(decide(archiware, tapes).granted()).hasSize(17);
    assertThat(decide(archiware, tapes).unused()).isEmpty();
  }

  @Test
  void hostileManifests_refusedNamingTheKeyAndFlag_allowedByThatFlagOnly() throws Exception {
    record Case(String json, String refusal, PluginAllowances flag, String grant) {}
    PluginAllowances none = PluginAllowances.NONE;
    List<Case> cases = new ArrayList<>();
    for (String dev : List.of("*", "mem", "kmem", "io", "da0", "pass*", "dri/../mem")) {
      if (dev.contains("..")) {
        continue; // refused by the manifest parser; see below
      }
      cases.add(
          new Case(
              "\"devfs_ruleset\": {\"paths\": {\"" + dev + "\": null, \"bpf*\": null}}",
              "devfs_ruleset.paths '"
                  + dev
                  + "' (host devices made visible in the jail) needs --allow-device '"
                  + dev
                  + "'",
              new PluginAllowances(List.of(dev), List.of(), List.of()),
              "will allow: devfs_ruleset.paths '"
                  + dev
                  + "' (host devices made visible in the jail), granted by --allow-device '"
                  + dev
                  + "'"));
    }
    cases.add(
        new Case(
            "\"devfs_ruleset\": {\"paths\": {}, \"includes\": [\"42\"]}",
            "devfs_ruleset.includes 42 (a host devfs ruleset) needs --allow-device include:42",
            new PluginAllowances(List.of("include:42"), List.of(), List.of()),
            "will allow: devfs_ruleset.includes 42 (a host devfs ruleset), granted by --allow-device include:42"));
    for (String[] p :
        new String[][] {
          {"securelevel", "-1"},
          {"securelevel", "0"},
          {"enforce_statfs", "0"},
          {"allow_mount", "1"},
          {"allow_mount_zfs", "1"},
          {"allow_mount_devfs", "1"},
          {"allow_mount_nullfs", "1"},
          {"children_max", "5"},
          {"allow_vmm", "1"},
          {"allow_chflags", "1"},
          {"sysvshm", "inherit"}
        }) {
      cases.add(
          new Case(
              "\"properties\": {\"nat\": 1, \"" + p[0] + "\": \"" + p[1] + "\"}",
              "properties." + p[0] + "=" + p[1] + " needs --allow-property " + p[0],
              new PluginAllowances(List.of(), List.of(), List.of(p[0])),
              "will allow: properties."
                  + p[0]
                  + "="
                  + p[1]
                  + ", granted by --allow-property "
                  + p[0]));
    }
    for (String kmod : List.of("vmm", "evil.ko", "if_bridge")) {
      cases.add(
          new Case(
              "\"kmods\": [\"linux64\", \"" + kmod + "\"]",
              "kmods " + kmod + " (a kernel module loaded on the host) needs --allow-kmod " + kmod,
              new PluginAllowances(List.of(), List.of(kmod), List.of()),
              "will allow: kmods "
                  + kmod
                  + " (a kernel module loaded on the host), granted by --allow-kmod "
                  + kmod));
    }
    for (Case c : cases) {
      PluginManifest m = manifest(c.json());
      assertThatThrownBy(() -> decide(m, none))
          .as(c.json())
          .isInstanceOf(ManifestNotAllowedException.class)
          .hasMessageContaining(c.refusal())
          .hasMessageEndingWith("repeat the command with those flags");
      assertThat(decide(m, c.flag()).lines()).as(c.json()).containsExactly(c.grant());
      assertThatThrownBy(
              () ->
                  decide(
                      m, new PluginAllowances(List.of("usb/*"), List.of("linux"), List.of("boot"))))
          .as("another flag does not allow " + c.json())
          .isInstanceOf(ManifestNotAllowedException.class);
    }
    // host commands never: no flag lets a manifest set them (the administrator types them as
    // KEY=VALUE)
    PluginManifest prestart =
        manifest("\"properties\": {\"exec_prestart\": \"/bin/sh -c 'touch /tmp/pwned'\"}");
    assertThatThrownBy(() -> decide(prestart, none))
        .isInstanceOf(ManifestNotAllowedException.class)
        .hasMessageContaining(
            "properties.exec_prestart=/bin/sh -c 'touch /tmp/pwned' cannot be allowed: exec_prestart"
                + " acts on the host (host command run before the jail is created), so a plugin manifest may never set it;"
                + " give it yourself on the command line as exec_prestart=VALUE");
    assertThatThrownBy(() -> new PluginAllowances(List.of(), List.of(), List.of("exec_prestart")))
        .hasMessageStartingWith("--allow-property exec_prestart: exec_prestart acts on the host");
    assertThatThrownBy(() -> new PluginAllowances(List.of(), List.of(), List.of("securelvel")))
        .hasMessageStartingWith(
            "--allow-property securelvel: expected a jail property key, found unknown 'securelvel';"
                + " did you mean securelevel");
    // values HostRisk finds harmless need no flag, whether or not real plugins use the key
    assertThat(
            decide(
                    manifest(
                        "\"properties\": {\"priority\": 10, \"securelevel\": 3, \"host_time\": 0}"),
                    none)
                .lines())
        .isEmpty();
    // paths never: the manifest parser refuses them, and so do the flags
    assertThatThrownBy(() -> manifest("\"kmods\": [\"/tmp/evil.ko\"]"))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("$.kmods[0]")
        .hasMessageContaining("no '/'");
    assertThatThrownBy(() -> manifest("\"devfs_ruleset\": {\"paths\": {\"dri/../mem\": null}}"))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("no '..'");
    for (String bad : List.of("/tmp/evil.ko", "../evil", "a/b")) {
      assertThatThrownBy(() -> new PluginAllowances(List.of(), List.of(bad), List.of()))
          .as(bad)
          .hasMessageStartingWith(
              "--allow-kmod: expected a kernel module name such as vmm (never a path");
    }
    assertThatThrownBy(() -> new PluginAllowances(List.of("/dev/mem"), List.of(), List.of()))
        .hasMessageStartingWith("--allow-device: expected a devfs path pattern");
    assertThatThrownBy(() -> new PluginAllowances(List.of("include:$evil"), List.of(), List.of()))
        .hasMessageStartingWith("--allow-device: expected");
    assertThatThrownBy(() -> new PluginAllowances(List.of(), List.of(), List.of("Securelevel=1")))
        .hasMessageStartingWith("--allow-property: expected a jail property key");
  }

  @Test
  void everyRefusalIsNamedInOneMessage() throws Exception {
    PluginManifest m =
        manifest(
            "\"devfs_ruleset\": {\"paths\": {\"*\": null}}, \"kmods\": [\"vmm\"],"
                + " \"properties\": {\"securelevel\": -1, \"allow_vmm\": 1}");
    assertThatThrownBy(() -> decide(m, new PluginAllowances(List.of(), List.of("vmm"), List.of())))
        .hasMessageContaining(
            "devfs_ruleset.paths '*' (host devices made visible in the jail) needs --allow-device '*'; "
                + "properties.securelevel=-1 needs --allow-property securelevel; "
                + "properties.allow_vmm=1 needs --allow-property allow_vmm. Defaults:")
        .hasMessageNotContaining("kmods vmm");
  }

  @Test
  void userPropertiesAreTheUsersOwn_unneededFlagsNoted() throws Exception {
    PluginManifest m = manifest("\"properties\": {\"securelevel\": -1}");
    assertThat(
            ManifestPolicy.decide(
                    "acme/evil",
                    ManifestPolicy.asks(m, List.of("securelevel=3")),
                    PluginAllowances.NONE)
                .lines())
        .isEmpty();
    assertThat(
            decide(
                    manifest(""),
                    new PluginAllowances(List.of("pass*"), List.of("vmm"), List.of("allow_vmm")))
                .lines())
        .containsExactly(
            "note: --allow-device pass* is not needed: the manifest does not ask for it",
            "note: --allow-kmod vmm is not needed: the manifest does not ask for it",
            "note: --allow-property allow_vmm is not needed: the manifest does not ask for it");
  }

  @Test
  void devicePatternsCover_onlyWhatTheyMatch() {
    assertThat(ManifestPolicy.covers("cua*", "cuaU0")).isTrue();
    assertThat(ManifestPolicy.covers("cua*", "cuaU*")).isTrue();
    assertThat(ManifestPolicy.covers("bpf*", "bpf")).isTrue();
    assertThat(ManifestPolicy.covers("dri/*", "dri/card0")).isTrue();
    assertThat(ManifestPolicy.covers("dri*", "dri/card0")).as("* stops at /").isFalse();
    assertThat(ManifestPolicy.covers("cua*", "cua*/x")).isFalse();
    assertThat(ManifestPolicy.covers("bpf*", "*")).isFalse();
    assertThat(ManifestPolicy.covers("bpf*", "b*")).isFalse();
    assertThat(ManifestPolicy.covers("bpf*", "bpf[0-9]")).isTrue();
    assertThat(ManifestPolicy.covers("pass[0-3]", "pass2")).isTrue();
    assertThat(ManifestPolicy.covers("pass[0-3]", "pass4")).isFalse();
    assertThat(ManifestPolicy.covers("pass?", "pass12")).isFalse();
    assertThat(ManifestPolicy.covers("zfs", "zfs")).isTrue();
    assertThat(ManifestPolicy.covers("usb*", "usb/0.1.0")).isFalse();
    assertThat(ManifestPolicy.covers("*", "mem")).isTrue();
  }
}
