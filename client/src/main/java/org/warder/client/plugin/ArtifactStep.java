package org.warder.client.plugin;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.fetch.DownloadPipe;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.jail.Jails;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.client.runtime.RuntimeSpec;
import org.warder.signing.tuf.ChunkHashes;
import org.warder.signing.tuf.MetadataFormatException;
import org.warder.signing.tuf.TargetFile;

/**
 * Checks the artifact out of the signed bundle at the commit the manifest pins, into the jail
 * directory's {@code plugin/}; an artifact already there (an update) is kept as {@code plugin.old}
 * until the record step, and put back by undo.
 */
final class ArtifactStep implements Step {
  private final ArtifactBundles bundles;
  private final ResolvedPlugin plugin;
  private final String commit;
  private final Path pluginDir;
  private final Path fresh;
  private final Path old;

  /**
   * The steps that bring the artifact of {@code plugin} at {@code commit} into a running jail: the
   * checkout into {@code pluginDir}, the overlay and {@code script} written into the root of the
   * jail {@code spec} describes while it is stopped, and the script run (as step {@code
   * scriptStep}) with the jail's {@code address} in its environment.
   */
  static List<Step> withScript(
      Jails jails,
      PluginSources sources,
      ResolvedPlugin plugin,
      String commit,
      Path pluginDir,
      RuntimeSpec spec,
      String scriptStep,
      String script,
      PluginAddress address,
      ScriptOutput output)
      throws IOException {
    return List.of(
        new ArtifactStep(sources, plugin, commit, pluginDir),
        new JailRootWrite(
            "artifact",
            jails,
            spec,
            true,
            List.of(
                "copy "
                    + pluginDir.resolve("overlay")
                    + "/ onto "
                    + spec.root()
                    + " and "
                    + pluginDir.resolve(script)
                    + " to "
                    + spec.root().resolve("root/" + script)
                    + " (descriptor-relative, never through a symlink of the jail)"),
            (root, r) -> {
              JailRootWrite.overlay(pluginDir, root, r);
              JailRootWrite.place(pluginDir, root, script);
            }),
        new ScriptStep(
            scriptStep, jails.runtime(), spec.name(), pluginDir, script, address, output));
  }

  /** The artifact of {@code plugin} at {@code commit} into {@code pluginDir}. */
  ArtifactStep(ArtifactBundles bundles, ResolvedPlugin plugin, String commit, Path pluginDir) {
    this.bundles = bundles;
    this.plugin = plugin;
    this.commit = commit;
    this.pluginDir = pluginDir;
    this.fresh = pluginDir.resolveSibling("plugin.new");
    this.old = pluginDir.resolveSibling("plugin.old");
  }

  @Override
  public String name() {
    return "artifact";
  }

  @Override
  public List<String> describe() {
    Optional<TargetFile> bundle = plugin.bundle();
    String fetched;
    try {
      fetched =
          bundle.isEmpty()
              ? ""
              : ChunkHashes.of(bundle.get())
                  .map(
                      c ->
                          ", fetched while it downloads: each of its "
                              + c.sha256().size()
                              + " chunks of "
                              + c.size()
                              + " bytes once it matched its signed sha256")
                  .orElse(", verified whole before git reads it");
    } catch (MetadataFormatException e) {
      fetched = ", whose signed chunk list the checkout will refuse (" + e.getMessage() + ")";
    }
    return List.of(
        "check out commit "
            + commit
            + " of the signed bundle "
            + bundle.map(t -> t.path() + " (sha256 " + t.sha256().orElse("?") + ")").orElse("")
            + fetched
            + ", into "
            + pluginDir);
  }

  /**
   * Checks the artifact out while its bundle downloads: the download hands the checkout each chunk
   * only once it matched its signed sha256 (the whole bundle once it matched, when no chunk hashes
   * are signed), so JGit never reads a byte that was not verified; the checkout writes nothing
   * before the download returned (the whole bundle matched its signed length and sha256) and the
   * bytes it read are that bundle. A download that fails ends the stream, the checkout fails and
   * leaves nothing, and the download's failure is what is thrown; a checkout that fails on its own
   * stops the download.
   */
  @Override
  public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
    DirectoryTrees.delete(fresh);
    DirectoryTrees.delete(old);
    String name = plugin.qualifiedId() + "'s artifact bundle";
    ArtifactCheckout.WholeBundleCheck signed = PluginCatalog.bundleCheck(plugin);
    DownloadPipe pipe = DownloadPipe.start(name, verified -> bundles.bundle(plugin, verified));
    try {
      new ArtifactCheckout()
          .checkout(
              new BufferedInputStream(pipe.input(), 1 << 16),
              name,
              (sha256, length) -> {
                Optional<Exception> failed = pipe.awaitDownload();
                if (failed.isPresent()) {
                  throw new ArtifactBundleException(
                      "the download of " + name + " failed: " + failed.get().getMessage(),
                      failed.get());
                }
                signed.check(sha256, length);
              },
              commit,
              fresh);
    } catch (ClientException | IOException | InterruptedException | RuntimeException e) {
      // a failed download is what is reported: a refusal of the source's as it is, a verification
      // failure refusing the bundle
      pipe.throwIfFailed(
          e,
          failed ->
              failed instanceof ClientException refused
                  ? refused
                  : new ArtifactBundleException(
                      "refusing "
                          + name
                          + " as it downloaded: "
                          + failed.getMessage()
                          + "; nothing was checked out",
                      failed));
      throw e; // the checkout's own failure: stopping the pipe stops the download
    } finally {
      pipe.stop();
    }
    if (Files.exists(pluginDir)) {
      Files.move(pluginDir, old);
    }
    Files.move(fresh, pluginDir);
    reporter.info("artifact " + commit + " checked out into " + pluginDir);
  }

  @Override
  public void undo(Reporter reporter) throws IOException {
    if (Files.exists(old)) {
      DirectoryTrees.delete(pluginDir);
      Files.move(old, pluginDir);
    }
  }
}
