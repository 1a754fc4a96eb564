package org.warder.client.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.warder.client.cli.WarderMain;
import org.warder.signing.testing.CliRun;

/**
 * One warder host in a test: a client root driven through the {@code warder} command line in
 * process, with {@code CI=true} (plain progress lines) and the given extra environment.
 */
public record TestHost(Path root, Map<String, String> env) {
  public TestHost(Path root) {
    this(root, Map.of());
  }

  /** Runs {@code warder --root ROOT args...}. */
  public CliRun warder(String... args) {
    List<String> all = new ArrayList<>(List.of("--root", root.toString()));
    all.addAll(List.of(args));
    Map<String, String> environment = new java.util.HashMap<>(env);
    environment.put("CI", "true");
    return CliRun.of(
        (out, err, a) -> WarderMain.run(out, err, environment, a), all.toArray(String[]::new));
  }

  /** Runs it and asserts exit code 0. */
  public CliRun ok(String... args) {
    CliRun run = warder(args);
    assertThat(run.exitCode()).as(String.join(" ", args) + ": " + run.err() + run.out()).isZero();
    return run;
  }

  /** Runs it, asserts exit code 1 (a refusal, not a usage error) and returns stderr. */
  public String refused(String... args) {
    CliRun run = warder(args);
    assertThat(run.exitCode())
        .as(String.join(" ", args) + ": " + run.out() + run.err())
        .isEqualTo(1);
    return run.err();
  }

  /** {@code <root>/jails/<name>/root}. */
  public Path jailRoot(String name) {
    return root.resolve("jails").resolve(name).resolve("root");
  }
}
