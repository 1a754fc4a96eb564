package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.RichTree;
import org.warder.client.testing.TestHost;

/**
 * {@code warder template clean}: the book's clone cleaning, configurable, confined to the jail
 * root.
 */
class TemplateCleanTest {
  @TempDir Path tmp;

  @Test
  void testClean_removesHostKeysKnownHostsAndConfiguredGlobs() throws Exception {
    TestHost host = new TestHost(tmp.resolve("h"));
    host.ok("create", "-e", "-n", "tmpl");
    Path root = host.jailRoot("tmpl");
    RichTree.write(root, 1);
    Files.writeString(root.resolve("etc/ssh/ssh_host_rsa_key.pub"), "PUBLIC\n");
    Files.writeString(root.resolve("etc/ssh/sshd_config"), "PasswordAuthentication no\n");
    Files.createDirectories(root.resolve("root/.ssh"));
    Files.writeString(root.resolve("root/.ssh/known_hosts"), "old host\n");
    Files.writeString(root.resolve("root/.ssh/authorized_keys"), "ops key\n");
    Files.createDirectories(root.resolve("var/log"));
    Files.writeString(root.resolve("var/log/messages"), "boot\n");
    Files.writeString(root.resolve("var/log/keep.txt"), "keep\n");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("ssh_host_evil_key"), "host file\n");
    Files.createSymbolicLink(root.resolve("evil"), outside);
    Files.writeString(
        host.root().resolve("template-clean.conf"),
        "# logs must not travel\nvar/log/messages\n\nevil/*\n");

    String dry = host.ok("template", "clean", "tmpl", "--dry-run").out();
    assertThat(dry)
        .isEqualTo(
            "would remove /etc/ssh/ssh_host_ed25519_key\nwould remove /etc/ssh/ssh_host_rsa_key.pub\n"
                + "would remove /root/.ssh/known_hosts\nwould remove /var/log/messages\ntmpl: 4 path(s) would be removed\n");
    assertThat(root.resolve("etc/ssh/ssh_host_ed25519_key")).exists();

    assertThat(host.ok("template", "clean", "tmpl", "--path", "evil").out())
        .isEqualTo(
            "removed /etc/ssh/ssh_host_ed25519_key\nremoved /etc/ssh/ssh_host_rsa_key.pub\nremoved /evil\n"
                + "removed /root/.ssh/known_hosts\nremoved /var/log/messages\ntmpl: 5 path(s) removed\n");
    assertThat(root.resolve("etc/ssh/sshd_config")).exists();
    assertThat(root.resolve("root/.ssh/authorized_keys")).exists();
    assertThat(root.resolve("var/log/keep.txt")).exists();
    assertThat(outside.resolve("ssh_host_evil_key"))
        .exists(); // the symlink went, never what it points to

    assertThat(host.refused("template", "clean", "tmpl", "--path", "../../etc/passwd"))
        .contains("expected a glob relative to the jail root, without \"..\"");
    assertThat(host.refused("template", "clean", "tmpl", "--path", "/etc/passwd"))
        .contains("expected a glob relative");
    host.ok("set", "template=yes", "tmpl");
    assertThat(host.refused("template", "clean", "tmpl"))
        .contains("is already a template")
        .contains("template=no");
    assertThat(host.refused("template", "clean", "nosuch"))
        .contains("no jail or template named \"nosuch\"");
  }
}
