package org.warder.client.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Format;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How a bundle is written ({@code export}, {@code push}): its format and compression. */
final class BundleOptions {
  @Option(
      names = "--format",
      paramLabel = "zfs|tar|iocage",
      description =
          "zfs: zfs send streams (fast; imports on ZFS hosts). tar: a portable file tree (imports on any"
              + " storage). iocage (export only): iocage's export zip (-o must then be named NAME_DATE.zip; --compress"
              + " does not apply). Default: zfs on ZFS storage, tar otherwise.")
  Optional<String> format = Optional.empty();

  @Option(
      names = "--compress",
      paramLabel = "zstd|xz|none",
      defaultValue = "zstd",
      description = "Compression of the root member (default: ${DEFAULT-VALUE}).")
  String compress;

  /** Whether iocage's export zip is asked for (export only). */
  boolean iocage() {
    return format.map("iocage"::equals).orElse(false);
  }

  /** The format asked for; empty for the storage's default. */
  Optional<Format> format(CommandSpec spec) {
    return format.map(
        v ->
            Format.of(v)
                .orElseThrow(
                    () ->
                        new ParameterException(
                            spec.commandLine(),
                            "expected --format zfs or tar, found \"" + v + "\"")));
  }

  Compression compression(CommandSpec spec) {
    return Arrays.stream(Compression.values())
        .filter(c -> c.label().equals(compress))
        .findFirst()
        .orElseThrow(
            () ->
                new ParameterException(
                    spec.commandLine(),
                    "expected --compress "
                        + String.join(
                            "|",
                            Arrays.stream(Compression.values())
                                .map(c -> c.name().toLowerCase(Locale.ROOT))
                                .toList())
                        + ", found \""
                        + compress
                        + "\""));
  }
}
