package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.BusyboxRoot;
import org.warder.client.testing.TestHost;

/** {@code warder rename} through the command line, on directory storage. */
class JailRenameTest {
  @TempDir Path tmp;

  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p) + (Files.isDirectory(p) ? "/" : ""))
          .sorted()
          .toList();
    }
  }

  @Test
  void rename_movesTheJailAndEverythingThatNamesIt() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web", "host_hostname=web");
    host.ok("create", "-e", "-n", "db", "depends=web");
    host.ok("create", "-e", "-n", "other", "host_hostname=web.example.org");
    Path share = Files.createDirectories(tmp.resolve("share"));
    host.ok("fstab", "web", "-a", share.toString(), "/mnt/share", "rw");
    Files.writeString(host.jailRoot("web").resolve("mine"), "kept\n");

    assertThat(host.ok("rename", "web", "www").out()).contains("web renamed to www");

    assertThat(host.root().resolve("jails/web")).doesNotExist();
    assertThat(host.jailRoot("www").resolve("mine")).hasContent("kept");
    assertThat(host.ok("get", "host_hostname", "www").out()).isEqualTo("www\n");
    assertThat(host.ok("get", "depends", "db").out()).isEqualTo("www\n");
    assertThat(host.ok("get", "host_hostname", "other").out()).isEqualTo("web.example.org\n");
    assertThat(host.root().resolve("jails/www/fstab"))
        .content()
        .contains(share + "\t" + host.jailRoot("www").resolve("mnt/share") + "\tnullfs\trw")
        .doesNotContain("jails/web/");
    assertThat(host.ok("fstab", "www", "-l", "-h").out()).isEqualTo(share + "\t/mnt/share\trw\n");
    assertThat(host.ok("list", "-h").out()).contains("\twww\t").doesNotContain("\tweb\t");
  }

  @Test
  void rename_keepsAHostnameThatWasNotTheName() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web", "host_hostname=shop.example.org");
    host.ok("rename", "web", "shop");
    assertThat(host.ok("get", "host_hostname", "shop").out()).isEqualTo("shop.example.org\n");
  }

  @Test
  void rename_toATakenOrInvalidName_isRefusedAndChangesNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    host.ok("create", "-e", "-n", "db");
    List<String> before = tree(host.root());
    assertThat(host.refused("rename", "web", "db"))
        .contains("a jail or template named db already exists");
    assertThat(host.refused("rename", "web", "../etc")).contains("not a valid jail name");
    assertThat(host.refused("rename", "nope", "x")).contains("no jail or template named \"nope\"");
    assertThat(tree(host.root())).isEqualTo(before);
  }

  @Test
  void rename_dryRun_printsTheStepsAndChangesNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web", "host_hostname=web");
    host.ok("create", "-e", "-n", "db", "depends=web");
    List<String> before = tree(host.root());
    String out = host.ok("rename", "--dry-run", "web", "www").out();
    assertThat(out)
        .contains("move: rename dir jails/web to jails/www")
        .contains("config: write " + host.root().resolve("jails/www/config.json"))
        .contains("host_hostname=www")
        .contains("config: write " + host.root().resolve("jails/db/config.json") + ": depends=www")
        .contains("(--dry-run: web was not renamed; nothing was changed)");
    assertThat(tree(host.root())).isEqualTo(before);
  }

  @Test
  void rename_ofARunningJail_isRefusedWithWhatToDo() throws Exception {
    BusyboxRoot.requireSandbox();
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    BusyboxRoot.create(host.jailRoot("web"));
    host.ok("start", "web");
    try {
      assertThat(host.refused("rename", "web", "www"))
          .contains("web is running")
          .contains("warder stop web");
      assertThat(host.root().resolve("jails/web/config.json")).exists();
    } finally {
      host.ok("stop", "web");
    }
    host.ok("rename", "web", "www");
    host.ok("start", "www");
    try {
      assertThat(host.ok("exec", "www", "hostname").out()).isEqualTo("www\n");
    } finally {
      host.ok("stop", "www");
    }
  }
}
