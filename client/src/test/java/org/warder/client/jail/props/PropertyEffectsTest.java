package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.warder.client.freebsd.DevfsRules;
import org.warder.client.jail.props.PropertyException.Problem;
import org.warder.client.jail.props.PropertySpec.Access;
import org.warder.client.net.JailNetwork;

/**
 * No property is accepted and silently ignored: every settable key of the catalogue, set to a
 * non-default value, changes the jail's jail(8) parameters, its network ({@link JailNetwork}) or
 * the devfs rules it gets ({@link DevfsRules}), or is used by name elsewhere ({@link #ELSEWHERE},
 * each entry checked against the source that uses it); every unsupported key is refused by set with
 * its reason.
 */
class PropertyEffectsTest {
  private static final Path MAIN = Path.of("src/main/java/org/warder/client");
  private static final JailName NAME = new JailName("probe");

  /** A valid non-default value of each settable key that is not a boolean (booleans flip). */
  private static final Map<String, String> PROBE =
      Map.ofEntries(
          Map.entry("interfaces", "vnet0:bridge5"),
          Map.entry("vnet_default_interface", "em1"),
          Map.entry("vnet_default_mtu", "9000"),
          Map.entry("mac_prefix", "0a0b0c"),
          Map.entry("vnet0_mac", "0a0000000001 0a0000000002"),
          Map.entry("vnet1_mac", "0a0000000003 0a0000000004"),
          Map.entry("vnet2_mac", "0a0000000005 0a0000000006"),
          Map.entry("vnet3_mac", "0a0000000007 0a0000000008"),
          Map.entry("vnet0_mtu", "1400"),
          Map.entry("vnet1_mtu", "1400"),
          Map.entry("vnet2_mtu", "1400"),
          Map.entry("vnet3_mtu", "1400"),
          Map.entry("ip4_addr", "em0|192.0.2.5/24"),
          Map.entry("ip6_addr", "em0|2001:db8::5/64"),
          Map.entry("ip4", "inherit"),
          Map.entry("ip6", "disable"),
          Map.entry("defaultrouter", "192.0.2.1"),
          Map.entry("defaultrouter6", "2001:db8::1"),
          Map.entry("nat_forwards", "tcp(80:8080)"),
          Map.entry("nat_prefix", "10.99"),
          Map.entry("nat_interface", "em1"),
          Map.entry("nat_backend", "pf"),
          Map.entry("resolver", "nameserver 192.0.2.53"),
          Map.entry("host_hostname", "www.example.org"),
          Map.entry("host_domainname", "example.org"),
          Map.entry("host_hostuuid", "c0ffee"),
          Map.entry("priority", "5"),
          Map.entry("depends", "db"),
          Map.entry("exec_prestart", "/bin/echo prestart"),
          Map.entry("exec_created", "/bin/echo created"),
          Map.entry("exec_start", "/bin/sh /etc/rc.local"),
          Map.entry("exec_poststart", "/bin/echo poststart"),
          Map.entry("exec_prestop", "/bin/echo prestop"),
          Map.entry("exec_stop", "/bin/sh /etc/rc.local.shutdown"),
          Map.entry("exec_poststop", "/bin/echo poststop"),
          Map.entry("exec_timeout", "120"),
          Map.entry("stop_timeout", "10"),
          Map.entry("exec_fib", "1"),
          Map.entry("exec_jail_user", "www"),
          Map.entry("securelevel", "3"),
          Map.entry("enforce_statfs", "1"),
          Map.entry("children_max", "2"),
          Map.entry("devfs_ruleset", "1001"),
          Map.entry("sysvmsg", "disable"),
          Map.entry("sysvsem", "disable"),
          Map.entry("sysvshm", "disable"),
          Map.entry("cpuset", "0-1"),
          Map.entry("notes", "hello"));

  private static final List<String> VNET =
      List.of("vnet=1", "interfaces=vnet0:bridge0,vnet1:bridge1,vnet2:bridge2,vnet3:bridge3");
  private static final List<String> NAT =
      List.of("vnet=1", "nat=1", "ip4_addr=vnet0|172.16.0.2/30", "defaultrouter=172.16.0.1");

