package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rc.conf editor: sysrc's set and remove for warder's entries, every other byte kept. */
class RcConfTest {
  private static RcConf rc(String text) throws JailException {
    return RcConf.parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String text(RcConf rc) {
    return new String(rc.bytes(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void testWith_appendsANewEntryAndKeepsEveryOtherByte() throws Exception {
    String before = "# h\u00e9llo \u00ff\r\nsshd_enable=YES  # comment\n\nhostname='a b'";
    RcConf after = rc(before).with("ifconfig_vnet0", "SYNCDHCP");
    assertThat(text(after)).isEqualTo(before + "\nifconfig_vnet0=\"SYNCDHCP\"\n");
    assertThat(after.value("ifconfig_vnet0")).contains("SYNCDHCP");
    assertThat(after.value("hostname")).contains("a b");
    assertThat(after.value("sshd_enable")).contains("YES");
  }

  @Test
  void testWith_replacesTheLastLiteralAssignmentAndIsIdempotent() throws Exception {
    String before = "ifconfig_vnet0=\"inet 10.0.0.2/24\"\nx=1\nifconfig_vnet0='DHCP'\ny=2\n";
    RcConf once = rc(before).with("ifconfig_vnet0", "SYNCDHCP");
    assertThat(text(once))
        .isEqualTo("ifconfig_vnet0=\"inet 10.0.0.2/24\"\nx=1\nifconfig_vnet0=\"SYNCDHCP\"\ny=2\n");
    assertThat(text(once.with("ifconfig_vnet0", "SYNCDHCP"))).isEqualTo(text(once));
    assertThat(text(rc("ifconfig_vnet0=SYNCDHCP\n").with("ifconfig_vnet0", "SYNCDHCP")))
        .isEqualTo("ifconfig_vnet0=SYNCDHCP\n");
  }

  @Test
  void testWithout_removesOnlyWarderExactValue() throws Exception {
    String ours = "a=1\nifconfig_vnet0=\"SYNCDHCP\"\nifconfig_vnet0_ipv6=\"inet6 -ifdisabled\"\n";
    assertThat(text(rc(ours).without("ifconfig_vnet0", "SYNCDHCP")))
        .isEqualTo("a=1\nifconfig_vnet0_ipv6=\"inet6 -ifdisabled\"\n");
    // the administrator's own value stays
    assertThat(
            text(
                rc(ours)
                    .without("ifconfig_vnet0_ipv6", "inet6 auto_linklocal accept_rtadv autoconf")))
        .isEqualTo(ours);
    assertThat(text(rc("ifconfig_vnet0=\"DHCP\"\n").without("ifconfig_vnet0", "SYNCDHCP")))
        .isEqualTo("ifconfig_vnet0=\"DHCP\"\n");
  }

  @Test
  void testOddQuoting_commentsAndMultiLineValuesAreNotAssignments() throws Exception {
    String before =
        "# ifconfig_vnet0=\"SYNCDHCP\"\n"
            + "motd=\"first line\n"
            + "ifconfig_vnet0=SYNCDHCP\"\n"
            + "esc=\"a \\\" ifconfig_vnet0=x\"\n";
    RcConf rc = rc(before);
    assertThat(rc.value("ifconfig_vnet0")).isEmpty();
    assertThat(rc.value("esc")).contains("a \" ifconfig_vnet0=x");
    assertThat(text(rc.without("ifconfig_vnet0", "SYNCDHCP"))).isEqualTo(before);
    assertThat(text(rc.with("ifconfig_vnet0", "SYNCDHCP")))
        .isEqualTo(before + "ifconfig_vnet0=\"SYNCDHCP\"\n");
  }

  @Test
  void testNonLiteralAssignment_isUnknownSoSetAppendsAndRemoveKeeps() throws Exception {
    String before = "ifconfig_vnet0=\"$mine\"\nrtsold_enable=YES; sshd_enable=YES\n";
    RcConf rc = rc(before);
    assertThat(rc.value("ifconfig_vnet0")).isEqualTo(Optional.empty());
    assertThat(rc.value("rtsold_enable")).isEmpty();
    assertThat(text(rc.without("rtsold_enable", "YES"))).isEqualTo(before);
    assertThat(text(rc.with("ifconfig_vnet0", "SYNCDHCP")))
        .isEqualTo(before + "ifconfig_vnet0=\"SYNCDHCP\"\n");
  }

  @Test
  void testUnterminatedQuote_isRefusedSinceAnAppendWouldBeQuoted() {
    assertThatThrownBy(() -> rc("a=1\nmotd=\"never closed\n"))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("ends inside a quoted string")
        .hasMessageContaining("fix the file from inside the jail");
    assertThatThrownBy(() -> rc("a=1 \\"))
        .isInstanceOf(JailException.class)
        .hasMessageContaining("backslash");
  }
}
