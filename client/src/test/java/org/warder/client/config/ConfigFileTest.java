package org.warder.client.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.ClientException;

/** The configuration file's format, its location and its refusals. */
class ConfigFileTest {
  @TempDir Path dir;

  @Test
  void everyKeyIsRead_commentsBlanksAndQuotesAllowed() throws Exception {
    ClientConfig config =
        ConfigFile.parse(
            """
            # warder.conf
            repository = team   # where push and publish go

            key="release-2026"
            \ttoken_file   =   "/usr/local/etc/warder/token #1"
            root = /jails/warder
            retry_deadline = 90
            """,
            "warder.conf");
    assertThat(config.repository()).contains("team");
    assertThat(config.key()).contains("release-2026");
    assertThat(config.tokenFile()).contains(Path.of("/usr/local/etc/warder/token #1"));
    assertThat(config.root()).contains(Path.of("/jails/warder"));
    assertThat(config.retryDeadline()).contains(Duration.ofSeconds(90));
    assertThat(config.source()).isEqualTo("warder.conf");
  }

  @Test
  void anEmptyFileSetsNothing() throws Exception {
    ClientConfig config = ConfigFile.parse("# nothing yet\n\n", "warder.conf");
    assertThat(config.repository()).isEmpty();
    assertThat(config.key()).isEmpty();
    assertThat(config.tokenFile()).isEmpty();
    assertThat(config.root()).isEmpty();
  }

  @Test
  void unknownKeyRefusedWithClosestKnownOnesAndLineNumber() {
    assertThatThrownBy(() -> ConfigFile.parse("root = /r\n\nrepo = team\n", "/etc/w.conf"))
        .isInstanceOf(ClientException.class)
        .hasMessage(
            "/etc/w.conf:3: unknown key \"repo\"; did you mean repository? (known keys:"
                + " repository, key, token_file, root, retry_deadline)");
    assertThatThrownBy(() -> ConfigFile.parse("tokenfile = /t\n", "w.conf"))
        .hasMessageStartingWith("w.conf:1: unknown key \"tokenfile\"; did you mean token_file?");
    assertThatThrownBy(() -> ConfigFile.parse("colour = blue\n", "w.conf"))
        .hasMessage(
            "w.conf:1: unknown key \"colour\" (known keys: repository, key, token_file, root,"
                + " retry_deadline)");
  }

  @Test
  void duplicateKeyRefusedNamingBothLines() {
    assertThatThrownBy(() -> ConfigFile.parse("key = a\nroot = /r\nkey = b\n", "w.conf"))
        .hasMessage("w.conf:3: key is set twice (first at line 1); keep one of them");
  }

  @Test
  void badSyntaxRefusedWithWhatWasExpected() {
    assertThatThrownBy(() -> ConfigFile.parse("# ok\nrepository team\n", "w.conf"))
        .hasMessage("w.conf:2: expected 'key = value', found \"repository team\"");
    assertThatThrownBy(() -> ConfigFile.parse("key = \"unclosed\n", "w.conf"))
        .hasMessageStartingWith("w.conf:1: the value of key opens a double quote");
    assertThatThrownBy(() -> ConfigFile.parse("key = \"a\" b\n", "w.conf"))
        .hasMessageStartingWith("w.conf:1: the value of key opens a double quote");
  }

  @Test
  void badValuesExplained() {
    assertThatThrownBy(() -> ConfigFile.parse("root = warder\n", "w.conf"))
        .hasMessage("w.conf:1: root must be an absolute path, found \"warder\"");
    assertThatThrownBy(() -> ConfigFile.parse("token_file = ~/token\n", "w.conf"))
        .hasMessage("w.conf:1: token_file must be an absolute path, found \"~/token\"");
    assertThatThrownBy(() -> ConfigFile.parse("repository = My Repo\n", "w.conf"))
        .hasMessageStartingWith("w.conf:1: repository must be a repository name")
        .hasMessageEndingWith("found \"My Repo\"");
    assertThatThrownBy(() -> ConfigFile.parse("key = ../escape\n", "w.conf"))
        .hasMessageStartingWith("w.conf:1: key must be a key name")
        .hasMessageEndingWith("found \"../escape\"");
    for (String bad : List.of("0", "-5", "1m", "1000000", "07")) {
      assertThatThrownBy(() -> ConfigFile.parse("retry_deadline = " + bad + "\n", "w.conf"))
          .hasMessage(
              "w.conf:1: retry_deadline must be a whole number of seconds from 1 to 999999, found"
                  + " \""
                  + bad
                  + "\"");
    }
    assertThatThrownBy(() -> ConfigFile.parse("root =   # none\n", "w.conf"))
        .hasMessage("w.conf:1: root has no value; give one or remove the line");
  }

