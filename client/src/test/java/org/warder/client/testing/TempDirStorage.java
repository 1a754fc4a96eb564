package org.warder.client.testing;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.warder.client.host.DirectoryTrees;
import org.warder.client.storage.Snapshots;
import org.warder.client.storage.Storage;

/**
 * A {@link Storage} double with the {@link Snapshots} capability that needs neither root nor ZFS:
 * names are directories below {@code dir/root}, snapshots are copies kept below {@code
 * dir/snapshots}, clones and copies are copies, and a send stream is this double's own
 * serialization of a snapshot's tree (regular files, directories, symlinks and their modes). It
 * passes the same contract as the real adapters ({@code StorageContract}). Thread-safe.
 */
public final class TempDirStorage implements Storage, Snapshots {
  private static final String MAGIC = "warder-test-send-1";
  private final Path root;
  private final Path kept;
  private final Map<String, List<String>> snapshots = new LinkedHashMap<>();
  private final Map<String, String> origins = new HashMap<>();
  private final Map<String, Boolean> readOnly = new HashMap<>();
  private final Map<String, Path> keptDirs = new HashMap<>();
  private final Map<Path, Set<PosixFilePermission>> receivedModes = new HashMap<>();
  private int nextSnapshot;

  public TempDirStorage(Path dir) throws IOException {
    this.root = Files.createDirectories(dir.resolve("root"));
    this.kept = Files.createDirectories(dir.resolve("snapshots"));
  }

  /** Whether {@code name} was last made read-only. */
  public synchronized boolean readOnly(String name) {
    return readOnly.getOrDefault(name, false);
  }

  @Override
  public Path path(String name) {
    return root.resolve(name);
  }

  @Override
  public boolean exists(String name) {
    return Files.isDirectory(path(name), NOFOLLOW_LINKS);
  }

  @Override
  public Path create(String name) throws IOException {
    Path p = path(name);
    Files.createDirectories(p.getParent());
    return Files.createDirectory(p);
  }

  @Override
  public synchronized void destroy(String name) throws IOException {
    DirectoryTrees.delete(path(name));
    for (String held : List.copyOf(snapshots.keySet())) {
      if (within(held, name)) {
        for (String s : List.copyOf(snapshots.get(held))) {
          destroySnapshot(held, s);
        }
        snapshots.remove(held);
      }
    }
    origins.keySet().removeIf(n -> within(n, name));
    readOnly.keySet().removeIf(n -> within(n, name));
  }

  @Override
  public synchronized void rename(String from, String to) throws IOException {
    Files.createDirectories(path(to).getParent());
    Files.move(path(from), path(to), StandardCopyOption.ATOMIC_MOVE);
    rekey(snapshots, from, to);
    rekey(origins, from, to);
    rekey(readOnly, from, to);
  }

  private static <V> void rekey(Map<String, V> map, String from, String to) {
    for (String n : List.copyOf(map.keySet())) {
      if (within(n, from)) {
        map.put(to + n.substring(from.length()), map.remove(n));
      }
    }
  }

  private static boolean within(String name, String ancestor) {
    return name.equals(ancestor) || name.startsWith(ancestor + "/");
  }

  @Override
  public synchronized Path cloneOf(String source, String snapshot, String target)
      throws IOException {
    snapshot(source, snapshot);
    return cloneSnapshot(source, snapshot, target);
  }

  @Override
  public Path copyOf(String source, String target) throws IOException {
    Path to = create(target);
    copyTree(path(source), to);
    return to;
  }

  @Override
  public void copyInto(Path from, Path to) throws IOException {
    copyTree(from, to);
  }

