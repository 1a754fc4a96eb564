package org.warder.client.publish;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.warder.client.ClientException;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.plugin.ArtifactTree;
import org.warder.client.plugin.PluginException;

/**
 * A temporary bare copy of a git repository (a plugin artifact or a plugin index), fetched with
 * JGit from a URL, a local repository or a bundle file, every object checked: branches become
 * {@code refs/remotes/origin/*}, tags are kept, and the remote HEAD is remembered. Refs are
 * resolved to full commit ids once, here; everything after works on the commit. Closing deletes the
 * copy. Not thread-safe.
 */
final class ArtifactRepository implements AutoCloseable {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{40}");

  /** Network operations give up after this many seconds without progress. */
  private static final int TIMEOUT_SECONDS = 120;

  private final Repository repo;
  private final Path dir;
  private final String location;
  private final Optional<ObjectId> head;

  private ArtifactRepository(Repository repo, Path dir, String location, Optional<ObjectId> head) {
    this.repo = repo;
    this.dir = dir;
    this.location = location;
    this.head = head;
  }

  /**
   * Fetches every branch and tag of {@code location} (URL or local path) into the new directory
   * {@code dir}.
   */
  static ArtifactRepository fetch(String location, Path dir) throws IOException, PluginException {
    URIish uri;
    try {
      uri =
          Files.exists(Path.of(location))
              ? new URIish().setPath(Path.of(location).toAbsolutePath().toString())
              : new URIish(location);
    } catch (URISyntaxException | java.nio.file.InvalidPathException e) {
      throw new PluginException(
          ClientException.Reason.INVALID_INPUT,
          "expected a git URL or a local repository path, found "
              + shown(location)
              + "; fix the manifest's artifact or pass --artifact-source PATH",
          e);
    }
    String shown = uri.setPass(null).toString();
    Repository repo = FileRepositoryBuilder.create(dir.toFile());
    try {
      repo.create(true);
      // JGit would start a background gc after the fetch, racing the deletion of this temporary
      // copy
      repo.getConfig().setInt("gc", null, "auto", 0);
      repo.getConfig().setBoolean("gc", null, "autoDetach", false);
      repo.getConfig().save();
      FetchResult result;
      try (Transport transport = Transport.open(repo, uri)) {
        transport.setTimeout(TIMEOUT_SECONDS);
        transport.setObjectChecker(new ObjectChecker());
        result =
            transport.fetch(
                NullProgressMonitor.INSTANCE,
                List.of(
                    new RefSpec("+refs/heads/*:refs/remotes/origin/*"),
                    new RefSpec("+refs/tags/*:refs/tags/*")));
      }
      Optional<ObjectId> head =
          Optional.ofNullable(result.getAdvertisedRef(Constants.HEAD)).map(Ref::getObjectId);
      return new ArtifactRepository(repo, dir, shown, head);
    } catch (NotSupportedException | TransportException e) {
      close(repo, dir);
      throw new PluginException(
          ClientException.Reason.INVALID_INPUT,
          "expected a git repository at "
              + shown
              + ", found one that cannot be fetched ("
              + e.getMessage()
              + "); check the manifest's artifact URL or pass --artifact-source PATH",
          e);
    } catch (IOException | RuntimeException e) {
      close(repo, dir);
      throw e;
    }
  }

  /** Where this copy came from (without a password), for messages. */
  String location() {
    return location;
  }

  /**
   * The full commit id {@code ref} names: a full commit id, {@code refs/heads/B} or {@code
   * refs/tags/T}, or a bare branch or tag name (refused when it names both and they differ); empty
   * means the remote HEAD (its default branch). Annotated tags are peeled.
   */
  String resolve(Optional<String> ref) throws IOException, PluginException {
    if (ref.isEmpty()) {
      ObjectId id =
          head.orElseThrow(
              () ->
                  new PluginException(
                      ClientException.Reason.NOT_FOUND,
                      "expected a HEAD (default branch) in "
                          + location
                          + ", found none; name a branch, tag or commit (--artifact-ref, --source-ref)"));
      return commit(id, "HEAD");
    }
    String name = ref.get();
    if (COMMIT.matcher(name).matches()) {
      ObjectId id = ObjectId.fromString(name.toLowerCase(Locale.ROOT));
      if (!repo.getObjectDatabase().has(id)) {
        throw notFound(name);
      }
      return commit(id, name);
    }
    List<String> candidates =
        name.startsWith("refs/heads/")
            ? List.of("refs/remotes/origin/" + name.substring("refs/heads/".length()))
            : name.startsWith("refs/")
                ? List.of(name)
                : List.of(Constants.R_TAGS + name, "refs/remotes/origin/" + name);
    List<String> commits = new ArrayList<>();
    for (String candidate : candidates) {
      Ref found = repo.exactRef(candidate);
      if (found != null) {
        commits.add(commit(found.getObjectId(), name));
      }
    }
    if (commits.isEmpty()) {
      throw notFound(name);
    }
    if (commits.stream().distinct().count() > 1) {
      throw new PluginException(
          ClientException.Reason.NOT_FOUND,
          "expected "
              + shown(name)
              + " to name one commit in "
              + location
              + ", found a tag and a branch of that name at "
              + String.join(" and ", commits)
              + "; pass refs/tags/"
              + name
              + ", refs/heads/"
              + name
              + " or the commit id");
    }
    return commits.get(0);
  }

