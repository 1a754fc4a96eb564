package org.warder.client.plugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.JailRuntime;

/**
 * Loads the manifest's kernel modules on the host, the way the runtime does (none in the sandbox,
 * which shares the Linux kernel). Reverts nothing: a loaded module may serve other jails too.
 */
final class KmodStep implements Step {
  private final JailRuntime runtime;
  private final List<String> modules;
  private final List<String> description;

  /** Refuses a module name that is not one. */
  KmodStep(JailRuntime runtime, List<String> modules) throws IOException {
    this.runtime = runtime;
    this.modules = List.copyOf(modules);
    List<String> lines = new ArrayList<>();
    for (String module : modules) {
      lines.add(runtime.describeKernelModule(module));
    }
    this.description = List.copyOf(lines);
  }

  @Override
  public String name() {
    return "kmods";
  }

  @Override
  public List<String> describe() {
    return description;
  }

  @Override
  public void run(Reporter reporter) throws IOException, InterruptedException {
    for (String module : modules) {
      if (!runtime.loadKernelModule(module)) {
        reporter.info("kmods: skipping kldload " + module + " (not a FreeBSD host)");
      }
    }
  }
}
