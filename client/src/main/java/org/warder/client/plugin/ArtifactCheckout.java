package org.warder.client.plugin;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportBundleStream;
import org.eclipse.jgit.transport.URIish;
import org.warder.client.bundle.DigestingInputStream;
import org.warder.client.host.DirectoryTrees;

/**
 * Writes a plugin artifact's files at exactly its pinned commit, from a git bundle that was already
 * verified against signed metadata: the bundle is fetched (every object checked) into a temporary
 * bare repository next to the destination, the commit is looked up by its full id (never a branch
 * or tag name), its tree is checked by {@link ArtifactTree}, written into a staging directory, and
 * renamed to the destination only when complete. On any failure nothing is left. Thread-safe
 * (stateless apart from its limits).
 */
public final class ArtifactCheckout {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
  private final ArtifactTree.Limits limits;

  /** A checkout with {@link ArtifactTree.Limits#defaults()}. */
  public ArtifactCheckout() {
    this(ArtifactTree.Limits.defaults());
  }

  public ArtifactCheckout(ArtifactTree.Limits limits) {
    this.limits = limits;
  }

  /**
   * What the whole bundle must be, checked once all of it was read and before anything is written.
   */
  @FunctionalInterface
  public interface WholeBundleCheck {
    /** Refuses a bundle whose bytes were not {@code length} bytes with this {@code sha256}. */
    void check(String sha256, long length)
        throws IOException, PluginException, InterruptedException;
  }

  /**
   * Writes the tree of {@code commit} (the manifest's {@code artifact_ref}: 40 lower-case hex
   * digits) from the git bundle read from {@code bundle} (named {@code name} in messages) into
   * {@code destination}, which must not exist yet (its parent is created if needed). The bundle is
   * read to its end as it comes (a bundle that downloads is fetched into the temporary repository
   * while it downloads), then {@code check} gets its sha256 and length; only once it passed is
   * anything written. Does not close {@code bundle}.
   */
  public CheckedOutArtifact checkout(
      InputStream bundle, String name, WholeBundleCheck check, String commit, Path destination)
      throws IOException, PluginException, InterruptedException {
    if (!COMMIT.matcher(commit).matches()) {
      throw new ArtifactBundleException(
          "expected the pinned commit as 40 lower-case hex digits, found "
              + PluginTargets.quote(commit)
              + "; pass the manifest's artifact_ref, never a branch or tag name");
    }
    if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileAlreadyExistsException(
          destination.toString(),
          null,
          "expected a path that does not exist yet for the artifact's files; remove it or choose another");
    }
    Path parent = destination.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path work = Files.createTempDirectory(parent, "." + destination.getFileName() + ".checkout-");
    try {
      Path staging = work.resolve("tree");
      CheckedOutArtifact written;
      try (Repository repo = FileRepositoryBuilder.create(work.resolve("git").toFile())) {
        repo.create(true);
        // JGit would start a gc after the fetch (in the background), racing the deletion of this
        // temporary copy
        repo.getConfig().setInt("gc", null, "auto", 0);
        repo.getConfig().setBoolean("gc", null, "autoDetach", false);
        repo.getConfig().save();
        DigestingInputStream whole = new DigestingInputStream(bundle);
        fetch(repo, whole, name);
        whole.drain(); // what follows the pack, if anything: the check covers every byte
        check.check(whole.sha256(), whole.count());
        written = write(repo, name, ObjectId.fromString(commit), staging, destination);
      }
      Files.move(staging, destination, StandardCopyOption.ATOMIC_MOVE);
      return written;
    } finally {
      DirectoryTrees.delete(work);
    }
  }

  private static void fetch(Repository repo, InputStream bundle, String name)
      throws IOException, ArtifactBundleException {
    URIish uri = new URIish().setPath("/" + name);
    try (Transport transport =
        new TransportBundleStream(
            repo,
            uri,
            new BufferedInputStream(bundle) {
              @Override
              public void close() {
                // the caller's stream: read to its end and checked after the fetch
              }
            })) {
      transport.setObjectChecker(new ObjectChecker());
      transport.fetch(NullProgressMonitor.INSTANCE, List.of(new RefSpec("+refs/*:refs/bundle/*")));
    } catch (TransportException e) {
      throw new ArtifactBundleException(
          "expected a complete git bundle in "
              + name
              + ", found one that cannot be"
              + " read ("
              + e.getMessage()
              + "); the publisher must publish the plugin again",
          e);
    }
  }

  private CheckedOutArtifact write(
      Repository repo, String bundle, ObjectId commit, Path staging, Path destination)
      throws IOException, PluginException {
    try (RevWalk walk = new RevWalk(repo);
        ObjectReader reader = repo.newObjectReader()) {
      RevObject object;
      try {
        object = walk.parseAny(commit);
      } catch (MissingObjectException e) {
        throw new ArtifactBundleException(
            "expected commit "
                + commit.name()
                + " in the git bundle "
                + bundle
                + ", found it missing; the bundle does not hold the commit the manifest pins, do not install it",
            e);
      }
      if (!(object instanceof RevCommit revCommit)) {
        throw new ArtifactBundleException(
            "expected "
                + commit.name()
                + " to be a commit in "
                + bundle
                + ", found a "
                + Constants.typeString(object.getType())
                + "; artifact_ref must name a commit");
      }
      List<ArtifactTree.Entry> entries = ArtifactTree.read(reader, revCommit, limits);
      Files.createDirectory(staging);
      List<ArtifactTree.Entry> links = new ArrayList<>();
      int files = 0;
      long bytes = 0;
      for (ArtifactTree.Entry e : entries) {
        Path path = staging.resolve(e.path());
        switch (e.kind()) {
          case DIRECTORY -> Files.createDirectory(path);
          case FILE, EXECUTABLE -> {
            // CREATE_NEW never follows or replaces anything already there
            try (OutputStream out =
                Files.newOutputStream(
                    path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
              reader.open(e.object(), Constants.OBJ_BLOB).copyTo(out);
            }
            Files.setPosixFilePermissions(
                path,
                PosixFilePermissions.fromString(
                    e.kind() == ArtifactTree.Kind.EXECUTABLE ? "rwxr-xr-x" : "rw-r--r--"));
            files++;
            bytes += e.size();
          }
          case SYMLINK -> links.add(e); // last: nothing is ever written through a link
        }
      }
      for (ArtifactTree.Entry e : links) {
        Files.createSymbolicLink(staging.resolve(e.path()), Path.of(e.linkTarget()));
      }
      return new CheckedOutArtifact(destination, commit.name(), files, bytes);
    }
  }
}
