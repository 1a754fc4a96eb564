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
import org.warder.registry.config.ConfigException;
import org.warder.registry.config.DatabaseConfig;
import org.warder.registry.config.RegistryConfig;
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

  /** The configuration of the environment {@code env} and no file. */
  private static DatabaseConfig env(Map<String, String> env) throws Exception {
    return DatabaseConfig.from(RegistryConfig.load(Optional.empty(), env));
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
    DatabaseConfig fromEnv =
        env(
            Map.of(
                DatabaseOption.URL, postgres.url(),
                DatabaseOption.USER, postgres.user(),
                DatabaseOption.PASSWORD, postgres.password()));
    try (DatabaseOption.Offline shared = new DatabaseOption().offline(fromEnv)) {
      TokenStore tokens = shared.tokens(new RegistryLayout(data), Clock.systemUTC());
      assertThat(tokens.authenticate(token)).isPresent();
      assertThat(tokens.list()).extracting(TokenStore.Token::publisher).containsExactly("acme");
    }
  }

  @Test
  void testOpen_passwordFileFromTheEnvironment() throws Exception {
    DatabaseConfig fromEnv =
        env(
            Map.of(
                DatabaseOption.URL,
                postgres.url(),
                DatabaseOption.USER,
                postgres.user(),
                DatabaseOption.PASSWORD_FILE,
                passwordFile.toString(),
                DatabaseOption.PASSWORD,
                "not the password: the file comes first"));

    try (DatabaseOption.Offline shared = new DatabaseOption().offline(fromEnv)) {
      assertThat(shared.database()).isPresent();
    }
  }

  @Test
  void testOpen_withoutUrl_isTheDataDirectory() throws Exception {
    assertThat(new DatabaseOption().open(env(Map.of()))).isEmpty();
  }

  @Test
  void testOpen_userWithoutUrl_refused() throws Exception {
    DatabaseOption option = new DatabaseOption();
    option.user = Optional.of("warder");
    DatabaseConfig none = env(Map.of());

    assertThatThrownBy(() -> option.open(none))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(
            "expected --database-url, database.url in --config or $WARDER_REGISTRY_DATABASE_URL");
  }

  @Test
  void testOpen_passwordFileOthersCanRead_refused() throws Exception {
    Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-r--r--"));
    DatabaseOption option = new DatabaseOption();
    option.passwordFile = Optional.of(passwordFile);
    DatabaseConfig url = env(Map.of(DatabaseOption.URL, postgres.url()));

    assertThatThrownBy(() -> option.open(url))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(passwordFile.toString());
  }

  @Test
  void testOpen_wrongPassword_namesTheDatabaseNeverThePassword() throws Exception {
    DatabaseConfig wrong =
        env(
            Map.of(
                DatabaseOption.URL,
                postgres.url(),
                DatabaseOption.USER,
                postgres.user(),
                DatabaseOption.PASSWORD,
                "wrong-password-1234"));

    assertThatThrownBy(() -> new DatabaseOption().open(wrong))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(postgres.url())
        .hasMessageNotContaining("wrong-password-1234")
        .hasMessageNotContaining(postgres.password());
  }

  @Test
  void testConfigFile_databaseKeysOpenTheDatabaseTheVariableWins() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("registry.conf"),
            "database.url = jdbc:postgresql://127.0.0.1:1/not-this-one\n"
                + "database.user = "
                + postgres.user()
                + "\ndatabase.password-file = "
                + passwordFile
                + "\n");
    DatabaseConfig fromFile =
        DatabaseConfig.from(
            RegistryConfig.load(Optional.of(config), Map.of(DatabaseOption.URL, postgres.url())));
    assertThat(fromFile.url()).contains(postgres.url());
    assertThat(fromFile.passwordFile()).contains(passwordFile);
    try (DatabaseOption.Offline shared = new DatabaseOption().offline(fromFile)) {
      assertThat(shared.database()).isPresent();
    }

    Path data = tmp.resolve("data");
    CliRun created =
        CliRun.of(
            RegistryMain::run,
            "token",
            "create",
            "--publisher",
            "acme",
            "--role",
            "acme",
            "--data",
            data.toString(),
            "--config",
            Files.writeString(
                    tmp.resolve("good.conf"),
                    "database.url = "
                        + postgres.url()
                        + "\ndatabase.user = "
                        + postgres.user()
                        + "\ndatabase.password-file = "
                        + passwordFile
                        + "\n")
                .toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(new RegistryLayout(data).tokens()).doesNotExist();
  }

  @Test
  void testConfigFile_aPasswordLineOrAnUnknownKey_refusedWithWhatToDo() throws Exception {
    Path withPassword =
        Files.writeString(
            tmp.resolve("password.conf"),
            "database.url = " + postgres.url() + "\ndatabase.password = secret\n");
    assertThatThrownBy(
            () -> DatabaseConfig.from(RegistryConfig.load(Optional.of(withPassword), Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("expected no database.password in the configuration file")
        .hasMessageContaining("database.password-file")
        .hasMessageNotContaining("secret");
    Path misspelt = Files.writeString(tmp.resolve("typo.conf"), "database.uri = x\n");
    assertThatThrownBy(
            () -> DatabaseConfig.from(RegistryConfig.load(Optional.of(misspelt), Map.of())))
        .hasMessageContaining("unknown database keys [database.uri]");
    Path stray = Files.writeString(tmp.resolve("stray.conf"), "listen = 0.0.0.0:80\n");
    CliRun run = tokenList("--config", stray.toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("unknown keys [listen] in " + stray)
        .contains("expected keys of the sections [storage., database.]");
  }

  @Test
  void testPoolSize_fromTheFlagTheVariableOrTheFile_defaultEight() throws Exception {
    Map<String, String> base =
        Map.of(
            DatabaseOption.URL, postgres.url(),
            DatabaseOption.USER, postgres.user(),
            DatabaseOption.PASSWORD, postgres.password());
    try (DatabaseOption.Offline shared = new DatabaseOption().offline(env(base))) {
      assertThat(shared.database().orElseThrow().poolSize()).isEqualTo(8);
    }
    Map<String, String> withVariable = new java.util.HashMap<>(base);
    withVariable.put(DatabaseOption.POOL_SIZE, "4");
    Path config = Files.writeString(tmp.resolve("pool.conf"), "database.pool-size = 5\n");
    DatabaseConfig fileAndVariable =
        DatabaseConfig.from(RegistryConfig.load(Optional.of(config), withVariable));
    DatabaseConfig fileOnly = DatabaseConfig.from(RegistryConfig.load(Optional.of(config), base));
    try (DatabaseOption.Offline shared = new DatabaseOption().offline(fileAndVariable)) {
      assertThat(shared.database().orElseThrow().poolSize()).isEqualTo(4);
    }
    try (DatabaseOption.Offline shared = new DatabaseOption().offline(fileOnly)) {
      assertThat(shared.database().orElseThrow().poolSize()).isEqualTo(5);
    }
    DatabaseOption flag = new DatabaseOption();
    flag.poolSize = Optional.of("3");
    try (DatabaseOption.Offline shared = flag.offline(fileAndVariable)) {
      assertThat(shared.database().orElseThrow().poolSize()).isEqualTo(3);
    }
  }

  @Test
  void testPoolSize_belowTwoOrNotANumber_refusedWithTheReasonAndWhere() throws Exception {
    Map<String, String> one =
        Map.of(DatabaseOption.URL, postgres.url(), DatabaseOption.POOL_SIZE, "1");
    assertThatThrownBy(() -> env(one))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "expected a database pool size of at least 2 in " + DatabaseOption.POOL_SIZE)
        .hasMessageContaining("found 1")
        .hasMessageContaining("the relay of submissions keeps one connection");
    Path config = Files.writeString(tmp.resolve("pool.conf"), "database.pool-size = eight\n");
    assertThatThrownBy(
            () -> DatabaseConfig.from(RegistryConfig.load(Optional.of(config), Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "expected a whole number of connections in database.pool-size in " + config)
        .hasMessageContaining("found \"eight\"");

    CliRun run = tokenList("--database-url", postgres.url(), "--database-pool-size", "0");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err())
        .contains("expected a database pool size of at least 2 in --database-pool-size, found 0");
    CliRun withoutUrl = tokenList("--database-pool-size", "4");
    assertThat(withoutUrl.exitCode()).isEqualTo(1);
    assertThat(withoutUrl.err()).contains("--database-pool-size need a database");
  }

  /** {@code warder-registry token list} on a data directory of this test, with {@code options}. */
  private CliRun tokenList(String... options) {
    return CliRun.of(
        RegistryMain::run,
        concat(new String[] {"token", "list", "--data", tmp.resolve("data").toString()}, options));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
