package org.warder.client.testing;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything tar carries about a directory tree, read without following symlinks: per path its
 * type, mode (with setuid, setgid, sticky), uid, gid, size and sha256 of regular files, symlink
 * target and modification time (except the root's); and which paths are hardlinks of one another
 * (same inode), as {@code "a = b"}.
 */
public record TreeSnapshot(Map<String, Node> nodes, Set<String> hardlinkGroups) {

  /** One path; {@code "."} is the root. */
  public record Node(
      String type,
      int mode,
      int uid,
      int gid,
      long size,
      String sha256,
      String linkTarget,
      String mtime) {}

  public static TreeSnapshot of(Path root) throws IOException {
    Map<String, Node> nodes = new TreeMap<>();
    Map<String, Set<String>> byInode = new TreeMap<>();
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            add(dir);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            add(file);
            return FileVisitResult.CONTINUE;
          }

          private void add(Path p) throws IOException {
            String rel = root.relativize(p).toString();
            if (rel.isEmpty()) {
              rel = ".";
            }
            Map<String, Object> a = Files.readAttributes(p, "unix:*", NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            String type;
            long size = 0;
            String sha = null;
            String target = null;
            BasicFileAttributes basic =
                Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW_LINKS);
            if (basic.isSymbolicLink()) {
              type = "symlink";
              target = Files.readSymbolicLink(p).toString();
            } else if (basic.isDirectory()) {
              type = "directory";
            } else if (basic.isRegularFile()) {
              type = "file";
              size = basic.size();
              sha = sha256(p);
              byInode
                  .computeIfAbsent(a.get("dev") + ":" + a.get("ino"), k -> new TreeSet<>())
                  .add(rel);
            } else {
              type = "other";
            }
            nodes.put(
                rel,
                new Node(
                    type,
                    mode & 07777,
                    (Integer) a.get("uid"),
                    (Integer) a.get("gid"),
                    size,
                    sha,
                    target,
                    // The root's time is when the test made it (tar leaves it alone). A symlink's
                    // time is set with lutimes(2), in microseconds (as bsdtar does on FreeBSD).
                    rel.equals(".")
                        ? "-"
                        : basic.isSymbolicLink()
                            ? basic
                                .lastModifiedTime()
                                .toInstant()
                                .truncatedTo(ChronoUnit.MICROS)
                                .toString()
                            : basic.lastModifiedTime().toInstant().toString()));
          }
        });
    Set<String> groups = new TreeSet<>();
    for (Set<String> g : byInode.values()) {
      if (g.size() > 1) {
        groups.add(String.join(" = ", g));
      }
    }
    return new TreeSnapshot(nodes, groups);
  }

  public static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