  private String commit(ObjectId id, String name) throws IOException, PluginException {
    try (RevWalk walk = new RevWalk(repo)) {
      return walk.parseCommit(id).name();
    } catch (IncorrectObjectTypeException e) {
      throw new PluginException(
          ClientException.Reason.NOT_FOUND,
          "expected "
              + shown(name)
              + " to name a commit in "
              + location
              + ", found another kind of object ("
              + id.name()
              + "); pass a branch, tag or commit",
          e);
    } catch (MissingObjectException e) {
      throw notFound(name);
    }
  }

  private PluginException notFound(String name) throws IOException {
    List<String> names = new ArrayList<>();
    for (Ref r : repo.getRefDatabase().getRefs()) {
      names.add(r.getName().replace("refs/remotes/origin/", "").replace(Constants.R_TAGS, "tag "));
    }
    String known =
        names.size() > 20
            ? String.join(", ", names.subList(0, 20)) + ", ..."
            : String.join(", ", names);
    return new PluginException(
        ClientException.Reason.NOT_FOUND,
        "expected branch, tag or commit "
            + shown(name)
            + " in "
            + location
            + ", found none (it has: "
            + (known.isEmpty() ? "nothing" : known)
            + "); name an existing branch, tag or commit"
            + " (--artifact-ref for an artifact, --source-ref for an index)");
  }

  /**
   * The checked entries of {@code commit}'s tree ({@link ArtifactTree}): what a client will accept.
   */
  List<ArtifactTree.Entry> check(String commit, ArtifactTree.Limits limits)
      throws IOException, PluginException {
    try (RevWalk walk = new RevWalk(repo);
        ObjectReader reader = repo.newObjectReader()) {
      return ArtifactTree.read(reader, walk.parseCommit(ObjectId.fromString(commit)), limits);
    }
  }

  /**
   * Writes a git bundle of {@code commit} and its history, with the one ref {@code
   * refs/tags/warder/<commit>}.
   */
  void writeBundle(String commit, Path file) throws IOException {
    BundleWriter writer = new BundleWriter(repo);
    writer.include(Constants.R_TAGS + "warder/" + commit, ObjectId.fromString(commit));
    try (OutputStream out =
        new BufferedOutputStream(
            Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
      writer.writeBundle(NullProgressMonitor.INSTANCE, out);
    }
  }

  /**
   * The file {@code name} at the root of {@code commit}'s tree, if there, refused over {@code max}
   * bytes.
   */
  Optional<byte[]> readFile(String commit, String name, int max) throws IOException {
    try (RevWalk walk = new RevWalk(repo);
        ObjectReader reader = repo.newObjectReader()) {
      RevCommit c = walk.parseCommit(ObjectId.fromString(commit));
      try (TreeWalk tree = TreeWalk.forPath(reader, name, c.getTree())) {
        if (tree == null || (tree.getRawMode(0) & 0170000) != 0100000) {
          return Optional.empty();
        }
        ObjectLoader loader = reader.open(tree.getObjectId(0), Constants.OBJ_BLOB);
        if (loader.getSize() > max) {
          throw new IOException(
              "expected at most "
                  + max
                  + " bytes in "
                  + name
                  + " of "
                  + location
                  + ", found "
                  + loader.getSize());
        }
        return Optional.of(loader.getBytes());
      }
    }
  }

  @Override
  public void close() throws IOException {
    close(repo, dir);
  }

  private static void close(Repository repo, Path dir) throws IOException {
    repo.close();
    DirectoryTrees.delete(dir);
  }

  private static String shown(String s) {
    return '"'
        + (s.length() > 80 ? s.substring(0, 77) + "..." : s).replaceAll("\\p{Cntrl}", "?")
        + '"';
  }
}
