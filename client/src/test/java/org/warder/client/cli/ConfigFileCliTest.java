package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.config.ClientDefaults;
import org.warder.client.config.ConfigFile;
import org.warder.client.exec.ProcessCommandRunner;
import org.warder.client.layout.HostLayout;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.repo.RepoConfig;
import org.warder.client.state.StateFiles;
import org.warder.signing.testing.CliRun;

/** warder.conf ($WARDER_CONFIG here) as the commands read it, below the option and environment. */
class ConfigFileCliTest {
  @TempDir Path dir;

  private CliRun warder(Map<String, String> env, String... args) {
    return CliRun.of((out, err, a) -> WarderMain.run(out, err, env, a), args);
  }

  private Path config(String text) throws Exception {
    return Files.writeString(dir.resolve("warder.conf"), text);
  }

  /** A root holding one configured repository called {@code repo}. */
  private Path rootWithRepository(String name, String repo) throws Exception {
    Path root = dir.resolve(name);
    Path file = new HostLayout(root).repoConfig(repo);
    Files.createDirectories(file.getParent());
    StateFiles.write(
        file,
        new RepoConfig(
            repo, URI.create("http://127.0.0.1:9/"), List.of(), "tofu", "", Instant.EPOCH));
    return root;
  }

  @Test
  void root_optionThenEnvironmentThenFile() throws Exception {
    Path fileRoot = rootWithRepository("file-root", "fromfile");
    Path envRoot = rootWithRepository("env-root", "fromenv");
    Path cliRoot = rootWithRepository("cli-root", "fromcli");
    Map<String, String> env =
        new HashMap<>(Map.of("WARDER_CONFIG", config("root = " + fileRoot).toString()));

    assertThat(warder(env, "repo", "list", "-h").out()).startsWith("fromfile\t");
    env.put("WARDER_ROOT", envRoot.toString());
    assertThat(warder(env, "repo", "list", "-h").out()).startsWith("fromenv\t");
    assertThat(warder(env, "--root", cliRoot.toString(), "repo", "list", "-h").out())
        .startsWith("fromcli\t");
  }

  @Test
  void repository_usedByFetchBeforeTheOnlyOne_andByPush() throws Exception {
    Path root = rootWithRepository("root", "only");
    Map<String, String> env =
        new HashMap<>(
            Map.of(
                "WARDER_ROOT",
                root.toString(),
                "WARDER_CONFIG",
                config("repository = configured\n").toString()));

    CliRun fetch = warder(env, "fetch", "-r", "14.3-RELEASE");
    assertThat(fetch.exitCode()).isEqualTo(1);
    assertThat(fetch.err()).contains("no repository named \"configured\"");

    assertThat(warder(env, "push", "web").err()).contains("no repository named \"configured\"");
    env.put("WARDER_REPO", "fromenv");
    assertThat(warder(env, "push", "web").err()).contains("no repository named \"fromenv\"");
    assertThat(warder(env, "push", "web", "--repo", "fromcli").err())
        .contains("no repository named \"fromcli\"");
  }

  @Test
  void publishingWithoutAnyRepositorySaysWhereToSetOne() throws Exception {
    Path root = rootWithRepository("root", "only");
    CliRun push =
        warder(
            Map.of("WARDER_ROOT", root.toString(), "WARDER_CONFIG", config("").toString()),
            "push",
            "web");
    assertThat(push.exitCode()).isEqualTo(1);
    assertThat(push.err())
        .isEqualTo(
            "warder: push needs a registry: pass --repo NAME, set WARDER_REPO, or set"
                + " 'repository = NAME' in /usr/local/etc/warder.conf (or the file $WARDER_CONFIG"
                + " names); see 'warder repo list'\n");
  }

  @Test
  void aBrokenFileFailsTheCommandNamingFileAndLine() throws Exception {
    Path conf = config("# mine\nrepo = team\n");
    CliRun list = warder(Map.of("WARDER_CONFIG", conf.toString()), "repo", "list");
    assertThat(list.exitCode()).isEqualTo(1);
    assertThat(list.err())
        .isEqualTo(
            "warder: "
                + conf
                + ":2: unknown key \"repo\"; did you mean repository? (known keys: repository,"
                + " key, token_file, root, retry_deadline)\n");
    assertThat(warder(Map.of("WARDER_CONFIG", conf.toString()), "--help").exitCode())
        .as("help needs no configuration")
        .isZero();
  }

  @Test
  void tokenFile_optionThenEnvironmentThenFile() throws Exception {
    Path fileToken = secret("file-token", "from-the-file");
    Path cliToken = secret("cli-token", "from-the-option");
    ClientDefaults defaults =
        new ClientDefaults(
            Map.of(), ConfigFile.parse("token_file = " + fileToken + "\n", "warder.conf"));

    assertThat(context(defaults, Map.of()).token(Optional.empty())).isEqualTo("from-the-file");
    assertThat(context(defaults, Map.of("WARDER_TOKEN", "from-env")).token(Optional.empty()))
        .isEqualTo("from-env");
    assertThat(context(defaults, Map.of("WARDER_TOKEN", "from-env")).token(Optional.of(cliToken)))
        .isEqualTo("from-the-option");
  }

  private Path secret(String name, String token) throws Exception {
    Path file = Files.writeString(dir.resolve(name), token + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private Context context(ClientDefaults fileDefaults, Map<String, String> env) {
    PrintWriter err = new PrintWriter(new StringWriter());
    ClientDefaults defaults = new ClientDefaults(env, fileDefaults.file());
    return new Context(
        new HostLayout(dir.resolve("root")),
        defaults,
        new PrintWriter(new StringWriter()),
        err,
        env,
        false,
        Optional.empty(),
        defaults.http(Optional.empty()),
        Clock.systemUTC(),
        new ProcessCommandRunner(new ConsoleReporter(err), false));
  }
}
