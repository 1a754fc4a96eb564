package org.warder.client.plugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.warder.signing.Digests;

/**
 * A real git repository of a plugin artifact, made with JGit: commit one (tagged {@code v1}) has
 * {@code post_install.sh} (executable), {@code ui.json}, {@code overlay/} with a relative link;
 * commit two, the head of {@code main}, changes ui.json and adds CHANGELOG. {@link #firstTree} is
 * what a checkout of commit one must give.
 *
 * @param dir the repository's working directory
 * @param first commit one
 * @param second commit two (main)
 * @param firstTree {@link #tree} of the working tree at commit one
 */
public record TestArtifactRepo(
    Path dir, String first, String second, Map<String, String> firstTree) {
  private static final PersonIdent WHO = new PersonIdent("Plugin Author", "author@example.org");

  /** A test artifact repository in {@code dir}. */
  public static TestArtifactRepo create(Path dir) throws Exception {
    Files.createDirectories(dir);
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      write(dir, "post_install.sh", "#!/bin/sh\nsysrc testapp_enable=YES\nservice testapp start\n");
      Files.setPosixFilePermissions(
          dir.resolve("post_install.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
      write(dir, "ui.json", "{\"adminportal\": \"http://%%IP%%:8080/\"}\n");
      write(dir, "overlay/usr/local/etc/testapp.conf", "listen = 8080\n");
      Files.createSymbolicLink(
          dir.resolve("overlay/usr/local/etc/testapp.conf.sample"), Path.of("testapp.conf"));
      RevCommit first = commit(git, "first");
      Map<String, String> firstTree = tree(dir);
      git.tag().setName("v1").setObjectId(first).setAnnotated(false).call();
      write(dir, "ui.json", "{\"adminportal\": \"http://%%IP%%:9090/\"}\n");
      write(dir, "CHANGELOG", "2: listen on 9090\n");
      RevCommit second = commit(git, "second");
      return new TestArtifactRepo(dir, first.name(), second.name(), firstTree);
    }
  }

  private static RevCommit commit(Git git, String message) throws Exception {
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor(WHO).setCommitter(WHO).setSign(false).call();
  }

  static void write(Path dir, String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  /**
   * A directory tree without {@code .git}: path to {@code dir}, {@code link -> TARGET}, or {@code
   * file MODE SHA256} (MODE the owner's rwx).
   */
  public static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.toList()) {
        String rel = root.relativize(p).toString();
        if (rel.isEmpty() || rel.equals(".git") || rel.startsWith(".git/")) {
          continue;
        }
        if (Files.isSymbolicLink(p)) {
          out.put(rel, "link -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(rel, "dir");
        } else {
          String mode =
              PosixFilePermissions.toString(Files.getPosixFilePermissions(p)).substring(0, 3);
          out.put(rel, "file " + mode + " " + Digests.sha256Hex(p));
        }
      }
    }
    return out;
  }
}