  /** The properties a key needs around it for its effect to show (a MAC needs a vnet jail). */
  private static final Map<String, List<String>> CONTEXT =
      Map.ofEntries(
          Map.entry("interfaces", List.of("vnet=1")),
          Map.entry("vnet_default_interface", VNET),
          Map.entry("vnet_default_mtu", VNET),
          Map.entry("mac_prefix", VNET),
          Map.entry("vnet0_mac", VNET),
          Map.entry("vnet1_mac", VNET),
          Map.entry("vnet2_mac", VNET),
          Map.entry("vnet3_mac", VNET),
          Map.entry("vnet0_mtu", VNET),
          Map.entry("vnet1_mtu", VNET),
          Map.entry("vnet2_mtu", VNET),
          Map.entry("vnet3_mtu", VNET),
          Map.entry("defaultrouter", VNET),
          Map.entry("defaultrouter6", VNET),
          Map.entry("nat", NAT.stream().filter(kv -> !kv.equals("nat=1")).toList()),
          Map.entry("nat_forwards", NAT),
          Map.entry("nat_interface", NAT),
          Map.entry("nat_backend", NAT));

  /** Where a key used by name outside jail.conf, the network and devfs is used, and for what. */
  private record Use(String source, String evidence, String what) {}

  /**
   * Keys whose effect is not in the jail's parameters, network or devfs rules: each points at the
   * source that uses it (under src/main/java/org/warder/client), checked to hold the evidence.
   */
  private static final Map<String, Use> ELSEWHERE =
      Map.ofEntries(
          Map.entry(
              "boot",
              new Use("jail/JailLifecycle.java", "isTrue(\"boot\")", "started by start --boot")),
          Map.entry(
              "priority",
              new Use("jail/JailLifecycle.java", "intValue(\"priority\")", "start and stop order")),
          Map.entry(
              "depends",
              new Use("jail/JailLifecycle.java", "props().depends()", "started before the jail")),
          Map.entry(
              "basejail",
              new Use("jail/JailMounts.java", "isTrue(\"basejail\")", "read-only system mounts")),
          Map.entry(
              "mount_linprocfs",
              new Use("jail/JailMounts.java", "isTrue(\"mount_linprocfs\")", "an fstab line")),
          Map.entry(
              "template",
              new Use(
                  "jail/JailPropertyEditor.java", "equals(\"template\")", "a read-only template")),
          Map.entry(
              "nat_prefix",
              new Use("net/NatAddresses.java", "value(\"nat_prefix\")", "the /30 NAT allocates")),
          Map.entry(
              "notes",
              new Use(
                  "jail/JailPropertyEditor.java",
                  "props().effective()",
                  "free text for the administrator, shown by get")),
          Map.entry(
              "resolver",
              new Use(
                  "jail/StartFiles.java",
                  "value(\"resolver\")",
                  "the jail's /etc/resolv.conf, written at every start")),
          Map.entry(
              "host_time",
              new Use(
                  "jail/StartFiles.java",
                  "isTrue(\"host_time\")",
                  "the host's /etc/localtime copied into the jail at every start")),
          Map.entry(
              "cpuset",
              new Use(
                  "jail/JailLifecycle.java",
                  "value(\"cpuset\")",
                  "RuntimeSpec.cpuset: cpuset -l CPUS -j JID after start on FreeBSD; refused by the"
                      + " Linux sandbox, where a process can widen its affinity again")),
          Map.entry(
              "rtsold",
              new Use(
                  "jail/props/Implications.java",
                  "\"rtsold\"",
                  "follows ip6_addr's accept_rtadv entries: turned on by one, refused without"
                      + " (Consistency); the jail's rc.conf follows VnetInterface.acceptRtadv")));

