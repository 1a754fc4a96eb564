package org.warder.client.archive;

import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import com.sun.security.auth.module.UnixSystem;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts a tar stream (pax, ustar or GNU, as FreeBSD's {@code base.txz} and its siblings are)
 * into a new or empty directory, refusing anything that could write outside it.
 *
 * <p>Refused, with an {@link ArchiveException} naming the member: names that are absolute or have a
 * {@code ..} segment ({@link UnsafeMemberNameException}); members whose path passes through a
 * symlink extracted earlier ({@link WriteThroughSymlinkException}); hardlinks to anything but a
 * regular file extracted earlier inside the tree ({@link EscapingHardlinkException}); character and
 * block devices and FIFOs ({@link SpecialFileException}); members or totals beyond the {@link
 * Limits} ({@link SizeLimitException}); and broken or ambiguous archives: unreadable headers,
 * truncated data, other member types, a member repeated, data after the end marker ({@link
 * MalformedArchiveException}). On any failure the destination holds a partial tree for the caller
 * to remove ({@link org.warder.client.host.DirectoryTrees#delete}).
 *
 * <p>Kept, as {@code bsdtar -x -p --numeric-owner} keeps them: regular files with their full mode
 * (setuid, setgid, sticky), directories (their modes and times applied after their content, so
 * read-only directories work), numeric uid and gid (when {@link Ownership#NUMERIC}), modification
 * times, symlinks with their targets as stored, absolute ones included ({@code etc/termcap ->
 * /usr/share/misc/termcap} is right inside a jail), and hardlinks within the tree. BSD file flags
 * ({@code SCHILY.fflags}) are not applied but returned in the {@link ExtractionResult}, for a
 * FreeBSD host to {@code chflags} once the tree is complete. A {@code ./} member stands for the
 * destination itself, which belongs to the caller: like {@code bsdtar}, the extractor leaves its
 * mode, owner, time and flags alone.
 *
 * <p>Nothing is followed: files are created with {@code O_CREAT|O_EXCL|O_NOFOLLOW}, attributes are
 * set without following links, and every parent of a member is checked to be a directory this
 * extraction created. A symlink's target is stored through {@link Path}, which drops repeated and
 * trailing slashes ({@code a//b/} becomes {@code a/b}).
 *
 * <p>Immutable and thread-safe; each {@link #extract} call is independent.
 */
public final class TarExtractor {
  /** Caps that make an absurd archive fail early instead of filling the disk. */
  public record Limits(long maxMemberSize, long maxTotalSize, long maxMembers, int maxNameBytes) {
    public Limits {
      if (maxMemberSize < 0 || maxTotalSize < 0 || maxMembers < 0 || maxNameBytes < 1) {
        throw new IllegalArgumentException("limits must not be negative");
      }
    }

    /**
     * 4 GiB per member, 32 GiB in all, a million members, names of 4096 bytes: several times what a
     * FreeBSD base or src set holds (about 1 GiB and 100,000 members).
     */
    public static Limits defaults() {
      return new Limits(4L << 30, 32L << 30, 1_000_000, 4096);
    }
  }

  /** Whether members' numeric owners are applied. */
  public enum Ownership {
    /** {@code chown} to the archive's numeric uid and gid (needs root); names are ignored. */
    NUMERIC,
    /** Leave everything owned by the extracting user, as a non-root {@code tar} does. */
    IGNORE;

    /** {@link #NUMERIC} when this process runs as root, else {@link #IGNORE}. */
    public static Ownership forThisProcess() {
      return new UnixSystem().getUid() == 0 ? NUMERIC : IGNORE;
    }
  }

  private static final int BUFFER = 64 * 1024;

  /** Zero padding after the end marker is normal; more than this is not a release tarball. */
  private static final int MAX_TRAILING_BYTES = 1 << 20;

  /**
   * NAME_MAX of FreeBSD and Linux: a longer segment cannot be created, so it is refused as a name.
   */
  private static final int MAX_SEGMENT_BYTES = 255;

  /** Pax and GNU long-name records above this are refused rather than buffered. */
  private static final int MAX_SPECIAL_RECORD = 1 << 20;

  private static final Pattern FFLAGS = Pattern.compile("[a-z0-9]+(,[a-z0-9]+)*");

  private final Limits limits;
  private final Ownership ownership;

  public TarExtractor(Limits limits, Ownership ownership) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.ownership = Objects.requireNonNull(ownership, "ownership");
  }

  /** Default limits, and numeric owners when running as root. */
  public static TarExtractor withDefaults() {
    return new TarExtractor(Limits.defaults(), Ownership.forThisProcess());
  }

  /**
   * Extracts every member of {@code tar} under {@code destination}, which must not exist (its
   * parent must) or be an empty directory. Reads {@code tar} to its end, so that a compressed
   * stream gets to verify its trailer; does not close it.
   *
   * @throws ArchiveException if the archive is refused; the destination then holds a partial tree
   * @throws IOException if reading {@code tar} or writing the tree fails
   */
  public ExtractionResult extract(InputStream tar, Path destination)
      throws ArchiveException, IOException {
    Session session = open(destination);
    session.extract(tar);
    return session.finish();
  }

  /**
   * Starts extracting several archives, in order, into one tree under {@code destination} (a
   * FreeBSD release is base.txz, then lib32.txz, ... over the same root). The same rules hold
   * across archives: nothing may pass through a symlink an earlier archive made, and a file may not
   * be given twice; a directory listed again keeps the attributes of its first listing.
   */
  public Session open(Path destination) throws ArchiveException, IOException {
    return new Session(new Run(prepareDestination(destination)));
  }

  /** One tree being extracted from one or more archives. Not thread-safe. */
  public static final class Session {
    private final Run run;

    private Session(Run run) {
      this.run = run;
    }

    /** Extracts every member of {@code tar}, reading it to its end; does not close it. */
    public void extract(InputStream tar) throws ArchiveException, IOException {
      run.extract(tar);
    }

    /** Applies directory attributes once every archive is in; the tree is then complete. */
    public ExtractionResult finish() throws ArchiveException, IOException {
      return run.finish();
    }
  }

  private static Path prepareDestination(Path destination)
      throws IOException, DestinationNotEmptyException {
    if (!Files.exists(destination, NOFOLLOW_LINKS)) {
      Files.createDirectory(destination);
    } else {
      BasicFileAttributes attrs =
          Files.readAttributes(destination, BasicFileAttributes.class, NOFOLLOW_LINKS);
      if (!attrs.isDirectory()) {
        throw new DestinationNotEmptyException(
            destination, attrs.isSymbolicLink() ? "a symlink" : "a file that is no directory");
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(destination)) {
        if (entries.iterator().hasNext()) {
          throw new DestinationNotEmptyException(destination, "a directory with entries");
        }
      }
    }
    // Symlinks above the destination are the caller's business; inside it, nothing is followed.
    return destination.toRealPath();
  }

  /** What this extraction has put at a path. */
  private enum Kind {
    DIRECTORY,
    FILE,
    SYMLINK,
    HARDLINK
  }

  /** Metadata of a directory, applied once everything under it exists. */
  private record DirectoryFixup(Path path, int mode, long uid, long gid, FileTime mtime) {}

  /** The state of one extraction. */
  private final class Run {
    private SourceStream source;
    private InputStream buffered;
    private RawNameTarInputStream tar;
    private final Set<String> listedInThisArchive = new HashSet<>();
    private final Path root;
    private final Map<String, Kind> extracted = new HashMap<>();
    private final Map<String, String> symlinkTargets = new HashMap<>();
    private final Map<String, DirectoryFixup> fixups = new LinkedHashMap<>();
    private final List<FileFlags> flags = new ArrayList<>();
    private final byte[] buffer = new byte[BUFFER];
    private long files;
    private long directories;
    private long symlinks;
    private long hardlinks;
    private long bytes;
    private long members;
    private String member;

    Run(Path root) {
      this.root = root;
      extracted.put("", Kind.DIRECTORY);
    }

    /** Extracts one archive into the tree. */
    void extract(InputStream in) throws ArchiveException, IOException {
      this.source = new SourceStream(in);
      // Mark support lets the reader look at the record after an end marker and put it back,
      // where the end check below finds it.
      this.buffered = new BufferedInputStream(source, BUFFER);
      this.tar = new RawNameTarInputStream(buffered);
      listedInThisArchive.clear();
      TarArchiveEntry entry;
      while ((entry = next()) != null) {
        member = tar.rawName(entry);
        if (++members > limits.maxMembers()) {
          throw new SizeLimitException(member, "number of members", limits.maxMembers(), members);
        }
        extractMember(entry);
      }
      member = null;
      drainTrailer();
    }

    /** Applies directory attributes once every archive is in place. */
    ExtractionResult finish() throws ArchiveException, IOException {
      applyDirectoryFixups();
      return new ExtractionResult(files, directories, symlinks, hardlinks, bytes, flags);
    }

    private void extractMember(TarArchiveEntry entry) throws ArchiveException, IOException {
      byte type = entry.getLinkFlag();
      boolean directory = type == '5' || ((type == '0' || type == 0) && member.endsWith("/"));
      switch (type) {
        case '3' ->
            throw new SpecialFileException(
                member, SpecialFileException.Kind.CHARACTER_DEVICE, device(entry));
        case '4' ->
            throw new SpecialFileException(
                member, SpecialFileException.Kind.BLOCK_DEVICE, device(entry));
        case '6' -> throw new SpecialFileException(member, SpecialFileException.Kind.FIFO, "");
        case 'S' ->
            throw new MalformedArchiveException(
                member,
                "member "
                    + UnsafeMemberNameException.quote(member)
                    + ": expected a regular file,"
                    + " directory, symlink or hardlink, found an old GNU sparse file (type 'S');"
                    + " pax archives, as FreeBSD's tar writes, store sparse files differently",
                null);
        default -> {
          // handled below
        }
      }
      List<String> segments = segments(member, member);
      String path = String.join("/", segments);
      if (segments.isEmpty() && !directory) {
        throw new UnsafeMemberNameException(member, "no name (only '.' and '/')");
      }
      String fflags = entry.getExtraPaxHeader("SCHILY.fflags");
      if (fflags != null && !fflags.isEmpty() && !FFLAGS.matcher(fflags).matches()) {
        throw new MalformedArchiveException(
            member,
            "member "
                + UnsafeMemberNameException.quote(member)
                + ": expected SCHILY.fflags as comma-separated flag names, found '"
                + fflags
                + "'",
            null);
      }
      Path target = segments.isEmpty() ? root : parentOf(segments).resolve(last(segments));
      if (directory) {
        directory(entry, path, target);
      } else {
        switch (type) {
          case '0', 0, '7' -> regularFile(entry, path, target);
          case '2' -> symlink(entry, path, target);
          case '1' -> hardlink(entry, path, target);
          default ->
              throw new MalformedArchiveException(
                  member,
                  String.format(
                      Locale.ROOT,
                      "member %s: expected a regular file, directory, symlink or hardlink, found type"
                          + " '%s' (%s)",
                      UnsafeMemberNameException.quote(member),
                      (char) type,
                      typeName(type)),
                  null);
        }
      }
      if (fflags != null && !fflags.isEmpty() && !path.isEmpty()) {
        flags.add(new FileFlags(path, fflags));
      }
    }

    private void directory(TarArchiveEntry entry, String path, Path target)
        throws ArchiveException, IOException {
      if (path.isEmpty()) {
        // "./" is the destination, which belongs to the caller: counted, nothing applied (bsdtar
        // skips it too).
        directories++;
        return;
      }
      if (!listedInThisArchive.add(path)) {
        throw duplicate();
      }
      Kind existing = extracted.get(path);
      if (existing == null) {
        Files.createDirectory(
            target,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        extracted.put(path, Kind.DIRECTORY);
      } else if (existing != Kind.DIRECTORY) {
        throw inTheWay(path, existing);
      }
      directories++;
      // A directory an earlier archive listed keeps the attributes of that first listing.
      fixups.putIfAbsent(
          path,
          new DirectoryFixup(
              target,
              mode(entry),
              entry.getLongUserId(),
              entry.getLongGroupId(),
              entry.getLastModifiedTime()));
    }

    private void regularFile(TarArchiveEntry entry, String path, Path target)
        throws ArchiveException, IOException {
      claim(path, Kind.FILE);
      long size = entry.getRealSize();
      if (size > limits.maxMemberSize()) {
        throw new SizeLimitException(member, "member size in bytes", limits.maxMemberSize(), size);
      }
      if (bytes + size > limits.maxTotalSize()) {
        throw new SizeLimitException(
            member, "total size in bytes", limits.maxTotalSize(), bytes + size);
      }
      long written = 0;
      Set<StandardOpenOption> options =
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      // CREATE_NEW is O_CREAT|O_EXCL: it fails on any existing name, a dangling symlink included.
      try (SeekableByteChannel channel =
              Files.newByteChannel(
                  target,
                  options,
                  PosixFilePermissions.asFileAttribute(
                      PosixFilePermissions.fromString("rw-------")));
          OutputStream out = Channels.newOutputStream(channel)) {
        int n;
        while ((n = readData()) >= 0) {
          if (written + n > size) {
            throw new MalformedArchiveException(
                member,
                "member "
                    + UnsafeMemberNameException.quote(member)
                    + ": expected "
                    + size
                    + " bytes, found more",
                null);
          }
          out.write(buffer, 0, n);
          written += n;
        }
      }
      if (written != size) {
        throw new MalformedArchiveException(
            member,
            "member "
                + UnsafeMemberNameException.quote(member)
                + ": expected "
                + size
                + " bytes of data, found "
                + written
                + " before the archive ended (truncated)",
            null);
      }
      bytes += written;
      files++;
      applyOwnerModeTime(target, entry, true);
    }

    private void symlink(TarArchiveEntry entry, String path, Path target)
        throws ArchiveException, IOException {
      String linkTarget = tar.rawLinkName(entry);
      if (linkTarget.isEmpty() || linkTarget.indexOf('\0') >= 0) {
        throw new MalformedArchiveException(
            member,
            "symlink "
                + UnsafeMemberNameException.quote(member)
                + ": expected a target, found "
                + (linkTarget.isEmpty() ? "none" : "a NUL byte"),
            null);
      }
      if (linkTarget.getBytes(StandardCharsets.UTF_8).length > limits.maxNameBytes()) {
        throw new UnsafeMemberNameException(
            member, "a symlink target longer than " + limits.maxNameBytes() + " bytes");
      }
      Path link;
      try {
        link = Path.of(linkTarget);
      } catch (InvalidPathException e) {
        throw new MalformedArchiveException(
            member,
            "symlink "
                + UnsafeMemberNameException.quote(member)
                + ": its target cannot be represented on this host: "
                + e.getMessage(),
            e);
      }
      claim(path, Kind.SYMLINK);
      Files.createSymbolicLink(target, link);
      symlinkTargets.put(path, linkTarget);
      symlinks++;
      applyOwnerModeTime(target, entry, false);
    }

    private void hardlink(TarArchiveEntry entry, String path, Path target)
        throws ArchiveException, IOException {
      String linkName = tar.rawLinkName(entry);
      List<String> linkSegments;
      try {
        linkSegments = segments(linkName, member);
      } catch (UnsafeMemberNameException e) {
        throw new EscapingHardlinkException(
            member, linkName, "a target outside the tree: " + e.found());
      }
      String linkPath = String.join("/", linkSegments);
      Kind kind = extracted.get(linkPath);
      if (kind != Kind.FILE && kind != Kind.HARDLINK) {
        throw new EscapingHardlinkException(
            member,
            linkName,
            kind == null
                ? "no member of that name earlier in the archive"
                : kind == Kind.SYMLINK
                    ? "a symlink (to '" + symlinkTargets.get(linkPath) + "')"
                    : "a directory");
      }
      Path existing = root.resolve(linkPath);
      // The table says it is a file this run created; make sure nothing swapped it meanwhile.
      if (!Files.readAttributes(existing, BasicFileAttributes.class, NOFOLLOW_LINKS)
          .isRegularFile()) {
        throw new EscapingHardlinkException(member, linkName, "no regular file on disk");
      }
      claim(path, Kind.HARDLINK);
      Files.createLink(target, existing);
      hardlinks++;
    }

    /** Records {@code path} as taken by this member; refuses a second member of that name. */
    private void claim(String path, Kind kind) throws ArchiveException {
      Kind existing = extracted.putIfAbsent(path, kind);
      if (existing != null) {
        throw existing == Kind.DIRECTORY ? inTheWay(path, existing) : duplicate();
      }
    }

    private MalformedArchiveException duplicate() {
      return new MalformedArchiveException(
          member,
          "member "
              + UnsafeMemberNameException.quote(member)
              + ": expected each path once, found it a second time; release archives never"
              + " repeat a member",
          null);
    }

    private MalformedArchiveException inTheWay(String path, Kind existing) {
      return new MalformedArchiveException(
          member,
          "member "
              + UnsafeMemberNameException.quote(member)
              + ": expected '"
              + path
              + "' to be free, found a "
              + describe(existing)
              + " extracted earlier",
          null);
    }

    /**
     * The directory that will hold the member with these segments: each parent must be a directory
     * this run created (missing ones are created, mode 0755, as tar does), never a symlink or a
     * file.
     */
    private Path parentOf(List<String> segments) throws ArchiveException, IOException {
      Path dir = root;
      StringBuilder prefix = new StringBuilder();
      for (int i = 0; i < segments.size() - 1; i++) {
        if (i > 0) {
          prefix.append('/');
        }
        prefix.append(segments.get(i));
        String p = prefix.toString();
        dir = dir.resolve(segments.get(i));
        Kind kind = extracted.get(p);
        if (kind == null) {
          Files.createDirectory(dir);
          Files.setAttribute(dir, "unix:mode", 0755, NOFOLLOW_LINKS);
          extracted.put(p, Kind.DIRECTORY);
        } else if (kind == Kind.SYMLINK) {
          throw new WriteThroughSymlinkException(member, p, symlinkTargets.get(p));
        } else if (kind != Kind.DIRECTORY) {
          throw new MalformedArchiveException(
              member,
              "member "
                  + UnsafeMemberNameException.quote(member)
                  + ": expected '"
                  + p
                  + "' to be a directory, found a "
                  + describe(kind)
                  + " extracted earlier",
              null);
        }
      }
      // The table is authoritative for what this run made; the disk must agree.
      if (!Files.readAttributes(dir, BasicFileAttributes.class, NOFOLLOW_LINKS).isDirectory()) {
        throw new IOException(
            dir
                + " is no longer a directory; something else is changing "
                + root
                + " during extraction");
      }
      return dir;
    }

    private void applyOwnerModeTime(Path target, TarArchiveEntry entry, boolean setMode)
        throws ArchiveException, IOException {
      if (ownership == Ownership.NUMERIC) {
        // Before the mode: chown clears setuid and setgid bits.
        chown(target, entry.getLongUserId(), entry.getLongGroupId());
      }
      if (setMode) {
        Files.setAttribute(target, "unix:mode", mode(entry), NOFOLLOW_LINKS);
      }
      setMtime(target, entry.getLastModifiedTime());
    }

    private void chown(Path target, long uid, long gid) throws ArchiveException, IOException {
      Files.setAttribute(target, "unix:uid", id(uid, "uid"), NOFOLLOW_LINKS);
      Files.setAttribute(target, "unix:gid", id(gid, "gid"), NOFOLLOW_LINKS);
    }

    private int id(long id, String what) throws MalformedArchiveException {
      // uid_t is 32 bits unsigned; (uid_t) -1 means "unchanged" to chown and is refused too.
      if (id < 0 || id >= 0xFFFF_FFFFL) {
        throw new MalformedArchiveException(
            member,
            "member "
                + UnsafeMemberNameException.quote(member)
                + ": expected a "
                + what
                + " between 0 and 4294967294, found "
                + id,
            null);
      }
      return (int) id;
    }

    private void setMtime(Path target, FileTime mtime) throws IOException {
      if (mtime != null) {
        Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW_LINKS)
            .setTimes(mtime, null, null);
      }
    }

    /** Directory modes and times last, deepest first, so content could be written first. */
    private void applyDirectoryFixups() throws ArchiveException, IOException {
      List<Map.Entry<String, DirectoryFixup>> all = new ArrayList<>(fixups.entrySet());
      all.sort(Map.Entry.<String, DirectoryFixup>comparingByKey(Comparator.reverseOrder()));
      for (Map.Entry<String, DirectoryFixup> e : all) {
        DirectoryFixup fixup = e.getValue();
        member = e.getKey();
        if (ownership == Ownership.NUMERIC) {
          chown(fixup.path(), fixup.uid(), fixup.gid());
        }
        Files.setAttribute(fixup.path(), "unix:mode", fixup.mode(), NOFOLLOW_LINKS);
        setMtime(fixup.path(), fixup.mtime());
      }
      member = null;
    }

    /** Splits a name into segments, refusing anything but a plain relative path. */
    private List<String> segments(String name, String memberName) throws UnsafeMemberNameException {
      if (name.isEmpty()) {
        throw new UnsafeMemberNameException(memberName, "an empty name");
      }
      if (name.indexOf('\0') >= 0) {
        throw new UnsafeMemberNameException(memberName, "a NUL byte");
      }
      if (name.startsWith("/")) {
        throw new UnsafeMemberNameException(memberName, "a leading '/' in '" + name + "'");
      }
      if (name.getBytes(StandardCharsets.UTF_8).length > limits.maxNameBytes()) {
        throw new UnsafeMemberNameException(
            memberName, "a name longer than " + limits.maxNameBytes() + " bytes");
      }
      List<String> segments = new ArrayList<>();
      for (String s : name.split("/")) {
        if (s.equals("..")) {
          throw new UnsafeMemberNameException(memberName, "a '..' segment in '" + name + "'");
        }
        if (s.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
          throw new UnsafeMemberNameException(
              memberName,
              "a file name (path segment) longer than "
                  + MAX_SEGMENT_BYTES
                  + " bytes, more than FreeBSD and Linux allow");
        }
        if (!s.isEmpty() && !s.equals(".")) {
          segments.add(s);
        }
      }
      try {
        Path unused = root.resolve(String.join("/", segments)); // only whether it parses
      } catch (InvalidPathException e) {
        throw new UnsafeMemberNameException(
            memberName, "a name this host cannot represent (" + e.getMessage() + ")");
      }
      return segments;
    }

    private TarArchiveEntry next() throws ArchiveException, IOException {
      try {
        return tar.nextEntry();
      } catch (IOException e) {
        throw asArchiveFault(e, "a valid tar header");
      }
    }

    private int readData() throws ArchiveException, IOException {
      try {
        return tar.read(buffer, 0, buffer.length);
      } catch (IOException e) {
        throw asArchiveFault(e, "the member's data");
      }
    }

    /**
     * A failure of the stream under the tar reader (disk, network, corrupt compression) stays an
     * {@link IOException}; anything else the tar reader threw means the tar data is bad.
     */
    private IOException asArchiveFault(IOException e, String expected)
        throws MalformedArchiveException {
      if (source.failure != null) {
        return source.failure;
      }
      String where =
          member == null
              ? "after " + members + " members"
              : "at member " + UnsafeMemberNameException.quote(member);
      throw new MalformedArchiveException(
          member, "expected " + expected + " " + where + ", found: " + e.getMessage(), e);
    }

    /** Reads what follows the end marker: zero padding up to a limit, nothing else. */
    private void drainTrailer() throws ArchiveException, IOException {
      long total = 0;
      int n;
      while ((n = buffered.read(buffer, 0, buffer.length)) >= 0) {
        for (int i = 0; i < n; i++) {
          if (buffer[i] != 0) {
            throw new MalformedArchiveException(
                null,
                "expected only zero padding after the tar end-of-archive marker, found"
                    + " data "
                    + (total + i)
                    + " bytes after it (a second archive?)",
                null);
          }
        }
        total += n;
        if (total > MAX_TRAILING_BYTES) {
          throw new MalformedArchiveException(
              null,
              "expected at most "
                  + MAX_TRAILING_BYTES
                  + " bytes of padding after the"
                  + " end-of-archive marker, found more",
              null);
        }
      }
    }

    private String describe(Kind kind) {
      return switch (kind) {
        case DIRECTORY -> "directory";
        case FILE -> "regular file";
        case SYMLINK -> "symlink";
        case HARDLINK -> "hardlink";
      };
    }
  }

  private static int mode(TarArchiveEntry entry) {
    return entry.getMode() & 07777;
  }

  private static String last(List<String> segments) {
    return segments.get(segments.size() - 1);
  }

  private static String device(TarArchiveEntry entry) {
    return " (" + entry.getDevMajor() + "," + entry.getDevMinor() + ")";
  }

  private static String typeName(byte type) {
    return switch (type) {
      case 'D' -> "GNU dump directory";
      case 'M' -> "GNU multi-volume continuation";
      case 'V' -> "GNU volume label";
      case 'N' -> "GNU old long name";
      default -> "unknown";
    };
  }

  /** The source under the tar reader; remembers its own failure to tell it from a bad archive. */
  private static final class SourceStream extends FilterInputStream {
    IOException failure;

    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return in.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return in.skip(n);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public void close() {
      // The caller owns the stream.
    }
  }

  /**
   * commons-compress' tar reader, keeping the raw text of the pax and GNU long-name records it
   * reads. The library strips leading slashes from names that come from those records (and only
   * from those), so without the raw text {@code /etc/x} given in a pax header would pass for {@code
   * etc/x}; a FreeBSD release must not carry either.
   */
  private static final class RawNameTarInputStream extends TarArchiveInputStream {
    private final List<Special> specials = new ArrayList<>();
    private TarArchiveEntry capturing;
    private ByteArrayOutputStream captured;
    private Map<String, String> paxRecords = Map.of();
    private String gnuLongName;
    private String gnuLongLink;

    private record Special(byte type, ByteArrayOutputStream data) {}

    RawNameTarInputStream(InputStream in) {
      // Blocks of one record: the library skips to the end of a block after the end marker, and
      // with the customary 20-record blocks it would skip 10 KiB unseen.
      super(in, 512, 512, StandardCharsets.UTF_8.name());
    }

    @Override
    @SuppressWarnings("ReferenceEquality") // the same entry object, not an equal one
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = super.read(buf, off, len);
      TarArchiveEntry current = getCurrentEntry();
      if (n > 0 && current != null && isSpecial(current)) {
        if (current != capturing) {
          capturing = current;
          captured = new ByteArrayOutputStream();
          specials.add(new Special(current.getLinkFlag(), captured));
        }
        if (captured.size() + n > MAX_SPECIAL_RECORD) {
          throw new IOException(
              "a pax or GNU long-name record larger than " + MAX_SPECIAL_RECORD + " bytes");
        }
        captured.write(buf, off, n);
      }
      return n;
    }

    private static boolean isSpecial(TarArchiveEntry e) {
      return e.isPaxHeader()
          || e.isGlobalPaxHeader()
          || e.isGNULongNameEntry()
          || e.isGNULongLinkEntry();
    }

    TarArchiveEntry nextEntry() throws IOException {
      specials.clear();
      capturing = null;
      TarArchiveEntry entry = getNextEntry();
      paxRecords = new HashMap<>();
      gnuLongName = null;
      gnuLongLink = null;
      for (Special s : specials) {
        byte[] data = s.data().toByteArray();
        switch (s.type()) {
          case 'x' -> paxRecords.putAll(parsePax(data));
          case 'g' -> {
            Map<String, String> global = parsePax(data);
            if (global.containsKey("path") || global.containsKey("linkpath")) {
              throw new IOException(
                  "a global pax header that names every member (" + global.keySet() + ")");
            }
          }
          case 'L' -> gnuLongName = cString(data);
          case 'K' -> gnuLongLink = cString(data);
          default -> throw new IOException("unexpected special record " + (char) s.type());
        }
      }
      if (entry != null) {
        // The library's name must be the raw name minus leading slashes (and plus a slash for
        // directories); otherwise this class has lost track of the library's parsing.
        String raw = stripSlashes(rawName(entry));
        String lib = stripSlashes(entry.getName());
        if (!raw.equals(lib)) {
          throw new IOException(
              "inconsistent member names '" + rawName(entry) + "' and '" + entry.getName() + "'");
        }
      }
      return entry;
    }

    private static String stripSlashes(String s) {
      int start = 0;
      int end = s.length();
      while (start < end && s.charAt(start) == '/') {
        start++;
      }
      while (end > start && s.charAt(end - 1) == '/') {
        end--;
      }
      return s.substring(start, end);
    }

    /** The member's name as the archive has it, leading slashes included. */
    String rawName(TarArchiveEntry entry) {
      String pax = paxRecords.getOrDefault("GNU.sparse.name", paxRecords.get("path"));
      if (pax != null) {
        return pax;
      }
      return gnuLongName != null ? gnuLongName : entry.getName();
    }

    /** The member's link target as the archive has it. */
    String rawLinkName(TarArchiveEntry entry) {
      String pax = paxRecords.get("linkpath");
      if (pax != null) {
        return pax;
      }
      return gnuLongLink != null ? gnuLongLink : entry.getLinkName();
    }

    private static String cString(byte[] data) {
      int end = data.length;
      while (end > 0 && data[end - 1] == 0) {
        end--;
      }
      return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    /** Pax extended header records: {@code "<length> <key>=<value>\n"}, all UTF-8. */
    private static Map<String, String> parsePax(byte[] data) throws IOException {
      Map<String, String> records = new HashMap<>();
      int pos = 0;
      while (pos < data.length) {
        if (data[pos] == 0) {
          break; // NUL padding after the last record, as some writers add
        }
        int space = pos;
        int length = 0;
        while (space < data.length && data[space] >= '0' && data[space] <= '9') {
          length = Math.addExact(Math.multiplyExact(length, 10), data[space] - '0');
          space++;
        }
        if (space == pos
            || space >= data.length
            || data[space] != ' '
            || length <= 0
            || pos + length > data.length
            || data[pos + length - 1] != '\n') {
          throw new IOException("a malformed pax record at byte " + pos);
        }
        String record =
            new String(data, space + 1, pos + length - 1 - (space + 1), StandardCharsets.UTF_8);
        int eq = record.indexOf('=');
        if (eq <= 0) {
          throw new IOException("a pax record without key at byte " + pos);
        }
        records.put(record.substring(0, eq), record.substring(eq + 1));
        pos += length;
      }
      return records;
    }
  }
}
