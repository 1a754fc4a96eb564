package org.warder.client.host;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.warder.signing.AtomicFiles;

/**
 * A directory whose contents someone else controls (a jail root: its own root user, or any process
 * running in it, may turn a directory into a symbolic link at any moment), written and read from
 * the host without ever leaving it. Every operation walks from an open descriptor of the directory
 * one name at a time with {@code openat(O_NOFOLLOW)}, creates files relative to the descriptor of
 * their parent and renames with {@code renameat}, so no symbolic link inside is ever followed, not
 * even one swapped in between a check and a write. New directories and links are made next to the
 * top directory (whose path is the host's, not the jail's) and renamed into place. Closing releases
 * the descriptor. Not thread-safe.
 */
public final class ConfinedDirectory implements Closeable {
  /** Mode 0755: directories made on the way. */
  public static final Set<PosixFilePermission> DIRECTORY_MODE =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private static final String TEMP_PREFIX = ".warder-";
  private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

  private final Path top;
  private final SecureDirectoryStream<Path> topStream;

  private ConfinedDirectory(Path top, SecureDirectoryStream<Path> topStream) {
    this.top = top;
    this.topStream = topStream;
  }

  /**
   * Opens {@code top}, a directory whose own path the host controls (e.g. a jail's {@code root/});
   * it must be a real directory, not a link.
   */
  @SuppressWarnings(
      "StreamResourceLeak") // the stream is closed here on refusal, else kept open as the
  // ConfinedDirectory
  public static ConfinedDirectory open(Path top) throws IOException {
    if (!Files.isDirectory(top, NO_FOLLOW)) {
      throw new ConfinementException(top, "a real directory", describe(top));
    }
    DirectoryStream<Path> stream = Files.newDirectoryStream(top);
    if (!(stream instanceof SecureDirectoryStream<Path> secure)) {
      stream.close();
      throw new IOException(
          "this platform has no descriptor-relative file operations (SecureDirectoryStream); "
              + "warder cannot write into "
              + top
              + " safely");
    }
    return new ConfinedDirectory(top, secure);
  }

  /** The directory's host path (for messages and for handing to other processes). */
  public Path path() {
    return top;
  }

