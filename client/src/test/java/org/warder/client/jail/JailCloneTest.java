package org.warder.client.jail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.jail.props.JailName;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.DirStorage;
import org.warder.client.testing.InMemoryJailRuntime;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.ZfsPool;

/** {@code warder clone} (and {@code rename} on ZFS) through the command line. */
class JailCloneTest {
  @TempDir Path tmp;

  private static List<String> tree(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  @Test
  void clone_onDirectories_copiesTheRootWithAFreshIdentity() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok(
        "create",
        "-e",
        "-n",
        "web",
        "vnet=1",
        "vnet0_mac=02ff60aaaaaa,02ff60aaaaab",
        "boot=1",
        "host_hostname=web");
    Files.writeString(host.jailRoot("web").resolve("site"), "hello\n");
    Path data = Files.createDirectories(tmp.resolve("data"));
    host.ok("fstab", "web", "-a", data.toString(), "/srv");

    assertThat(host.ok("clone", "web", "web2", "priority=5").out())
        .contains("web2 created (clone of jail web)");

    assertThat(host.jailRoot("web2").resolve("site")).hasContent("hello");
    assertThat(host.ok("get", "host_hostname", "web2").out()).isEqualTo("web2\n");
    assertThat(host.ok("get", "vnet0_mac", "web2").out()).isEqualTo("none\n");
    assertThat(host.ok("get", "vnet0_mac", "web").out()).isEqualTo("02ff60aaaaaa 02ff60aaaaab\n");
    assertThat(host.ok("get", "boot", "web2").out()).isEqualTo("1\n");
    assertThat(host.ok("get", "priority", "web2").out()).isEqualTo("5\n");
    assertThat(host.ok("fstab", "web2", "-l", "-h").out()).isEqualTo(data + "\t/srv\tro\n");
    assertThat(host.jailRoot("web2").resolve("srv")).isDirectory();
    // the copy is independent of its source
    Files.writeString(host.jailRoot("web2").resolve("site"), "changed\n");
    assertThat(host.jailRoot("web").resolve("site")).hasContent("hello");
  }

  @Test
  void clone_ofANatJail_getsItsOwnAddressPairAtItsFirstStart() throws Exception {
    Path root = tmp.resolve("w");
    InMemoryJailRuntime runtime = new InMemoryJailRuntime();
    Jails jails =
        new Jails(
            new HostLayout(root),
            new DirStorage(root, new ProcessCommandRunner(Reporter.silent(), false), false),
            runtime,
            Clock.systemUTC(),
            Reporter.silent());
    jails
        .creator()
        .create(
            new CreateRequest(
                JailName.of("gw"),
                new JailSource.Empty(),
                CreateRequest.Mode.EMPTY,
                List.of("vnet=1", "nat=1")));
    jails.lifecycle().start("gw");
    jails.lifecycle().stop("gw");
    String gwAddress = jails.store().get("gw").props().value("ip4_addr");
    assertThat(gwAddress).isNotEqualTo("none");

    jails.cloner().clone("gw", "gw2", List.of(), false);
    Jail clone = jails.store().get("gw2");
    assertThat(clone.props().value("ip4_addr")).isEqualTo("none");
    assertThat(clone.props().value("vnet0_mac")).isEqualTo("none");
    jails.lifecycle().start("gw2");
    Jail started = jails.store().get("gw2");
    assertThat(started.props().value("ip4_addr")).isNotIn("none", gwAddress);
    assertThat(started.props().value("vnet0_mac"))
        .isNotIn("none", jails.store().get("gw").props().value("vnet0_mac"));
  }

  @Test
  void clone_refusesATakenNameAndBadPropertiesAndChangesNothing() throws Exception {
    TestHost host = new TestHost(tmp.resolve("w"));
    host.ok("create", "-e", "-n", "web");
    host.ok("create", "-e", "-n", "db");
    List<String> before = tree(host.root());
    assertThat(host.refused("clone", "web", "db")).contains("named db already exists");
    assertThat(host.refused("clone", "nope", "x")).contains("no jail or template named \"nope\"");
    assertThat(host.refused("clone", "web", "web2", "bogus=1")).contains("bogus");
    String plan = host.ok("clone", "--dry-run", "web", "web2").out();
    assertThat(plan)
        .contains("root: copy jails/web/root to jails/web2/root")
        .contains("\"host_hostname\" : \"web2\"")
        .contains("(--dry-run: web2 was not created; nothing was changed)");
    assertThat(tree(host.root())).isEqualTo(before);
  }

  @Test
  void cloneAndRename_onZfs() throws Exception {
    TestHost host = new TestHost(tmp.resolve("zroot"));
    try (ZfsPool pool = ZfsPool.create(tmp, 256)) {
      String base = pool.name() + "/warder";
      host.ok("activate", base);
      host.ok("create", "-e", "-n", "web");
      Files.writeString(host.jailRoot("web").resolve("site"), "hello\n");

      host.ok("clone", "web", "web2");
      host.ok("clone", "-T", "web", "web3");
      assertThat(origin(base + "/jails/web2/root")).isEqualTo(base + "/jails/web/root@web2");
      assertThat(origin(base + "/jails/web3/root")).isEqualTo("-");
      assertThat(host.jailRoot("web2").resolve("site")).hasContent("hello");
      assertThat(host.jailRoot("web3").resolve("site")).hasContent("hello");

      assertThat(host.ok("df", "-h").out())
          .containsPattern("(?m)^web\t[0-9.]+x\t0\t0\t[0-9]+\t[0-9]+$");
      host.ok("rename", "web3", "shop");
      assertThat(pool.datasets())
          .contains(base + "/jails/shop/root")
          .doesNotContain(base + "/jails/web3");
      assertThat(host.jailRoot("shop").resolve("site")).hasContent("hello");
      for (String n : List.of("web2", "shop", "web")) {
        host.ok("destroy", "-f", n);
      }
    }
  }

  private static String origin(String dataset) throws Exception {
    Process p =
        new ProcessBuilder("zfs", "get", "-H", "-o", "value", "origin", dataset)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return out;
  }
}
