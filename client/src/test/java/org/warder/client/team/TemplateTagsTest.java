package org.warder.client.team;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.cli.PublishingRegistry;
import org.warder.client.testing.RichTree;
import org.warder.client.testing.TestHost;
import org.warder.client.testing.TreeSnapshot;
import org.warder.client.testing.ZfsPool;
import org.warder.signing.Key;

/**
 * Templates through a team registry between two hosts (each with its own zfs-fuse pool, and the
 * same on directory storage): host A pushes a template, host B creates a jail from it; A pushes tag
 * 2 with a few files changed, which uploads only the difference; B's next jail has the change while
 * its first jail keeps tag 1; a third host with nothing fetches the full tag and the chain.
 */
class TemplateTagsTest {
  static final int FILES = 400;
  @TempDir Path tmp;
  PublishingRegistry registry;

  @BeforeEach
  void registry() throws Exception {
    registry = new PublishingRegistry(tmp);
    Key key = registry.generateKey("acme");
    registry.registry.delegate(
        TeamTargets.role("acme"), key, TeamTargets.delegatedPaths("acme").toArray(String[]::new));
    registry.useToken("acme", TeamTargets.role("acme"));
  }

  @AfterEach
  void close() throws Exception {
    registry.close();
  }

  TestHost host(String name) {
    return new TestHost(tmp.resolve(name), registry.env);
  }

  /** A host trusting the registry, after {@code activate} when on ZFS. */
  TestHost ready(TestHost h) {
    registry.addRepo(h.root());
    return h;
  }

  /**
   * A jail's tree as its template made it: without the host's resolv.conf and localtime, which
   * create copies in (and which change etc's time).
   */
  static TreeSnapshot jailTree(Path root) throws Exception {
    return withoutEtcTime(TreeSnapshot.of(root), "etc/localtime", "etc/resolv.conf");
  }

  static TreeSnapshot templateTree(Path root) throws Exception {
    return withoutEtcTime(TreeSnapshot.of(root));
  }

  private static TreeSnapshot withoutEtcTime(TreeSnapshot t, String... hostFiles) {
    Map<String, TreeSnapshot.Node> nodes = new java.util.TreeMap<>(t.nodes());
    for (String f : hostFiles) {
      nodes.remove(f);
    }
    nodes.computeIfPresent(
        "etc",
        (k, n) ->
            new TreeSnapshot.Node(
                n.type(), n.mode(), n.uid(), n.gid(), n.size(), n.sha256(), n.linkTarget(), "-"));
    return new TreeSnapshot(nodes, t.hardlinkGroups());
  }

  /** A template of FILES small files (each different), plus the rich tree. */
  static void makeTemplate(TestHost a) throws Exception {
    a.ok("create", "-e", "-n", "base", "allow_raw_sockets=1");
    Path root = a.jailRoot("base");
    RichTree.write(root, 64);
    Files.createDirectories(root.resolve("usr/share/doc"));
    for (int i = 0; i < FILES; i++) {
      byte[] data = new byte[4096];
      new java.util.Random(i).nextBytes(data);
      Files.write(root.resolve("usr/share/doc/file" + i), data);
    }
    Files.createDirectories(root.resolve("root/.ssh"));
    Files.writeString(root.resolve("root/.ssh/known_hosts"), "old\n");
    a.ok("template", "clean", "base");
    a.ok("set", "template=yes", "base");
  }

  @Test
  void testTemplateTags_onZfs() throws Exception {
    try (ZfsPool poolA = ZfsPool.create(tmp, 256);
        ZfsPool poolB = ZfsPool.create(tmp, 256);
        ZfsPool poolC = ZfsPool.create(tmp, 256)) {
      TestHost a = host("a");
      TestHost b = host("b");
      TestHost c = host("c");
      a.ok("activate", poolA.name() + "/warder");
      b.ok("activate", poolB.name() + "/warder");
      c.ok("activate", poolC.name() + "/warder");
      tags(ready(a), ready(b), ready(c), "zfs");
      // tag 1 stays in B's template as a snapshot, which web1 is a clone of
      assertThat(poolB.datasets()).contains(poolB.name() + "/warder/templates/acme_base/root");
      assertThat(origin(poolB.name() + "/warder/jails/web1/root"))
          .isEqualTo(poolB.name() + "/warder/templates/acme_base/root@tag-1");
      assertThat(origin(poolB.name() + "/warder/jails/web2/root"))
          .isEqualTo(poolB.name() + "/warder/templates/acme_base/root@tag-2");
    }
  }

