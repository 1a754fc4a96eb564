package org.warder.registry.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.signing.PrivateFiles;
import org.warder.signing.testing.TestFiles;

/**
 * The {@code warder-registry serve} processes of one registry whose nodes share a bucket (S3Proxy)
 * and a database (PostgreSQL): each node has a data directory of its own holding a copy of the
 * registry's keys, and is configured as an operator would (a {@code --config} file naming the
 * bucket, the database URL, user and password file, the AWS credentials in its environment).
 */
public final class SharedNodes {
  private final Path dir;
  private final Path registryData;
  private final PostgresDatabase postgres;

  /**
   * Nodes of the registry whose data directory (keys) is {@code registryData} and whose metadata
   * and blobs are in {@code bucket} of {@code s3}; their files go under {@code dir}.
   */
  public SharedNodes(
      Path dir, Path registryData, S3ProxyServer s3, String bucket, PostgresDatabase postgres)
      throws Exception {
    this.dir = Files.createDirectories(dir);
    this.registryData = registryData;
    this.postgres = postgres;
    PrivateFiles.writeString(dir.resolve("db.password"), postgres.password() + "\n");
    Files.writeString(
        dir.resolve("node.properties"),
        String.join(
            "\n",
            "storage.backend = s3",
            "storage.bucket = " + bucket,
            "storage.endpoint = " + s3.endpoint,
            "storage.path-style = true",
            ""));
  }

  /**
   * Starts node {@code name} (its data directory copied from the registry's the first time) with
   * {@code options} added; with {@code failPoint}, it halts there, or stalls {@code stallSeconds}
   * when that is positive.
   */
  public ServerProcess start(
      String name, Optional<String> failPoint, long stallSeconds, String... options)
      throws Exception {
    Path data = dir.resolve("node-" + name).resolve("data");
    if (!Files.exists(data)) {
      TestFiles.copyTree(registryData, data);
    }
    List<String> all =
        new ArrayList<>(
            List.of(
                "--config",
                dir.resolve("node.properties").toString(),
                "--database-url",
                postgres.url(),
                "--database-user",
                postgres.user(),
                "--database-password-file",
                dir.resolve("db.password").toString()));
    all.addAll(List.of(options));
    Map<String, String> env =
        Map.of(
            "AWS_ACCESS_KEY_ID",
            S3ProxyServer.ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY",
            S3ProxyServer.SECRET_KEY);
    Path logs = dir.resolve("logs-" + name);
    String[] args = all.toArray(String[]::new);
    return failPoint.isPresent() && stallSeconds > 0
        ? ServerProcess.startStalling(data, failPoint.get(), stallSeconds, env, logs, args)
        : ServerProcess.startWithEnvironment(data, failPoint, env, logs, args);
  }
}
