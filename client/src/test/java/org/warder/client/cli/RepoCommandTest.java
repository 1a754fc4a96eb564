package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.testing.CliRun;

/** {@code warder repo} against a real registry over HTTP. */
class RepoCommandTest {
  @TempDir static Path shared;
  static RegistryFixture registry;
  @TempDir Path root;

  @BeforeAll
  static void startRegistry() throws Exception {
    registry = new RegistryFixture(shared.resolve("registry"));
  }

  @AfterAll
  static void stopRegistry() throws Exception {
    registry.close();
  }

  private CliRun warder(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    return CliRun.of(
        (out, err, a) -> WarderMain.run(out, err, Map.of(), a), all.toArray(String[]::new));
  }

  @Test
  void testAdd_pinnedBySha256ThenListRefreshRemove() throws Exception {
    CliRun add =
        warder("repo", "add", "main", registry.url(), "--root-sha256", registry.init.rootSha256());
    assertThat(add.exitCode()).as(add.err()).isZero();
    assertThat(add.out()).contains("added main").contains(registry.init.rootSha256());
    assertThat(root.resolve("repos/main/metadata"))
        .isDirectoryContaining(p -> p.getFileName().toString().equals("timestamp.json"));

    CliRun list = warder("repo", "list", "-h");
    assertThat(list.out().strip())
        .isEqualTo(
            String.join(
                "\t", "main", registry.url(), "root-sha256", registry.init.rootSha256(), "0"));
    assertThat(warder("repo", "list", "--json").out()).contains("\"name\" : \"main\"");
    assertThat(warder("repo", "list").out()).startsWith("NAME");

    CliRun refresh = warder("repo", "refresh", "main");
    assertThat(refresh.exitCode()).as(refresh.err()).isZero();
    assertThat(refresh.out()).contains("main: root v1, timestamp v1");

    assertThat(warder("repo", "remove", "main").exitCode()).isZero();
    assertThat(root.resolve("repos/main")).doesNotExist();
  }

  @Test
  void testAdd_wrongPinRefusedAndNothingLeft() {
    CliRun add = warder("repo", "add", "main", registry.url(), "--root-sha256", "ab".repeat(32));
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(add.err())
        .contains("expected the pinned " + "ab".repeat(32))
        .contains(registry.init.rootSha256())
        .hasLineCount(1);
    assertThat(root.resolve("repos/main")).doesNotExist();
  }

  @Test
  void testAdd_rootFileAndTrustOnFirstUse() throws Exception {
    CliRun byFile =
        warder(
            "repo",
            "add",
            "byfile",
            registry.url(),
            "--root-file",
            registry.init.rootFile().toString());
    assertThat(byFile.exitCode()).as(byFile.err()).isZero();
    CliRun tofu = warder("repo", "add", "tofu", registry.url(), "--trust-on-first-use");
    assertThat(tofu.exitCode()).as(tofu.err()).isZero();
    assertThat(tofu.err())
        .contains("trusting on first use")
        .contains(registry.init.rootSha256())
        .contains("no protection");
    assertThat(Files.readAllBytes(root.resolve("repos/tofu/metadata/root.json")))
        .isEqualTo(Files.readAllBytes(registry.init.rootFile()));
  }

  @Test
  void testAdd_refusesBadNamesDuplicatesAndMissingPin() {
    assertThat(warder("repo", "add", "../evil", registry.url(), "--trust-on-first-use").err())
        .contains("expected a repository name");
    assertThat(warder("repo", "add", "main", registry.url()).exitCode()).isEqualTo(2);
    assertThat(warder("repo", "add", "main", registry.url(), "--trust-on-first-use").exitCode())
        .isZero();
    CliRun again = warder("repo", "add", "main", registry.url(), "--trust-on-first-use");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already exists");
    assertThat(warder("repo", "refresh", "nope").err()).contains("no repository named \"nope\"");
  }

  @Test
  void testAdd_unreachableRegistryLeavesNothing() {
    CliRun add =
        warder(
            "--retry-deadline",
            "1",
            "repo",
            "add",
            "gone",
            "http://127.0.0.1:9/",
            "--trust-on-first-use");
    assertThat(add.exitCode()).isEqualTo(1);
    assertThat(add.err()).contains("cannot fetch 1.root.json").contains("gave up after");
    assertThat(root.resolve("repos/gone")).doesNotExist();
  }
}
