package org.warder.client.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.warder.signing.testing.CliRun;
import org.warder.signing.testing.StaticHttpServer;

/**
 * {@code warder tuf} run in-process with the arguments the tuf-conformance client passes, against a
 * repository served by a {@link StaticHttpServer} ({@code metadata/} and {@code targets/}).
 */
final class TufCli {
  private TufCli() {}

  /** {@code warder tuf --metadata-dir DIR init ROOT}: trusts {@code rootFile}, fetches nothing. */
  static CliRun init(Path metadataDir, Path rootFile) {
    return CliRun.of(
        WarderMain::run,
        "tuf",
        "--metadata-dir",
        metadataDir.toString(),
        "init",
        rootFile.toString());
  }

  /** {@code warder tuf --metadata-dir DIR --metadata-url URL/metadata COMMAND...}. */
  static CliRun run(Path metadataDir, StaticHttpServer server, String... command) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "tuf",
                "--metadata-dir",
                metadataDir.toString(),
                "--metadata-url",
                server.url("metadata").toString()));
    args.addAll(List.of(command));
    return CliRun.of(WarderMain::run, args.toArray(String[]::new));
  }

  /**
   * {@code download} of {@code names} (one {@code --target-name} each) from {@code URL/targets}
   * into {@code targetDir}.
   */
  static CliRun download(
      Path metadataDir, StaticHttpServer server, Path targetDir, String... names) {
    List<String> args = new ArrayList<>();
    for (String name : names) {
      args.add("--target-name");
      args.add(name);
    }
    args.addAll(
        List.of(
            "--target-base-url",
            server.url("targets").toString(),
            "--target-dir",
            targetDir.toString(),
            "download"));
    return run(metadataDir, server, args.toArray(String[]::new));
  }
}