  /**
   * What {@code relative} is, without following a link anywhere on the way; empty if it does not
   * exist.
   */
  public Optional<BasicFileAttributes> attributes(String relative) throws IOException {
    List<String> names = names(relative);
    try (Walk parent = walk(names.subList(0, names.size() - 1), false)) {
      return Optional.of(
          parent
              .dir
              .getFileAttributeView(Path.of(last(names)), BasicFileAttributeView.class, NO_FOLLOW)
              .readAttributes());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Makes {@code relative} and every missing directory above it (mode 0755). */
  public void createDirectories(String relative) throws IOException {
    walk(names(relative), true).close();
  }

  /**
   * Replaces (or creates) the regular file {@code relative} atomically with what {@code writer}
   * writes, mode {@code mode}, creating missing directories above it. A link at that name is
   * replaced, never written through; a directory there is refused.
   */
  public void write(String relative, AtomicFiles.Writer writer, Set<PosixFilePermission> mode)
      throws IOException {
    List<String> names = names(relative);
    try (Walk parent = walk(names.subList(0, names.size() - 1), true)) {
      Path name = Path.of(last(names));
      Optional<BasicFileAttributes> existing = attributes(parent.dir, name);
      if (existing.isPresent() && existing.get().isDirectory()) {
        throw new ConfinementException(
            top.resolve(relative), "a regular file or nothing", "a directory");
      }
      Path tmp = Path.of(TEMP_PREFIX + UUID.randomUUID());
      Set<OpenOption> options =
          Set.of(
              StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      try {
        try (SeekableByteChannel channel =
            parent.dir.newByteChannel(tmp, options, PosixFilePermissions.asFileAttribute(mode))) {
          OutputStream out =
              new BufferedOutputStream(Channels.newOutputStream(channel), 65536) {
                @Override
                public void close() throws IOException {
                  flush(); // the writer may close what it is given; the channel is closed below
                }
              };
          writer.writeTo(out);
          out.flush();
          if (channel instanceof FileChannel file) {
            file.force(true);
          }
        }
        parent
            .dir
            .getFileAttributeView(tmp, PosixFileAttributeView.class, NO_FOLLOW)
            .setPermissions(mode);
        parent.dir.move(tmp, parent.dir, name);
      } finally {
        deleteQuietly(parent.dir, tmp);
      }
    }
  }

  /** {@link #write(String, AtomicFiles.Writer, Set)} of a byte array. */
  public void write(String relative, byte[] content, Set<PosixFilePermission> mode)
      throws IOException {
    write(relative, out -> out.write(content), mode);
  }

  /** {@link #write(String, AtomicFiles.Writer, Set)} of a host file's bytes. */
  public void copyIn(Path hostFile, String relative, Set<PosixFilePermission> mode)
      throws IOException {
    write(
        relative,
        out -> {
          try (InputStream in = Files.newInputStream(hostFile)) {
            in.transferTo(out);
          }
        },
        mode);
  }

  /** Sets the permission bits of {@code relative}, never following a link (a link is refused). */
  public void setPermissions(String relative, Set<PosixFilePermission> mode) throws IOException {
    List<String> names = names(relative);
    try (Walk parent = walk(names.subList(0, names.size() - 1), false)) {
      parent
          .dir
          .getFileAttributeView(Path.of(last(names)), PosixFileAttributeView.class, NO_FOLLOW)
          .setPermissions(mode);
    }
  }

  /** Makes {@code relative} a symbolic link to {@code target} (replacing a file or link there). */
  public void symlink(String relative, String target) throws IOException {
    List<String> names = names(relative);
    try (Walk parent = walk(names.subList(0, names.size() - 1), true)) {
      Path tmp = Path.of(TEMP_PREFIX + UUID.randomUUID());
      Files.createSymbolicLink(top.resolve(tmp), Path.of(target));
      try {
        topStream.move(tmp, parent.dir, Path.of(last(names)));
      } finally {
        deleteQuietly(topStream, tmp);
      }
    }
  }

  /**
   * The regular file {@code relative}, at most {@code maxBytes} of it; refused if it is larger or
   * not a regular file.
   */
  public byte[] read(String relative, int maxBytes) throws IOException {
    List<String> names = names(relative);
    Path name = Path.of(last(names));
    try (Walk parent = walk(names.subList(0, names.size() - 1), false)) {
      BasicFileAttributes attrs =
          attributes(parent.dir, name)
              .orElseThrow(() -> new NoSuchFileException(top.resolve(relative).toString()));
      if (!attrs.isRegularFile()) {
        throw new ConfinementException(top.resolve(relative), "a regular file", kind(attrs));
      }
      try (SeekableByteChannel channel =
          parent.dir.newByteChannel(
              name, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
        long size = channel.size();
        if (size > maxBytes) {
          throw new ConfinementException(
              top.resolve(relative), "at most " + maxBytes + " bytes", size + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
          // until full or at the end
        }
        return Arrays.copyOf(buffer.array(), buffer.position());
      }
    }
  }

  /** The names in directory {@code relative}, sorted; refused if it is not a real directory. */
  public List<String> list(String relative) throws IOException {
    try (Walk dir = walk(names(relative), false)) {
      List<String> entries = new ArrayList<>();
      dir.dir.forEach(p -> entries.add(p.getFileName().toString()));
      entries.sort(null);
      return entries;
    }
  }

  /**
   * Renames {@code from} to {@code to} ({@code renameat}): a file, link or directory, replacing
   * what is at {@code to} as rename(2) does (a file or link, or an empty directory by a directory).
   * The directories above both must exist and are walked without following links.
   */
  public void rename(String from, String to) throws IOException {
    List<String> fromNames = names(from);
    List<String> toNames = names(to);
    try (Walk fromParent = walk(fromNames.subList(0, fromNames.size() - 1), false);
        Walk toParent = walk(toNames.subList(0, toNames.size() - 1), false)) {
      fromParent.dir.move(Path.of(last(fromNames)), toParent.dir, Path.of(last(toNames)));
    }
  }

  /** Removes {@code relative} and everything below it if it exists, never following a link. */
  public void deleteTree(String relative) throws IOException {
    List<String> names = names(relative);
    try (Walk parent = walk(names.subList(0, names.size() - 1), false)) {
      deleteTree(parent.dir, Path.of(last(names)));
    } catch (NoSuchFileException e) {
      // nothing there
    }
  }

  @Override
  public void close() throws IOException {
    topStream.close();
  }

  private void deleteTree(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    Optional<BasicFileAttributes> attrs = attributes(dir, name);
    if (attrs.isEmpty()) {
      return;
    }
    if (attrs.get().isDirectory()) {
      try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name, NO_FOLLOW)) {
        List<Path> entries = new ArrayList<>();
        child.forEach(p -> entries.add(p.getFileName()));
        for (Path entry : entries) {
          deleteTree(child, entry);
        }
      }
      dir.deleteDirectory(name);
    } else {
      dir.deleteFile(name);
    }
  }

  /** An open chain of directories from the top down to the last one walked. */
  private final class Walk implements Closeable {
    final List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
    SecureDirectoryStream<Path> dir = topStream;

    @Override
    public void close() throws IOException {
      for (SecureDirectoryStream<Path> s : opened) {
        s.close();
      }
    }
  }

  private Walk walk(List<String> names, boolean create) throws IOException {
    Walk walk = new Walk();
    try {
      StringBuilder sofar = new StringBuilder();
      for (String name : names) {
        sofar.append(sofar.length() == 0 ? "" : "/").append(name);
        Path p = Path.of(name);
        Optional<BasicFileAttributes> attrs = attributes(walk.dir, p);
        if (attrs.isEmpty() && create) {
          makeDirectory(walk.dir, p);
          attrs = attributes(walk.dir, p);
        }
        if (attrs.isEmpty()) {
          throw new NoSuchFileException(top.resolve(sofar.toString()).toString());
        }
        if (!attrs.get().isDirectory()) {
          throw new ConfinementException(
              top.resolve(sofar.toString()), "a directory", kind(attrs.get()));
        }
        SecureDirectoryStream<Path> next;
        try {
          next = walk.dir.newDirectoryStream(p, NO_FOLLOW);
        } catch (IOException e) {
          // swapped for a link or a file since the look above
          throw new ConfinementException(
              top.resolve(sofar.toString()),
              "a directory",
              attributes(walk.dir, p).map(ConfinedDirectory::kind).orElse("nothing"));
        }
        walk.opened.add(next);
        walk.dir = next;
      }
      return walk;
    } catch (IOException | RuntimeException e) {
      walk.close();
      throw e;
    }
  }

  /**
   * A new directory at {@code name} in {@code parent}: made beside the top, then renamed into
   * place.
   */
  private void makeDirectory(SecureDirectoryStream<Path> parent, Path name) throws IOException {
    if (parent == topStream) {
      try {
        Files.createDirectory(
            top.resolve(name), PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
        topStream
            .getFileAttributeView(name, PosixFileAttributeView.class, NO_FOLLOW)
            .setPermissions(DIRECTORY_MODE);
      } catch (FileAlreadyExistsException e) {
        // made meanwhile; the caller looks again
      }
      return;
    }
    Path tmp = Path.of(TEMP_PREFIX + UUID.randomUUID());
    Files.createDirectory(top.resolve(tmp), PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
    try {
      topStream
          .getFileAttributeView(tmp, PosixFileAttributeView.class, NO_FOLLOW)
          .setPermissions(DIRECTORY_MODE);
      if (attributes(parent, name).isEmpty()) {
        topStream.move(tmp, parent, name);
      }
    } finally {
      if (attributes(topStream, tmp).isPresent()) {
        topStream.deleteDirectory(tmp);
      }
    }
  }

  private static Optional<BasicFileAttributes> attributes(
      SecureDirectoryStream<Path> dir, Path name) throws IOException {
    try {
      return Optional.of(
          dir.getFileAttributeView(name, BasicFileAttributeView.class, NO_FOLLOW).readAttributes());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static void deleteQuietly(SecureDirectoryStream<Path> dir, Path name) throws IOException {
    if (attributes(dir, name).isPresent()) {
      dir.deleteFile(name);
    }
  }

  private static List<String> names(String relative) {
    List<String> names = new ArrayList<>();
    for (String name : relative.split("/", -1)) {
      if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('\0') >= 0) {
        throw new IllegalArgumentException(
            "expected a relative path of plain names, got '" + relative + "'");
      }
      names.add(name);
    }
    return names;
  }

  private static String last(List<String> names) {
    return names.get(names.size() - 1);
  }

  private static String kind(BasicFileAttributes attrs) {
    if (attrs.isSymbolicLink()) {
      return "a symbolic link";
    }
    if (attrs.isDirectory()) {
      return "a directory";
    }
    return attrs.isRegularFile() ? "a regular file" : "a special file";
  }

  private static String describe(Path path) {
    try {
      return kind(Files.readAttributes(path, BasicFileAttributes.class, NO_FOLLOW));
    } catch (IOException e) {
      return "nothing";
    }
  }
}
