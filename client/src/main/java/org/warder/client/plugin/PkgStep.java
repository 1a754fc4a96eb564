package org.warder.client.plugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.jail.props.JailName;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.JailRuntime;

/**
 * {@code pkg ARGS PACKAGES} for a running jail, the way its runtime installs packages, with the
 * output streamed; nothing when there are no packages. Reverts nothing: the packages live in the
 * jail, which an earlier step made or snapshotted.
 */
final class PkgStep implements Step {
  private final JailRuntime runtime;
  private final JailName jail;
  private final List<String> argv;
  private final List<String> description;
  private final ScriptOutput output;

  private PkgStep(
      JailRuntime runtime,
      JailName jail,
      List<String> argv,
      List<String> description,
      ScriptOutput output) {
    this.runtime = runtime;
    this.jail = jail;
    this.argv = argv;
    this.description = description;
    this.output = output;
  }

  /** {@code pkg ARGS PACKAGES}; refuses an argument pkg would misread. */
  static PkgStep of(
      JailRuntime runtime,
      JailName jail,
      List<String> args,
      List<String> packages,
      ScriptOutput output)
      throws IOException {
    List<String> argv = new ArrayList<>(args);
    argv.addAll(packages);
    List<String> description =
        packages.isEmpty() ? List.of() : List.of(runtime.describePkg(jail, argv));
    return new PkgStep(runtime, jail, List.copyOf(argv), description, output);
  }

  @Override
  public String name() {
    return "pkg";
  }

  @Override
  public List<String> describe() {
    return description;
  }

  @Override
  public void run(Reporter reporter) throws IOException, InterruptedException {
    if (!description.isEmpty()) {
      output.check(runtime.pkg(jail, argv, output.sink(reporter)));
    }
  }
}
