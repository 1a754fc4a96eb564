package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.warder.client.jail.props.PropertyException.Problem;

/** Parsing, validation, normalization and error messages of jail properties. */
class JailPropertiesTest {

  private static PropertyException refused(String... keyValues) {
    return catchThrowableOfType(
        PropertyException.class, () -> JailProperties.parse(List.of(keyValues)));
  }

  @Test
  void testDefaults_areIocages() {
    JailProperties d = JailProperties.defaults();
    assertThat(d.explicit()).isEmpty();
    assertThat(d.value("ip4_addr")).isEqualTo("none");
    assertThat(d.value("defaultrouter")).isEqualTo("auto");
    assertThat(d.value("devfs_ruleset")).isEqualTo("4");
    assertThat(d.value("exec_start")).isEqualTo("/bin/sh /etc/rc");
    assertThat(d.value("exec_stop")).isEqualTo("/bin/sh /etc/rc.shutdown");
    assertThat(d.intValue("securelevel")).isEqualTo(2);
    assertThat(d.intValue("priority")).isEqualTo(99);
    assertThat(d.isTrue("allow_set_hostname")).isTrue();
    assertThat(d.isTrue("allow_raw_sockets")).isFalse();
    assertThat(d.isTrue("mount_devfs")).isTrue();
    assertThat(d.isTrue("mount_procfs")).isFalse();
    assertThat(d.value("sysvshm")).isEqualTo("new");
    assertThat(d.depends()).isEmpty();
    assertThat(d.name()).isEmpty();
  }