  @Test
  void testTemplateTags_onDirectoryStorage() throws Exception {
    tags(ready(host("a")), ready(host("b")), ready(host("c")), "tar");
  }

  private void tags(TestHost a, TestHost b, TestHost c, String format) throws Exception {
    makeTemplate(a);
    Path templateA = a.root().resolve("templates/base/root");
    assertThat(templateA.resolve("root/.ssh/known_hosts")).doesNotExist();
    String pushed =
        a.ok("push", "base", "--repo", "main", "--as", "acme/base", "--key", "acme").out();
    assertThat(pushed).contains("pushed template base as acme/base:1 (full)");
    TreeSnapshot tag1 = templateTree(templateA);

    b.ok("create", "-t", "main:acme/base", "-n", "web1");
    assertThat(jailTree(b.jailRoot("web1"))).isEqualTo(tag1);
    assertThat(b.ok("list", "-t", "-h").out()).contains("\tacme_base\t");
    assertThat(b.ok("get", "remote", "acme_base").out().strip()).isEqualTo("main:acme/base");

    // tag 2: 1% of the files change, one goes, one is new
    a.ok("set", "template=no", "base");
    Path rootA = a.jailRoot("base");
    for (int i = 0; i < FILES / 100; i++) {
      Files.writeString(rootA.resolve("usr/share/doc/file" + i), "changed in tag 2\n");
    }
    Files.delete(rootA.resolve("usr/share/doc/file399"));
    Files.writeString(rootA.resolve("etc/motd"), "welcome to tag 2\n");
    Files.writeString(rootA.resolve("etc/new.conf"), "new in tag 2\n");
    a.ok("set", "template=yes", "base");
    assertThat(a.ok("push", "base", "--repo", "main", "--key", "acme").out())
        .contains("pushed template base as acme/base:2 (the difference since tag 1)");
    TreeSnapshot tag2 = templateTree(templateA);
    // tags never change: pushing tag 2 again is refused, and nothing is published
    assertThat(a.refused("push", "base", "--repo", "main", "--tag", "2", "--key", "acme"))
        .contains("another --tag");

    String listed = b.ok("list", "-t", "--repo", "main", "-h").out();
    List<String[]> rows = listed.lines().map(l -> l.split("\t")).toList();
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).startsWith("acme/base", "1", "EMPTY", format, "-");
    assertThat(rows.get(1)).startsWith("acme/base", "2", "EMPTY", format, "1");
    long full = Long.parseLong(rows.get(0)[5]);
    long delta = Long.parseLong(rows.get(1)[5]);
    assertThat(delta).as("tag 2 uploads only the difference").isLessThan(full / 10);

    String created = b.ok("create", "-t", "main:acme/base", "-n", "web2").out();
    assertThat(created)
        .contains("fetching main:acme/base:2 (the difference since tag 1)")
        .doesNotContain("(full)");
    assertThat(jailTree(b.jailRoot("web2"))).isEqualTo(tag2);
    assertThat(b.jailRoot("web2").resolve("etc/motd")).hasContent("welcome to tag 2");
    assertThat(jailTree(b.jailRoot("web1"))).isEqualTo(tag1);
    // B holds tag 2 now: nothing is fetched again
    assertThat(b.ok("create", "-t", "main:acme/base:2", "-n", "web3").out())
        .doesNotContain("fetching");

    // a host with nothing gets the full tag 1 and then the difference
    String fresh = c.ok("create", "-t", "main:acme/base:2", "-n", "web").out();
    assertThat(fresh)
        .contains("fetching main:acme/base:1 (full)")
        .contains("fetching main:acme/base:2 (the difference");
    assertThat(jailTree(c.jailRoot("web"))).isEqualTo(tag2);
    assertThat(Map.of("template", b.ok("get", "remote_tag", "acme_base").out().strip()))
        .containsEntry("template", "2");
  }

  private static String origin(String dataset) throws Exception {
    Process p = new ProcessBuilder("zfs", "get", "-H", "-o", "value", "origin", dataset).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    p.waitFor();
    return out;
  }
}
