package org.warder.registry.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.storage.BlobStore;
import org.warder.registry.storage.GarbageCollector;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.UploadSessions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code warder-registry gc}: lists, and with {@code --delete} removes, orphan blobs and expired
 * uploads.
 */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "List the blobs no retained metadata references (every version of every role's metadata on disk that"
          + " the current snapshot covers), the upload sessions untouched for --upload-max-age, and the upload"
          + " parts and incoming files older than that which no session names (left by a node that died),"
          + " with their sizes. Nothing is deleted without --delete.",
      "Orphan blobs stored or asked for within --grace are kept: a publisher uploads blobs before it submits"
          + " the metadata that names them. Safe while the server runs: blobs are deleted under the same lock"
          + " submissions hold (with --database-url, the lock the registry's nodes share)."
    })
final class GcCommand implements Callable<Integer> {
  @Option(names = "--delete", description = "Delete what is listed (default: only list it).")
  boolean delete;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "24h",
      description =
          "Keep orphan blobs stored or asked for this recently: N followed by s, m, h or d (default: ${DEFAULT-VALUE}).")
  String grace;

  @Option(
      names = "--upload-max-age",
      paramLabel = "DURATION",
      defaultValue = "24h",
      description =
          "Upload sessions untouched this long are expired (default: ${DEFAULT-VALUE}, as for serve).")
  String uploadMaxAge;

  @Mixin DataOption data;
  @Mixin DatabaseOption database;

  @Mixin ConfigOption config;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Duration keep = Quantities.duration(spec, "--grace", grace);
    Duration maxAge = Quantities.duration(spec, "--upload-max-age", uploadMaxAge);
    RegistryLayout layout = data.layout();
    RegistryStore store = config.storage().open(layout);
    if (!RegistryRepository.isInitialised(store)) {
      throw new java.io.IOException(
          "no registry in "
              + store.describe()
              + "; give its data directory with --data (and its storage with --config)");
    }
    GarbageCollector.Garbage garbage;
    try (DatabaseOption.Offline shared = database.offline(config.database())) {
      garbage =
          new GarbageCollector(
                  layout, store, Clock.systemUTC(), shared.writerLock(layout), shared.uploads())
              .collect(keep, maxAge, delete);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (BlobStore.Stored blob : garbage.orphans()) {
      out.printf(
          "orphan blob     %s  %d bytes  stored %s%n",
          blob.sha256(), blob.length(), blob.touched());
    }
    for (UploadSessions.Expired upload : garbage.uploads()) {
      out.printf("expired upload  %s  %d bytes%n", upload.uuid(), upload.length());
    }
    for (UploadSessions.Leftover leftover : garbage.leftovers()) {
      out.printf("upload leftover %s  %d bytes%n", leftover.key(), leftover.length());
    }
    if (!garbage.young().isEmpty()) {
      out.printf(
          "Kept %d orphan blob%s (%d bytes) stored or asked for within %s: a publish may be about to name them.%n",
          garbage.young().size(),
          plural(garbage.young().size()),
          garbage.young().stream().mapToLong(BlobStore.Stored::length).sum(),
          grace);
    }
    out.printf(
        "%s %d orphan blob%s (%d bytes) and %d expired upload session%s (%d bytes)%s%n",
        delete ? "Deleted" : "Would delete",
        garbage.orphans().size(),
        plural(garbage.orphans().size()),
        garbage.orphanBytes(),
        garbage.uploads().size(),
        plural(garbage.uploads().size()),
        garbage.uploadBytes(),
        delete ? "." : "; run 'warder-registry gc --delete' to delete them.");
    if (!garbage.leftovers().isEmpty()) {
      out.printf(
          "%s %d upload leftover%s (%d bytes): parts no session names and incoming files, older"
              + " than %s, left by a node that died.%n",
          delete ? "Deleted" : "Would delete",
          garbage.leftovers().size(),
          plural(garbage.leftovers().size()),
          garbage.leftoverBytes(),
          uploadMaxAge);
    }
    return 0;
  }

  private static String plural(int n) {
    return n == 1 ? "" : "s";
  }
}