  @Test
  void testParse_normalizesSpellingsAndStoresOnlyNonDefaults() throws Exception {
    JailProperties p =
        JailProperties.parse(
            List.of(
                "boot=yes",
                "allow_raw_sockets=ON",
                "ip6=INHERIT",
                "vnet=true",
                "securelevel=2",
                "mount_devfs=on",
                "depends=db1,db2  web",
                "ip6_addr=vnet0|2001:DB8::5/64"));
    assertThat(p.explicit())
        .containsExactly(
            Map.entry("allow_raw_sockets", "1"),
            Map.entry("boot", "1"),
            Map.entry("depends", "db1 db2 web"),
            Map.entry("ip6", "inherit"),
            Map.entry("ip6_addr", "vnet0|2001:db8::5/64"),
            Map.entry("vnet", "1"));
    assertThat(p.depends())
        .containsExactly(new JailName("db1"), new JailName("db2"), new JailName("web"));
    assertThat(p.ip6Addresses())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.iface()).contains("vnet0");
              assertThat(a.address()).isEqualTo("2001:db8::5");
              assertThat(a.prefix()).hasValue(64);
            });
  }

  @Test
  void testParse_unknownKeySuggestsCloseNames() {
    PropertyException e = refused("alow_raw_sockets=1");
    assertThat(e.problem()).isEqualTo(Problem.UNKNOWN_KEY);
    assertThat(e.key()).isEqualTo("alow_raw_sockets");
    assertThat(e.suggestions()).containsExactly("allow_raw_sockets");
    assertThat(e)
        .hasMessage(
            "unknown jail property 'alow_raw_sockets'; did you mean allow_raw_sockets? Property"
                + " names are iocage's, with '_' where jail(8) has '.' (ip4_addr, allow_raw_sockets)");
  }

  @Test
  void testParse_jailSpellingsAndFragmentsSuggestIocageNames() {
    assertThat(refused("allow.raw_sockets=1").suggestions()).containsExactly("allow_raw_sockets");
    assertThat(refused("children.max=2").suggestions()).containsExactly("children_max");
    assertThat(refused("procfs=1").suggestions())
        .containsExactly("mount_procfs", "mount_linprocfs", "allow_mount_procfs");
    assertThat(refused("ip4addr=192.0.2.1").suggestions()).startsWith("ip4_addr");
    assertThat(refused("zzzzzzzzzz=1").suggestions()).isEmpty();
    assertThat(refused("zzzzzzzzzz=1"))
        .hasMessage(
            "unknown jail property 'zzzzzzzzzz'; Property names are"
                + " iocage's, with '_' where jail(8) has '.' (ip4_addr, allow_raw_sockets)");
  }

  @Test
  void testParse_malformedIp4Addr() {
    PropertyException e = refused("ip4_addr=em0|203.0.113.300/24");
    assertThat(e.problem()).isEqualTo(Problem.MALFORMED_VALUE);
    assertThat(e.value()).contains("em0|203.0.113.300/24");
    assertThat(e)
        .hasMessage(
            "property ip4_addr: expected none or a comma-separated list of"
                + " [interface|]IPv4[/prefix] (e.g. em0|203.0.113.5/24), found 'em0|203.0.113.300/24': 203.0.113.300 is"
                + " not an IPv4 address (each part 0-255, no leading zeros); correct the value and retry");
    assertThat(refused("ip4_addr=em0|203.0.113.3/33"))
        .hasMessageContaining("'/33' is not a prefix length 0-32");
    assertThat(refused("ip4_addr=em 0|203.0.113.3"))
        .hasMessageContaining("'em 0' is not an interface name");
    assertThat(refused("ip4_addr=203.0.113.010")).hasMessageContaining("no leading zeros");
    assertThat(refused("ip4_addr=vnet0|DHCP"))
        .hasMessageContaining("use dhcp=1 (with vnet=1) for DHCP");
    assertThat(refused("ip4_addr=192.0.2.1,,192.0.2.2"))
        .hasMessageContaining("empty entry in the list");
    assertThat(refused("ip6_addr=2001:db8::1::2"))
        .hasMessageContaining("2001:db8::1::2 is not an IPv6 address");
    assertThat(refused("ip6_addr=2001:db8:1:2:3:4:5")).hasMessageContaining("it needs 8 groups");
    assertThat(refused("ip6_addr=fe80::1%em0")).hasMessageContaining("is not an IPv6 address");
  }

  @Test
  void testParse_wellFormedAddressesAreKept() throws Exception {
    JailProperties p =
        JailProperties.parse(
            List.of(
                "ip4_addr=em0|203.0.113.5/24, 203.0.113.6",
                "ip6_addr=::ffff:192.0.2.1,2001:db8::1/128"));
    assertThat(p.value("ip4_addr")).isEqualTo("em0|203.0.113.5/24,203.0.113.6");
    assertThat(p.ip4Addresses())
        .extracting(IpAssignment::toString)
        .containsExactly("em0|203.0.113.5/24", "203.0.113.6");
    assertThat(p.value("ip6_addr")).isEqualTo("::ffff:192.0.2.1,2001:db8::1/128");
  }

  @Test
  void testParse_malformedBool() {
    assertThat(refused("boot=maybe"))
        .hasMessage(
            "property boot: expected 0 or 1 (also yes/no, true/false, on/off),"
                + " found 'maybe'; correct the value and retry");
  }

  @Test
  void testParse_rangesAndChoices() {
    assertThat(refused("securelevel=5"))
        .hasMessage(
            "property securelevel: expected an integer from -1 to 3,"
                + " found '5': out of range; correct the value and retry");
    assertThat(refused("enforce_statfs=two")).hasMessageContaining("found 'two': not an integer");
    assertThat(refused("sysvshm=shared"))
        .hasMessage(
            "property sysvshm: expected one of new, inherit, disable,"
                + " found 'shared'; correct the value and retry");
    assertThat(refused("nat_forwards=tcp(80:70000)"))
        .hasMessageContaining("port 70000 is not 1-65535");
    assertThat(refused("nat_forwards=sctp(80)"))
        .hasMessageContaining("'sctp(80)' is not a forward rule");
  }

  @Test
  void testParse_dependsNamingAnInvalidJail() {
    assertThat(refused("depends=db1 -rf"))
        .hasMessage(
            "property depends: expected none or jail names separated by"
                + " spaces or commas (1-64 letters, digits, '_' and '-', not starting with '-', not all digits), found"
                + " 'db1 -rf': '-rf' is not a valid jail name; correct the value and retry");
    assertThat(refused("depends=42")).hasMessageContaining("'42' is not a valid jail name");
    assertThat(refused("depends=db.1")).hasMessageContaining("'db.1' is not a valid jail name");
    assertThat(refused("depends=../etc")).hasMessageContaining("'../etc' is not a valid jail name");
  }

  @Test
  void testParse_readOnlyKeysAreRefused() {
    PropertyException release = refused("release=14.2-RELEASE");
    assertThat(release.problem()).isEqualTo(Problem.READ_ONLY);
    assertThat(release)
        .hasMessage(
            "property release is read-only: warder sets it (the FreeBSD userland version"
                + " (freebsd-version), e.g. 14.2-RELEASE-p1); remove release=... from the properties");
    assertThat(refused("type=template").problem()).isEqualTo(Problem.READ_ONLY);
    assertThat(refused("name=other").problem()).isEqualTo(Problem.READ_ONLY);
    assertThat(refused("jid=3"))
        .hasMessage(
            "property jid is read-only: the running system reports it (the jail id"
                + " while running (jls)); it is never set or stored");
  }

  @Test
  void testParse_unsupportedIocageKeysGetAReason() {
    PropertyException e = refused("jail_zfs=on");
    assertThat(e.problem()).isEqualTo(Problem.UNSUPPORTED);
    assertThat(e)
        .hasMessage(
            "iocage property jail_zfs is not supported by warder: delegated ZFS datasets are not"
                + " implemented: warder never runs zfs jail to hand a dataset to a jail; remove it");
    assertThat(refused("memoryuse=8G:deny").problem()).isEqualTo(Problem.UNSUPPORTED);
  }

  @Test
  void testParse_argumentShape() {
    assertThat(refused("boot"))
        .hasMessage(
            "'boot' is not key=value; give properties as key=value, e.g."
                + " ip4_addr='em0|203.0.113.5/24'");
    assertThat(refused("=1").problem()).isEqualTo(Problem.MALFORMED_VALUE);
    assertThat(refused("ip4_addr=192.0.2.1", "ip4_addr=192.0.2.2"))
        .hasMessage(
            "property ip4_addr is given twice;"
                + " give it once (several addresses go comma-separated in one value)");
  }

  @Test
  void testParse_hostileValuesCannotCarryLineBreaks() {
    assertThat(refused("exec_start=/bin/sh /etc/rc\nexec.prestart = 'rm -rf /'"))
        .hasMessage(
            "property exec_start:"
                + " expected a command line (one line, not empty, at most 1024 characters), found '/bin/sh /etc/rc\\nexec"
                + ".prestart = 'rm -rf /'': a line break is not allowed; correct the value and retry");
    assertThat(refused("exec_stop=x\r")).hasMessageContaining("a line break is not allowed");
    assertThat(refused("exec_start=a\u0000b"))
        .hasMessageContaining("a control character is not allowed");
    assertThat(refused("exec_start=   ")).hasMessageContaining("empty command");
    assertThat(refused("notes=a\u2028b"))
        .hasMessageContaining("a control character is not allowed");
  }

  @Test
  void testParse_hostileHostnamesAreRefused() {
    assertThat(refused("host_hostname=www1;\"x"))
        .hasMessage(
            "property host_hostname: expected none or a host name"
                + " (letters, digits and '-' in dot-separated labels, at most 253 characters), found 'www1;\"x': 'www1;\"x'"
                + " is not a host name label; correct the value and retry");
    assertThat(refused("host_hostname=www1\nallow.mount"))
        .hasMessageContaining("is not a host name label");
    assertThat(refused("host_domainname=a b")).hasMessageContaining("is not a host name label");
    assertThat(refused("host_hostuuid=x;y").problem()).isEqualTo(Problem.MALFORMED_VALUE);
  }

  @Test
  void testParse_shellSyntaxInCommandsIsTheValue() throws Exception {
    String cmd = "/bin/sh -c 'echo \"it is up\"; date' ; echo $HOME \\ done";
    assertThat(JailProperties.parse(List.of("exec_start=" + cmd)).value("exec_start"))
        .isEqualTo(cmd);
  }

  @Test
  void testWithIdentity_setsWarderKeysWhichUsersCannotSet() throws Exception {
    JailProperties p =
        JailProperties.defaults()
            .withIdentity(
                Map.of(
                    "name",
                    "www1",
                    "type",
                    "jail",
                    "release",
                    "14.2-RELEASE-p1",
                    "created",
                    "2025-01-27T10:15:30Z",
                    "origin",
                    "releases/14.2-RELEASE"));
    assertThat(p.name()).contains(new JailName("www1"));
    assertThat(p.identity("release")).contains("14.2-RELEASE-p1");
    assertThat(p.identity("source_template")).isEmpty();
    assertThatThrownBy(() -> p.with(Map.of("release", "13.2-RELEASE")))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining("is read-only");
    assertThatThrownBy(() -> JailProperties.defaults().withIdentity(Map.of("boot", "1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JailProperties.defaults().withIdentity(Map.of("name", "-x")))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining("'-x' is not a valid jail name");
    assertThatThrownBy(() -> JailProperties.defaults().withIdentity(Map.of("created", "yesterday")))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining("ISO-8601");
  }

  @Test
  void testWith_settingTheDefaultRemovesTheValue() throws Exception {
    JailProperties p = JailProperties.parse(List.of("boot=1", "priority=10"));
    assertThat(p.with(Map.of("boot", "off")).explicit()).containsOnlyKeys("priority");
  }

  @Test
  void testForPlugin_manifestUnderUser() throws Exception {
    // ix-plugin-hub jellyfin.json:
    // {"dhcp":1,"allow_raw_sockets":"1","allow_mlock":1,"ip6":"inherit"}
    Implied jellyfin =
        JailProperties.forPlugin(
            Map.of("dhcp", "1", "allow_raw_sockets", "1", "allow_mlock", "1", "ip6", "inherit"),
            List.of("vnet=1"));
    // iocage's plugin defaults (vnet=1, boot=1) and dhcp's bpf=1 come on top
    assertThat(jellyfin.props().explicit())
        .containsOnlyKeys("allow_mlock", "allow_raw_sockets", "boot", "bpf", "dhcp", "ip6", "vnet");
    assertThat(jellyfin.turnedOn()).singleElement().asString().startsWith("bpf=1 (dhcp=1 needs it");

    // nextcloud.json: {"nat":1,"nat_forwards":"tcp(80:8282),tcp(443:8283)"}, user chose an address
    Map<String, String> nextcloud =
        Map.of("nat", "1", "nat_forwards", "tcp(80:8282),tcp(443:8283)", "securelevel", "1");
    JailProperties fixed =
        JailProperties.forPlugin(nextcloud, List.of("vnet=0", "ip4_addr=em0|203.0.113.222/24"))
            .props();
    assertThat(fixed.explicit()).containsOnlyKeys("boot", "ip4_addr", "securelevel");
    JailProperties natted = JailProperties.forPlugin(nextcloud, List.of("securelevel=3")).props();
    assertThat(natted.explicit())
        .containsEntry("nat", "1")
        .containsEntry("securelevel", "3")
        .containsEntry("vnet", "1")
        .containsEntry("boot", "1");
  }

  @Test
  void testForPlugin_manifestMayNotActOnTheHost() {
    for (String key :
        List.of("exec_prestart", "exec_poststop", "devfs_ruleset", "resolver", "interfaces")) {
      String value =
          key.equals("devfs_ruleset")
              ? "0"
              : key.equals("interfaces") ? "vnet0:bridge9" : "/bin/sh /tmp/x";
      PropertyException e =
          catchThrowableOfType(
              PropertyException.class,
              () -> JailProperties.forPlugin(Map.of(key, value), List.of()));
      assertThat(e.problem()).as(key).isEqualTo(Problem.HOST_ONLY);
    }
    assertThatThrownBy(() -> JailProperties.forPlugin(Map.of("exec_prestart", "/tmp/x"), List.of()))
        .hasMessage(
            "property exec_prestart acts on the host (host command run before the jail is created), so a"
                + " plugin manifest may not set it; set it yourself if you trust the value");
    assertThatThrownBy(() -> JailProperties.forPlugin(Map.of("securelevel", "9"), List.of()))
        .hasMessageEndingWith(
            "out of range; correct the value and retry (in the plugin manifest's properties)");
  }

  @Test
  void testCheckConsistent_refusesContradictions() throws Exception {
    assertThat(inconsistent("dhcp=1"))
        .hasMessage(
            "dhcp=1 needs vnet=1 (a DHCP client needs the jail's own network"
                + " stack); set vnet=1");
    assertThat(inconsistent("vnet=1", "dhcp=1", "nat=1"))
        .hasMessageContaining("exclude each other");
    assertThat(inconsistent("vnet=1", "nat=1", "ip4_addr=192.0.2.1"))
        .hasMessageContaining("not the NAT address warder allocates");
    assertThat(inconsistent("nat=1")).hasMessageContaining("nat=1 needs vnet=1");
    assertThat(inconsistent("vnet=1", "dhcp=1", "ip4_addr=vnet0|192.0.2.1"))
        .hasMessageContaining("choose one network mode");
    assertThat(inconsistent("nat_forwards=tcp(80)"))
        .hasMessageContaining("nat_forwards needs nat=1");
    assertThat(inconsistent("ip4=disable", "ip4_addr=192.0.2.1"))
        .hasMessageContaining("set ip4=new or ip4_addr=none");
    assertThat(inconsistent("vnet=1", "ip4_addr=vnet1|192.0.2.10/24"))
        .hasMessageContaining("is on vnet1, which interfaces (vnet0:bridge0) does not name");
    JailProperties self =
        JailProperties.parse(List.of("depends=db www1")).withIdentity(Map.of("name", "www1"));
    assertThatThrownBy(self::checkConsistent)
        .hasMessage("a jail cannot depend on itself; remove www1 from depends");
    JailProperties.parse(List.of("vnet=1", "ip4_addr=vnet0|192.0.2.10/24", "depends=db"))
        .checkConsistent();
  }

  private static PropertyException inconsistent(String... keyValues) throws PropertyException {
    JailProperties p = JailProperties.parse(List.of(keyValues));
    PropertyException e = catchThrowableOfType(PropertyException.class, p::checkConsistent);
    assertThat(e.problem()).isEqualTo(Problem.INCONSISTENT);
    return e;
  }
}