  @Test
  void testEverySettableKey_changesTheJailOrIsUsedByName() throws Exception {
    List<String> ignored = new ArrayList<>();
    for (PropertySpec spec : PropertyCatalog.all()) {
      String key = spec.key();
      if (!spec.settable()) {
        continue;
      }
      if (ELSEWHERE.containsKey(key)) {
        Use use = ELSEWHERE.get(key);
        assertThat(Files.readString(MAIN.resolve(use.source())))
            .as(key + " is used in " + use.source() + " (" + use.what() + ")")
            .contains(use.evidence());
        continue;
      }
      String value = probe(spec);
      assertThat(value).as(key).isNotEqualTo(spec.defaultValue().orElseThrow());
      List<String> context = CONTEXT.getOrDefault(key, List.of());
      List<String> probed = new ArrayList<>(context);
      probed.add(key + "=" + value);
      if (effects(props(context)).equals(effects(props(probed)))) {
        ignored.add(key + "=" + value);
      }
    }
    assertThat(ignored).as("accepted but changing nothing").isEmpty();
  }

  @Test
  void testElsewhere_staysHonest() throws Exception {
    for (String key : ELSEWHERE.keySet()) {
      PropertySpec spec = PropertyCatalog.find(key).orElseThrow();
      if (key.equals("rtsold")) {
        continue; // refused alone, so its walk cannot run: ImplicationsTest shows its meaning
      }
      List<String> context = CONTEXT.getOrDefault(key, List.of());
      List<String> probed = new ArrayList<>(context);
      probed.add(key + "=" + probe(spec));
      assertThat(effects(props(probed)))
          .as(key + " shows in jail.conf, the network or devfs: take it out of ELSEWHERE")
          .isEqualTo(effects(props(context)));
    }
  }

  @Test
  void testEveryUnsupportedKey_isRefusedBySetWithItsReason() throws Exception {
    JailProperties jail = JailProperties.defaults().withIdentity(Map.of("name", "probe"));
    List<PropertySpec> unsupported =
        PropertyCatalog.all().stream().filter(s -> s.access() == Access.UNSUPPORTED).toList();
    assertThat(unsupported).hasSizeGreaterThan(30);
    for (PropertySpec spec : unsupported) {
      PropertyException e =
          catchThrowableOfType(
              PropertyException.class, () -> jail.withImplied(Map.of(spec.key(), "1")));
      assertThat(e).as(spec.key()).isNotNull();
      assertThat(e.problem()).as(spec.key()).isEqualTo(Problem.UNSUPPORTED);
      assertThat(e)
          .as(spec.key())
          .hasMessage(
              "iocage property "
                  + spec.key()
                  + " is not supported by warder: "
                  + spec.description()
                  + "; remove it");
      assertThat(spec.description()).as(spec.key()).doesNotContain("does not implement this");
    }
  }

  @Test
  void testNewlySupported_execCreatedAndIpHostname() throws Exception {
    assertThat(props(List.of("exec_created=/usr/local/sbin/setup probe")).jailParameters())
        .containsEntry("exec.created", "/usr/local/sbin/setup probe");
    assertThat(props(List.of()).jailParameters()).doesNotContainKeys("exec.created", "ip_hostname");
    assertThat(props(List.of("ip_hostname=1", "host_hostname=www.example.org")).jailParameters())
        .containsEntry("ip_hostname", "true")
        .containsEntry("host.hostname", "www.example.org");
    PropertyException vnet =
        catchThrowableOfType(
            PropertyException.class,
            () -> JailProperties.forCreate(List.of("vnet=1", "ip_hostname=1")));
    assertThat(vnet.problem()).isEqualTo(Problem.INCONSISTENT);
    assertThat(PropertyCatalog.find("exec_created").orElseThrow().access()).isEqualTo(Access.HOST);
    assertThat(PluginPropertyDefaults.allowed("ip_hostname", "1")).isFalse();
  }

  private static String probe(PropertySpec spec) {
    if (spec.type().name().equals("bool")) {
      return spec.defaultValue().orElseThrow().equals("1") ? "0" : "1";
    }
    String value = PROBE.get(spec.key());
    assertThat(value).as("a probe value for " + spec.key() + " in PROBE").isNotNull();
    return value;
  }

  private static JailProperties props(List<String> keyValues) throws PropertyException {
    return JailProperties.parse(keyValues).withIdentity(Map.of("name", NAME.value()));
  }

  /** Everything the properties change at start that this package's callers derive from them. */
  private static List<Object> effects(JailProperties p) throws Exception {
    return List.of(
        p.jailParameters(),
        JailNetwork.of(NAME, p),
        DevfsRules.commands(1000, p, Map.of(), List.of()));
  }
}
