package org.warder.client.plugin;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.BundleWriter;

/**
 * Commits and bundles with trees no well-behaved git would make ({@code ..} entries, escaping
 * links, submodules), written object by object with JGit, for hostile-input tests.
 */
final class GitTrees {
  /**
   * One tree entry: a path, its mode and its content (link target, file text, or a commit id for a
   * gitlink).
   */
  record Item(String path, FileMode mode, String content) {}

  private GitTrees() {}

  /** A bare repository in {@code dir} with one commit of {@code items}; returns the commit id. */
  static ObjectId commit(Repository repo, List<Item> items) throws Exception {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      ObjectId tree = tree(ins, items, "");
      CommitBuilder cb = new CommitBuilder();
      PersonIdent who = new PersonIdent("Mallory", "mallory@example.org");
      cb.setTreeId(tree);
      cb.setAuthor(who);
      cb.setCommitter(who);
      cb.setMessage("hostile\n");
      ObjectId commit = ins.insert(cb);
      ins.flush();
      return commit;
    }
  }

  /**
   * A bundle file of one commit of {@code items}, with ref {@code refs/heads/main}; returns the
   * commit id.
   */
  static ObjectId bundle(Path work, List<Item> items, Path bundle) throws Exception {
    try (Repository repo = FileRepositoryBuilder.create(work.toFile())) {
      repo.create(true);
      ObjectId commit = commit(repo, items);
      BundleWriter writer = new BundleWriter(repo);
      writer.include("refs/heads/main", commit);
      try (OutputStream out = Files.newOutputStream(bundle)) {
        writer.writeBundle(NullProgressMonitor.INSTANCE, out);
      }
      return commit;
    }
  }

  private static ObjectId tree(ObjectInserter ins, List<Item> items, String prefix)
      throws Exception {
    Map<String, List<Item>> children = new LinkedHashMap<>();
    Map<String, Item> leaves = new LinkedHashMap<>();
    for (Item i : items) {
      String rest = i.path().substring(prefix.length());
      int slash = rest.indexOf('/');
      if (slash < 0) {
        leaves.put(rest, i);
      } else {
        children.computeIfAbsent(rest.substring(0, slash), k -> new ArrayList<>()).add(i);
      }
    }
    record Named(String name, FileMode mode, ObjectId id) {}
    List<Named> entries = new ArrayList<>();
    for (Map.Entry<String, List<Item>> c : children.entrySet()) {
      entries.add(
          new Named(c.getKey(), FileMode.TREE, tree(ins, c.getValue(), prefix + c.getKey() + "/")));
    }
    for (Map.Entry<String, Item> l : leaves.entrySet()) {
      Item i = l.getValue();
      ObjectId id =
          i.mode() == FileMode.GITLINK
              ? ObjectId.fromString(i.content())
              : ins.insert(Constants.OBJ_BLOB, i.content().getBytes(StandardCharsets.UTF_8));
      entries.add(new Named(l.getKey(), i.mode(), id));
    }
    // git's order: names compared as bytes, a tree's name as if it ended with '/'
    entries.sort(Comparator.comparing(n -> n.mode() == FileMode.TREE ? n.name() + "/" : n.name()));
    TreeFormatter f = new TreeFormatter();
    for (Named n : entries) {
      f.append(n.name(), n.mode(), n.id());
    }
    return ins.insert(f);
  }
}
