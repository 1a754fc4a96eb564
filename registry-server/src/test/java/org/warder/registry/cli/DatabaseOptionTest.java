package org.warder.registry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.TokenStore;
import org.warder.registry.testing.PostgresDatabase;
import org.warder.signing.PrivateFiles;
import org.warder.signing.testing.CliRun;

/**
 * {@code --database-url}, {@code --database-user}, {@code --database-password-file} and their
 * {@code WARDER_REGISTRY_DATABASE_*} variables, against a real PostgreSQL.
 */
class DatabaseOptionTest {
  @RegisterExtension final PostgresDatabase postgres = new PostgresDatabase();

  @TempDir Path tmp;
  private Path passwordFile = Path.of("");

  @BeforeEach
  void setUp() throws Exception {
    passwordFile = tmp.resolve("password");
    PrivateFiles.writeString(passwordFile, postgres.password() + "\n");
  }

  private static DatabaseOption option(Map<String, String> env) {
    DatabaseOption option = new DatabaseOption();
    option.env = env;
    return option;
  }

  @Test
  void testTokenCommands_withDatabaseUrl_keepTokensInTheDatabaseNotTheDataDirectory()
      throws Exception {
    Path data = tmp.resolve("data");
    String[] database = {
      "--data",
      data.toString(),
      "--database-url",
      postgres.url(),
      "--database-user",
      postgres.user(),
      "--database-password-file",
      passwordFile.toString()
    };
    CliRun created =
        CliRun.of(
            RegistryMain::run,
            concat(
                new String[] {"token", "create", "--publisher", "acme", "--role", "acme"},
                database));
    assertThat(created.exitCode()).as(created.err()).isZero();
    String token = created.out().strip();

    CliRun listed = CliRun.of(RegistryMain::run, concat(new String[] {"token", "list"}, database));
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out()).contains(token.substring(4, 16), "acme");
    assertThat(new RegistryLayout(data).tokens()).doesNotExist();

    // the same database through the environment: the password from a variable
    DatabaseOption fromEnv =
        option(
            Map.of(
                DatabaseOption.URL, postgres.url(),
                DatabaseOption.USER, postgres.user(),
                DatabaseOption.PASSWORD, postgres.password()));
    TokenStore tokens = fromEnv.tokens(new RegistryLayout(data), Clock.systemUTC());
    assertThat(tokens.authenticate(token)).isPresent();
    assertThat(tokens.list()).extracting(TokenStore.Token::publisher).containsExactly("acme");
  }

  @Test
  void testOpen_passwordFileFromTheEnvironment() throws Exception {
    DatabaseOption fromEnv =
        option(
            Map.of(
                DatabaseOption.URL,
                postgres.url(),
                DatabaseOption.USER,
                postgres.user(),
                DatabaseOption.PASSWORD_FILE,
                passwordFile.toString(),
                DatabaseOption.PASSWORD,
                "not the password: the file comes first"));

    assertThat(fromEnv.open()).isPresent();
  }

  @Test
  void testOpen_withoutUrl_isTheDataDirectory() throws Exception {
    assertThat(option(Map.of()).open()).isEmpty();
  }

  @Test
  void testOpen_userWithoutUrl_refused() {
    DatabaseOption option = option(Map.of());
    option.user = Optional.of("warder");

    assertThatThrownBy(option::open)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("expected --database-url or $WARDER_REGISTRY_DATABASE_URL");
  }

  @Test
  void testOpen_passwordFileOthersCanRead_refused() throws Exception {
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
    DatabaseOption option = option(Map.of(DatabaseOption.URL, postgres.url()));
    option.passwordFile = Optional.of(passwordFile);

    assertThatThrownBy(option::open)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(passwordFile.toString());
  }

  @Test
  void testOpen_wrongPassword_namesTheDatabaseNeverThePassword() {
    DatabaseOption option =
        option(
            Map.of(
                DatabaseOption.URL,
                postgres.url(),
                DatabaseOption.USER,
                postgres.user(),
                DatabaseOption.PASSWORD,
                "wrong-password-1234"));

    assertThatThrownBy(option::open)
        .isInstanceOf(IOException.class)
        .hasMessageContaining(postgres.url())
        .hasMessageNotContaining("wrong-password-1234")
        .hasMessageNotContaining(postgres.password());
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
