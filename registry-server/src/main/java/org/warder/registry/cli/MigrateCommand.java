package org.warder.registry.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.warder.registry.config.StorageConfig;
import org.warder.registry.storage.FileSystemStore;
import org.warder.registry.storage.RegistryLayout;
import org.warder.registry.storage.RegistryStore;
import org.warder.registry.storage.StoreMigration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warder-registry migrate}: a data directory's blobs and metadata into a bucket. */
@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Copy a registry's blobs and metadata from its data directory to S3-compatible object"
          + " storage, then verify every blob (length and sha256, read back) and every metadata"
          + " file (byte for byte). Stop the registry first. Keys stay in the data directory.",
      "Endpoint, region and path-style come from --config / WARDER_REGISTRY_STORAGE_*;"
          + " credentials from the AWS provider chain (AWS_ACCESS_KEY_ID, ...)."
    })
final class MigrateCommand implements Callable<Integer> {
  @Option(
      names = "--from",
      required = true,
      paramLabel = "DIR",
      description = "The registry's data directory.")
  Path from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "s3://BUCKET[/PREFIX]",
      description = "The bucket (and key prefix) to copy to; the bucket must exist.")
  String to;

  @Mixin ConfigOption config;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RegistryLayout layout = new RegistryLayout(from);
    StorageConfig target = config.storage().withS3Url(to);
    RegistryStore store = target.open(layout);
    StoreMigration.Result result =
        new StoreMigration(new FileSystemStore(layout), store, layout.data().resolve("migrating"))
            .run();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "Copied %d blob%s and %d metadata file%s from %s to %s (%d blob%s already there);"
            + " all %d blobs (%d bytes) and metadata files verified.%n",
        result.blobs(),
        result.blobs() == 1 ? "" : "s",
        result.metadataFiles(),
        result.metadataFiles() == 1 ? "" : "s",
        layout.data(),
        store.describe(),
        result.blobsAlreadyThere(),
        result.blobsAlreadyThere() == 1 ? "" : "s",
        result.blobs() + result.blobsAlreadyThere(),
        result.blobBytes());
    out.println(
        "Serve from it with storage.backend=s3, storage.bucket="
            + target.bucket()
            + (target.prefix().isEmpty() ? "" : ", storage.prefix=" + target.prefix())
            + " (--config or WARDER_REGISTRY_STORAGE_*) and the same --data for the keys.");
    return 0;
  }
}
