package org.warder.client.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.warder.client.testing.ZfsPool;

/**
 * The benchmark behind {@code bench/plugin-install.sh}: {@code warder fetch -P acme/testapp} end to
 * end, with the fixture of {@link PluginInstallTest} (a registry in this JVM over real HTTP, the
 * busybox release with the pkg stand-in, a package site, the plugin's git artifact), the client run
 * as its own process ({@code bin/warder}, JVM start included). Cold: a fresh host (the release is
 * fetched too); warm: the release is already there. On directory storage, and on ZFS when a
 * zfs-fuse daemon runs. Each jail is destroyed (-f stops it) after its round. Prints the median
 * wall time and the median of each step from the client's "step times" line.
 *
 * <p>Arguments: {@code WARDER_BIN ROUNDS WORKDIR}.
 */
public final class PluginInstallBench {
  private final Path warder;
  private final Path work;
  private final int rounds;

  private PluginInstallBench(Path warder, Path work, int rounds) {
    this.warder = warder;
    this.work = work;
    this.rounds = rounds;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: PluginInstallBench WARDER_BIN ROUNDS WORKDIR");
      System.exit(2);
    }
    Path work = Path.of(args[2]).toAbsolutePath();
    Files.createDirectories(work);
    PluginInstallTest.tmp = work.resolve("fixture");
    PluginInstallTest.publish();
    try {
      PluginInstallBench bench =
          new PluginInstallBench(
              Path.of(args[0]).toAbsolutePath(), work, Integer.parseInt(args[1]));
      bench.measure("dir", Optional.empty());
      if (ZfsPool.available()) {
        try (ZfsPool pool = ZfsPool.create(work, 768)) {
          bench.measure("zfs", Optional.of(pool.name()));
        }
      } else {
        System.out.println("zfs: skipped, no zfs-fuse daemon or zfs command here");
      }
    } finally {
      PluginInstallTest.stop();
    }
  }

  /**
   * Each round: a fresh host (its own root, and dataset on ZFS) installs the plugin twice, cold
   * (the release is fetched too) and warm (a second jail from the fetched release).
   */
  private void measure(String storage, Optional<String> pool) throws Exception {
    List<Result> cold = new ArrayList<>();
    List<Result> warm = new ArrayList<>();
    for (int i = 1; i <= rounds; i++) {
      Path root = work.resolve(storage + i);
      if (pool.isPresent()) {
        warder(root, "activate", pool.get() + "/warder" + i);
      }
      PluginInstallTest.plugins.addRepo(root);
      try {
        cold.add(install(root, "cold"));
        warm.add(install(root, "warm"));
      } finally {
        for (String jail : List.of("cold", "warm")) {
          warder(root, "destroy", "-f", jail);
        }
      }
    }
    report(storage + ", fresh host: the release is fetched too", cold);
    report(storage + ", release already on the host", warm);
  }

  private Result install(Path root, String jail) throws Exception {
    long start = System.nanoTime();
    String out = warder(root, "fetch", "-P", "acme/testapp", "-n", jail, "vnet=0");
    double wall = (System.nanoTime() - start) / 1e9;
    String line =
        out.lines()
            .filter(l -> l.startsWith("step times: "))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no step times in:\n" + out));
    Map<String, Double> steps = new LinkedHashMap<>();
    for (String part : line.substring("step times: ".length()).split(", ")) {
      String[] kv = part.split(" ");
      steps.put(kv[0], Double.parseDouble(kv[1].replace("s", "")));
    }
    return new Result(wall, steps);
  }

  private String warder(Path root, String... args) throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>(List.of(warder.toString(), "--root", root.toString()));
    argv.addAll(List.of(args));
    Path log = work.resolve("last.log");
    ProcessBuilder pb =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("CI", "true");
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          String.join(" ", argv) + " failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }
    return Files.readString(log, StandardCharsets.UTF_8);
  }

  private static void report(String what, List<Result> results) {
    System.out.printf(
        Locale.ROOT,
        "fetch -P acme/testapp (%s): median wall %.2f s over %d rounds %s%n",
        what,
        median(results.stream().map(Result::wall).toList()),
        results.size(),
        results.stream().map(r -> String.format(Locale.ROOT, "%.2f", r.wall())).toList());
    StringBuilder split = new StringBuilder("  steps (median s):");
    for (String step : results.get(0).steps().keySet()) {
      double m = median(results.stream().map(r -> r.steps().getOrDefault(step, 0.0)).toList());
      split.append(String.format(Locale.ROOT, " %s %.2f", step, m));
    }
    double inJvm =
        median(
            results.stream()
                .map(r -> r.steps().values().stream().mapToDouble(Double::doubleValue).sum())
                .toList());
    System.out.println(split);
    System.out.printf(
        Locale.ROOT,
        "  JVM start, options and exit (wall minus the steps): %.2f s%n",
        median(results.stream().map(Result::wall).toList()) - inJvm);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private record Result(double wall, Map<String, Double> steps) {}
}
