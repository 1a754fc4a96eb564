package org.warder.registry.cli;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.warder.registry.repo.RoleExpiry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code warder-registry renew-targets}: re-sign the top-level targets before they expire. */
@Command(
    name = "renew-targets",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Re-sign the top-level targets metadata, unchanged, with a new expiry: its next version,"
          + " signed with the offline targets key, then a new snapshot and timestamp. Clients refuse"
          + " every delegation once the top-level targets expire, and the server cannot re-sign"
          + " them: it holds no targets key. 'warder-registry status' shows when they expire.",
      "A running server picks the change up at once."
    })
final class RenewTargetsCommand implements Callable<Integer> {
  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "180",
      description = "Days the new version stays valid, 1 to 365 (default: ${DEFAULT-VALUE}).")
  int days;

  @Mixin OfflineTargetsKey targetsKey;

  @Mixin DataOption data;
  @Mixin DatabaseOption database;
  @Mixin ConfigOption config;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (days < 1 || days > 365) {
      throw new ParameterException(
          spec.commandLine(), "expected --days from 1 to 365, found " + days);
    }
    RoleExpiry renewed =
        targetsKey.sign(
            data,
            database,
            config,
            spec.commandLine().getErr(),
            (repository, key) -> repository.renewTargets(Duration.ofDays(days), key));
    spec.commandLine()
        .getOut()
        .printf(
            "Renewed the top-level targets: version %d, expires %s%n",
            renewed.version(), renewed.expires());
    return 0;
  }
}
