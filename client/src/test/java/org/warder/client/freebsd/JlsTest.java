package org.warder.client.freebsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Parsing of {@code jls --libxo json} output. The samples are written from jls(8) and its source
 * (usr.sbin/jls/jls.c, libxo version "2"): with -n every parameter is a key, values exported as
 * strings, booleans as JSON booleans, ip4.addr and ip6.addr as lists; with -v the keys are jid,
 * hostname, path, name, state, cpusetid, ipv4_addrs, ipv6_addrs.
 */
class JlsTest {
  static final String JLS_N =
      """
      {"__version": "2", "jail-information": {"jail": [
      {"devfs_ruleset":"4","dying":false,"enforce_statfs":"2","host":"new","ip4":"new","ip6":"new","jid":"3",\
      "linux":"new","name":"www1","osreldate":"1402000","osrelease":"14.2-RELEASE","parent":"0",\
      "path":"/usr/local/warder/jails/www1/root","persist":true,"securelevel":"2","sysvmsg":"new","sysvsem":"new",\
      "sysvshm":"new","vnet":"inherit","allow.chflags":false,"allow.mlock":false,"allow.mount":false,\
      "allow.raw_sockets":true,"allow.set_hostname":true,"allow.sysvipc":false,"children.cur":"0",\
      "children.max":"0","cpuset.id":"4","host.domainname":"","host.hostid":"0","host.hostname":"www1.example.org",\
      "host.hostuuid":"www1","ip4.addr":["203.0.113.234","203.0.113.235"],"ip4.saddrsel":true,\
      "ip6.addr":["2001:db8::234"],"ip6.saddrsel":true},
      {"devfs_ruleset":"1000","dying":true,"enforce_statfs":"2","host":"new","ip4":"inherit","ip6":"inherit",\
      "jid":"7","name":"nextcloud","path":"/usr/local/warder/jails/nextcloud/root","persist":true,\
      "securelevel":"2","vnet":"new","host.hostname":"nextcloud","ip4.addr":[],"ip6.addr":[]}
      ]}}
      """;

  static final String JLS_V =
      """
      {"__version": "2", "jail-information": {"jail": [{"jid":3,"hostname":"www1.example.org",\
      "path":"/usr/local/warder/jails/www1/root","name":"www1","state":"ACTIVE","cpusetid":4,\
      "ipv4_addrs":["203.0.113.234"],"ipv6_addrs":[]}]}}
      """;

  @Test
  void testParse_allParameters() throws Exception {
    List<RunningJail> jails = Jls.parse(JLS_N);
    assertThat(jails)
        .containsExactly(
            new RunningJail(
                3,
                "www1",
                Path.of("/usr/local/warder/jails/www1/root"),
                "www1.example.org",
                List.of("203.0.113.234", "203.0.113.235"),
                List.of("2001:db8::234"),
                false),
            new RunningJail(
                7,
                "nextcloud",
                Path.of("/usr/local/warder/jails/nextcloud/root"),
                "nextcloud",
                List.of(),
                List.of(),
                true));
    assertThat(Jls.find(jails, "nextcloud"))
        .hasValueSatisfying(j -> assertThat(j.jid()).isEqualTo(7));
    assertThat(Jls.find(jails, "www2")).isEmpty();
  }

  @Test
  void testParse_verbose() throws Exception {
    assertThat(Jls.parse(JLS_V))
        .containsExactly(
            new RunningJail(
                3,
                "www1",
                Path.of("/usr/local/warder/jails/www1/root"),
                "www1.example.org",
                List.of("203.0.113.234"),
                List.of(),
                false));
  }

  @Test
  void testParse_noJailsAndOtherAddressShapes() throws Exception {
    assertThat(Jls.parse("{\"__version\": \"2\", \"jail-information\": {\"jail\": []}}")).isEmpty();
    String objects =
        "{\"jail-information\": {\"jail\": [{\"jid\":\"1\",\"name\":\"a\",\"path\":\"/j/a\","
            + "\"ip4.addr\":[{\"ipv4_addr\":\"192.0.2.1\"},{\"ipv4_addr\":[\"192.0.2.2\"]}],\"ip6.addr\":\"-\"}]}}";
    assertThat(Jls.parse(objects).get(0).ip4()).containsExactly("192.0.2.1", "192.0.2.2");
    assertThat(Jls.parse(objects).get(0).ip6()).isEmpty();
  }

  @Test
  void testParse_refusesWhatIsNotJlsJson() {
    assertThatThrownBy(() -> Jls.parse("JID  IP Address      Hostname                      Path"))
        .isInstanceOf(FreeBsdInputException.class)
        .hasMessageStartingWith(
            "jls output: expected jls --libxo json output," + " found not JSON");
    assertThatThrownBy(() -> Jls.parse("{\"jail-information\": {}}"))
        .hasMessage(
            "jls output: expected jls --libxo"
                + " json output, found no \"jail-information\": {\"jail\": [...]} list");
    assertThatThrownBy(
            () ->
                Jls.parse(
                    "{\"jail-information\": {\"jail\": [{\"jid\":3,\"ipv4\":\"192.0.2.1\","
                        + "\"hostname\":\"a\",\"path\":\"/j/a\"}]}}"))
        .hasMessage(
            "jls output: expected jls --libxo json output, found"
                + " jail 3 has no \"name\"; run jls with -n or -v (the default output has no names)");
    assertThatThrownBy(
            () -> Jls.parse("{\"jail-information\": {\"jail\": [{\"jid\":\"x\",\"name\":\"a\"}]}}"))
        .hasMessageContaining("without a numeric \"jid\"");
  }
}
