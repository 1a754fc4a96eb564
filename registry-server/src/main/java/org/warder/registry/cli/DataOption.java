package org.warder.registry.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.warder.registry.storage.RegistryLayout;
import picocli.CommandLine.Option;

/** The {@code --data DIR} option shared by the registry's commands. */
final class DataOption {
  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Data directory (default: $WARDER_REGISTRY_HOME or ~/.local/share/warder-registry).")
  Optional<Path> data = Optional.empty();

  RegistryLayout layout() {
    return new RegistryLayout(data.orElseGet(() -> RegistryLayout.defaultData(System.getenv())));
  }
}