  @Override
  public synchronized List<String> clonesOf(String name) {
    return origins.entrySet().stream()
        .filter(e -> e.getValue().equals(name))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  @Override
  public synchronized void setReadOnly(String name, boolean readOnly) {
    this.readOnly.put(name, readOnly);
  }

  @Override
  public void clearImmutableFlags(Path path) {
    // no file flags here
  }

  @Override
  public Optional<Snapshots> snapshots() {
    return Optional.of(this);
  }

  @Override
  public String kind() {
    return "test";
  }

  @Override
  public synchronized void snapshot(String name, String snapshot) throws IOException {
    if (!exists(name)) {
      throw new IOException("cannot snapshot " + name + ": it does not exist");
    }
    List<String> held = snapshots.computeIfAbsent(name, n -> new ArrayList<>());
    if (held.contains(snapshot)) {
      throw new IOException("snapshot " + name + "@" + snapshot + " exists already");
    }
    Path copy = kept.resolve(Integer.toString(nextSnapshot++));
    Files.createDirectory(copy);
    copyTree(path(name), copy);
    held.add(snapshot);
    keptDirs.put(name + "@" + snapshot, copy);
  }

  private Path kept(String name, String snapshot) throws IOException {
    Path dir = keptDirs.get(name + "@" + snapshot);
    if (dir == null) {
      throw new IOException("no snapshot " + name + "@" + snapshot);
    }
    return dir;
  }

  @Override
  public synchronized void destroySnapshot(String name, String snapshot) throws IOException {
    Path dir = keptDirs.remove(name + "@" + snapshot);
    if (dir != null) {
      DirectoryTrees.delete(dir);
      snapshots.get(name).remove(snapshot);
    }
  }

  @Override
  public synchronized void renameSnapshot(String name, String from, String to) throws IOException {
    keptDirs.put(name + "@" + to, kept(name, from));
    keptDirs.remove(name + "@" + from);
    List<String> held = snapshots.get(name);
    held.set(held.indexOf(from), to);
  }

  @Override
  public synchronized List<String> list(String name) {
    return List.copyOf(snapshots.getOrDefault(name, List.of()));
  }

  @Override
  public synchronized void rollback(String name, String snapshot) throws IOException {
    Path saved = kept(name, snapshot);
    List<String> held = snapshots.get(name);
    for (String later : List.copyOf(held.subList(held.indexOf(snapshot) + 1, held.size()))) {
      destroySnapshot(name, later);
    }
    replaceContent(path(name), saved);
  }

  @Override
  public synchronized Path cloneSnapshot(String source, String snapshot, String target)
      throws IOException {
    Path saved = kept(source, snapshot);
    Path to = create(target);
    copyTree(saved, to);
    origins.put(target, source);
    return to;
  }

  /**
   * Writes the tree of {@code name@snapshot}: the stream names the snapshot and, for an incremental
   * stream, the snapshot {@code from} it builds on (the whole tree travels either way).
   */
  @Override
  public synchronized void send(
      String name, String snapshot, Optional<String> from, OutputStream out) throws IOException {
    Path saved = kept(name, snapshot);
    if (from.isPresent()) {
      kept(name, from.get());
    }
    DataOutputStream data = new DataOutputStream(out);
    data.writeUTF(MAGIC);
    data.writeUTF(snapshot);
    data.writeUTF(from.orElse(""));
    for (Map.Entry<String, Path> e : entries(saved).entrySet()) {
      Path p = e.getValue();
      data.writeUTF(e.getKey());
      if (Files.isSymbolicLink(p)) {
        data.writeByte('L');
        data.writeUTF(Files.readSymbolicLink(p).toString());
        continue;
      }
      boolean dir = Files.isDirectory(p, NOFOLLOW_LINKS);
      data.writeByte(dir ? 'D' : 'F');
      data.writeUTF(
          PosixFilePermissions.toString(Files.getPosixFilePermissions(p, NOFOLLOW_LINKS)));
      if (!dir) {
        byte[] content = Files.readAllBytes(p);
        data.writeInt(content.length);
        data.write(content);
      }
    }
    data.writeUTF("");
    data.flush();
  }

  /**
   * Receives a stream {@link #send} wrote: a full stream as the new {@code name}, an incremental
   * one into {@code name}, whose latest snapshot must be the stream's base; {@code name} then holds
   * the stream's snapshot.
   */
  @Override
  public synchronized void receive(String name, InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    if (!data.readUTF().equals(MAGIC)) {
      throw new IOException("not a send stream of this test storage");
    }
    String snapshot = data.readUTF();
    String from = data.readUTF();
    Path work = Files.createTempDirectory(kept, "receive-");
    try {
      for (String rel = data.readUTF(); !rel.isEmpty(); rel = data.readUTF()) {
        receiveEntry(data, work.resolve(rel));
      }
      setDirectoryModes();
      in.transferTo(OutputStream.nullOutputStream());
      if (from.isEmpty()) {
        if (exists(name)) {
          throw new IOException("cannot receive a full stream into existing " + name);
        }
        create(name);
      } else {
        List<String> held = list(name);
        if (held.isEmpty() || !held.get(held.size() - 1).equals(from)) {
          throw new IOException(
              "expected " + name + " to hold " + from + " as its latest snapshot, found " + held);
        }
      }
      replaceContent(path(name), work);
      snapshot(name, snapshot);
    } finally {
      DirectoryTrees.delete(work);
    }
  }

  /** One entry of a stream; a directory stays writable until {@link #setDirectoryModes}. */
  private void receiveEntry(DataInputStream data, Path p) throws IOException {
    byte type = data.readByte();
    if (type == 'L') {
      Files.createSymbolicLink(p, Path.of(data.readUTF()));
      return;
    }
    Set<PosixFilePermission> mode = PosixFilePermissions.fromString(data.readUTF());
    if (type == 'D') {
      Files.createDirectory(p);
      receivedModes.put(p, mode);
    } else {
      Files.write(p, data.readNBytes(data.readInt()));
      Files.setPosixFilePermissions(p, mode);
    }
  }

  private void setDirectoryModes() throws IOException {
    List<Path> deepestFirst = new ArrayList<>(receivedModes.keySet());
    deepestFirst.sort((a, b) -> b.getNameCount() - a.getNameCount());
    for (Path d : deepestFirst) {
      Files.setPosixFilePermissions(d, receivedModes.remove(d));
    }
  }

  /** Every path below {@code dir}, relative, parents first; symlinks not followed. */
  private static Map<String, Path> entries(Path dir) throws IOException {
    Map<String, Path> out = new TreeMap<>();
    try (var walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir)).forEach(p -> out.put(dir.relativize(p).toString(), p));
    }
    return out;
  }

  private static void replaceContent(Path target, Path source) throws IOException {
    try (var children = Files.list(target)) {
      for (Path child : children.toList()) {
        DirectoryTrees.delete(child);
      }
    }
    copyTree(source, target);
  }

  /**
   * Copies what is below {@code from} into {@code to}, keeping modes and symlinks (not followed); a
   * directory's mode is set after its content, so read-only directories copy too.
   */
  private static void copyTree(Path from, Path to) throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            Path t = to.resolve(from.relativize(d).toString());
            if (!Files.isDirectory(t, NOFOLLOW_LINKS)) {
              Files.createDirectory(t);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            Files.copy(
                f,
                to.resolve(from.relativize(f).toString()),
                StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.COPY_ATTRIBUTES,
                NOFOLLOW_LINKS);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(d, NOFOLLOW_LINKS);
            Files.setPosixFilePermissions(to.resolve(from.relativize(d).toString()), mode);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
