package org.warder.client.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.publish.Destination;
import org.warder.client.publish.ExpiryWarnings;
import org.warder.client.publish.PublishPermission;
import org.warder.client.publish.RegistryApiException;
import org.warder.client.repo.RepoConfig;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.TufException;
import picocli.CommandLine.Option;

/** The options of every publishing command: the signing key, its passphrase, the registry token. */
final class SigningOptions {
  @Option(
      names = "--key",
      paramLabel = "NAME",
      description =
          "Signing key name (default: $WARDER_KEY, key in warder.conf, or default; see 'warder key"
              + " list').")
  Optional<String> key = Optional.empty();

  @Option(
      names = "--token-file",
      paramLabel = "FILE",
      description = "Publishing token (default: $WARDER_TOKEN, or token_file in warder.conf).")
  Optional<Path> tokenFile = Optional.empty();

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "The key's passphrase, first line of FILE.")
  Optional<Path> passphraseFile = Optional.empty();

  /** Publishing to {@code config} as these options say. */
  Destination destination(Context ctx, RepoConfig config)
      throws ClientException, SigningException, IOException, InterruptedException {
    return ctx.destination(config, key, passphraseFile, tokenFile);
  }

  /**
   * Publishing {@code role} (delegated {@code paths}) to {@code config}, checked first: the token
   * may publish the role and the key is one of its delegation ({@link PublishPermission}).
   */
  Destination destination(Context ctx, RepoConfig config, String role, List<String> paths)
      throws ClientException, SigningException, IOException, InterruptedException {
    Destination to = destination(ctx, config);
    PublishPermission.check(to, role, ctx.defaults.key(key) + ".pub.json", paths);
    return to;
  }

  /**
   * After publishing through {@code to} to repository {@code repo}: a warning on standard error for
   * each role the publisher's token may publish, or the top-level targets, that expires within
   * {@link ExpiryWarnings#WITHIN}, naming the command that renews it. A check that fails is itself
   * a warning: what was published stays published.
   */
  static void warnExpiring(Context ctx, Destination to, String repo) {
    try {
      for (String line : ExpiryWarnings.check(to, repo, ctx.clock.instant())) {
        ctx.err.println("warder: warning: " + line);
      }
    } catch (IOException | TufException | RegistryApiException e) {
      ctx.err.println(
          "warder: warning: cannot check when the roles of " + repo + " expire: " + e.getMessage());
    }
    ctx.err.flush();
  }
}