  @Test
  void variableNamesTheFile_elseTheDefaultIfItExists_elseNone() throws Exception {
    Path named = Files.writeString(dir.resolve("named.conf"), "repository = named\n");
    Path fallback = Files.writeString(dir.resolve("default.conf"), "repository = fallback\n");

    assertThat(ConfigFile.load(Map.of("WARDER_CONFIG", named.toString()), fallback).repository())
        .contains("named");
    assertThat(ConfigFile.load(Map.of(), fallback).repository()).contains("fallback");
    assertThat(ConfigFile.load(Map.of(), fallback).source()).isEqualTo(fallback.toString());
    assertThat(ConfigFile.load(Map.of(), dir.resolve("absent.conf")))
        .isEqualTo(ClientConfig.none());
  }

  @Test
  void aNamedFileThatIsMissingOrUnreadableIsAnError() {
    Path missing = dir.resolve("missing.conf");
    assertThatThrownBy(() -> ConfigFile.load(Map.of("WARDER_CONFIG", missing.toString()), missing))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("WARDER_CONFIG names " + missing + ", which does not exist")
        .hasMessageContaining("unset WARDER_CONFIG");
    // a directory cannot be read as a file, even by root (a mode-000 file can)
    assertThatThrownBy(() -> ConfigFile.load(Map.of("WARDER_CONFIG", dir.toString()), missing))
        .isInstanceOf(ClientException.class)
        .hasMessageStartingWith("cannot read the configuration file " + dir)
        .hasMessageEndingWith("expected a readable text file of 'key = value' lines");
  }

  @Test
  void precedence_commandLineThenEnvironmentThenFileThenBuiltIn() {
    ClientConfig file =
        new ClientConfig(
            Optional.of("filerepo"),
            Optional.of("filekey"),
            Optional.of(Path.of("/file/token")),
            Optional.of(Path.of("/file/root")),
            Optional.of(Duration.ofSeconds(90)),
            "w.conf");
    Map<String, String> env =
        Map.of(
            "WARDER_REPO", "envrepo",
            "WARDER_KEY", "envkey",
            "WARDER_TOKEN", "secret",
            "WARDER_ROOT", "/env/root");
    ClientDefaults all = new ClientDefaults(env, file);
    ClientDefaults fileOnly = new ClientDefaults(Map.of(), file);
    ClientDefaults nothing = new ClientDefaults(Map.of(), ClientConfig.none());

    assertThat(all.root(Optional.of(Path.of("/cli")))).isEqualTo(Path.of("/cli"));
    assertThat(all.root(Optional.empty())).isEqualTo(Path.of("/env/root"));
    assertThat(fileOnly.root(Optional.empty())).isEqualTo(Path.of("/file/root"));
    assertThat(nothing.root(Optional.empty())).isEqualTo(Path.of("/usr/local/warder"));

    assertThat(all.repository(Optional.of("clirepo"))).contains("clirepo");
    assertThat(all.repository(Optional.empty())).contains("envrepo");
    assertThat(fileOnly.repository(Optional.empty())).contains("filerepo");
    assertThat(nothing.repository(Optional.empty())).isEmpty();

    assertThat(all.key(Optional.of("clikey"))).isEqualTo("clikey");
    assertThat(all.key(Optional.empty())).isEqualTo("envkey");
    assertThat(fileOnly.key(Optional.empty())).isEqualTo("filekey");
    assertThat(nothing.key(Optional.empty())).isEqualTo("default");

    assertThat(all.tokenFile(Optional.of(Path.of("/cli/token")))).contains(Path.of("/cli/token"));
    assertThat(all.tokenFile(Optional.empty())).as("$WARDER_TOKEN wins over the file").isEmpty();
    assertThat(fileOnly.tokenFile(Optional.empty())).contains(Path.of("/file/token"));
    assertThat(nothing.tokenFile(Optional.empty())).isEmpty();

    assertThat(all.http(Optional.of(Duration.ofSeconds(5))).retryDeadline()).hasSeconds(5);
    assertThat(all.http(Optional.empty()).retryDeadline()).hasSeconds(90);
    assertThat(nothing.http(Optional.empty()).retryDeadline()).hasSeconds(60);

    ClientDefaults blankEnv =
        new ClientDefaults(Map.of("WARDER_ROOT", " ", "WARDER_REPO", "", "WARDER_KEY", ""), file);
    assertThat(blankEnv.root(Optional.empty())).isEqualTo(Path.of("/file/root"));
    assertThat(blankEnv.repository(Optional.empty())).contains("filerepo");
    assertThat(blankEnv.key(Optional.empty())).isEqualTo("filekey");
  }
}
