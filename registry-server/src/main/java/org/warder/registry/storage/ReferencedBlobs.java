package org.warder.registry.storage;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.signing.tuf.MetaFile;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Snapshot;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.Timestamp;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.Urls;

/**
 * The blobs the registry's committed metadata references: the sha256 of every target of every
 * retained version of every targets role. Retained are, for each role the current snapshot lists,
 * the versions from 1 to the one it lists that are in the store; a role file of a higher version is
 * what a crash left of a refused or unfinished change, named by no snapshot, and references
 * nothing. Only referenced blobs are served, and {@code warder-registry gc} keeps exactly them.
 *
 * <p>The same reading says which metadata files are committed ({@link #names}): only those are
 * served, so a role file or snapshot that a failed or unfinished change wrote is never reachable,
 * and the bytes a later change writes under its name are the first any client sees.
 *
 * <p>The set is read again when {@code timestamp.json} changes (every change of the repository
 * writes one); a retained role file never changes, so each is parsed once. Thread-safe.
 */
public final class ReferencedBlobs {
  private static final Pattern ROLE_FILE = Pattern.compile("([0-9]{1,19})\\.(.+)\\.json");
  private final RegistryStore store;

  /** sha256s of the targets of each retained role file read so far, by file name. */
  private final Map<String, Set<String>> byFile = new HashMap<>();

  private Object timestampVersion = "none";
  private Committed committed = new Committed(0, Map.of(), Set.of());

  /**
   * What the current timestamp commits: its snapshot's version, the version that snapshot lists for
   * each role (by the role's name as quoted in file names) and the sha256s retained role files
   * reference.
   */
  private record Committed(long snapshot, Map<String, Long> roles, Set<String> blobs) {}

  public ReferencedBlobs(RegistryStore store) {
    this.store = store;
  }

  /** Whether retained metadata lists a target with sha256 {@code sha256} (lower-case hex). */
  public boolean contains(String sha256) throws IOException {
    return all().contains(sha256);
  }

  /** Every sha256 retained metadata references, as of the current {@code timestamp.json}. */
  public Set<String> all() throws IOException {
    return committed().blobs();
  }

  /**
   * Whether the committed metadata names metadata file {@code name}, so that it may be served:
   * {@code timestamp.json}, every root (only initialisation writes roots, the first one last),
   * snapshot versions up to the one the timestamp names, and role files up to the version that
   * snapshot lists. A file above those versions is what a failed or unfinished change left: no
   * client may see it, since the next change writes its own bytes under that name.
   */
  public boolean names(String name) throws IOException {
    if (name.equals(StoreKeys.TIMESTAMP)) {
      return true;
    }
    Matcher m = ROLE_FILE.matcher(name);
    if (!m.matches()) {
      return false;
    }
    if (m.group(2).equals("root")) {
      return true;
    }
    BigInteger version = new BigInteger(m.group(1));
    Committed now = committed();
    Long limit = m.group(2).equals("snapshot") ? now.snapshot() : now.roles().get(m.group(2));
    return limit != null && version.compareTo(BigInteger.valueOf(limit)) <= 0;
  }

  private synchronized Committed committed() throws IOException {
    Object version;
    byte[] timestamp;
    try {
      version = store.timestampTag();
      timestamp =
          version.equals(timestampVersion)
              ? new byte[0]
              : store
                  .metadata(StoreKeys.TIMESTAMP)
                  .orElseThrow(() -> new NoSuchFileException(StoreKeys.TIMESTAMP));
    } catch (NoSuchFileException e) {
      // never "nothing is referenced": gc would delete every blob of a directory given by mistake
      throw new IOException(
          "no repository metadata in "
              + store.describe()
              + " ("
              + StoreKeys.metadata(StoreKeys.TIMESTAMP)
              + " is missing); is --data (or the storage configuration) the registry's?",
          e);
    }
    if (!version.equals(timestampVersion)) {
      committed = read(timestamp);
      timestampVersion = version;
    }
    return committed;
  }

  private Committed read(byte[] timestamp) throws IOException {
    long snapshotVersion =
        parse(StoreKeys.TIMESTAMP, timestamp, Timestamp.class, "timestamp")
            .snapshotMeta()
            .version();
    Snapshot snapshot = parse(snapshotVersion + ".snapshot.json", Snapshot.class, "snapshot");
    Map<String, String> roleOfFileName = new HashMap<>();
    Map<String, Long> listed = new HashMap<>();
    for (Map.Entry<String, MetaFile> entry : snapshot.meta().entrySet()) {
      String role = entry.getKey().substring(0, entry.getKey().length() - ".json".length());
      roleOfFileName.put(Urls.quote(role), role);
      listed.put(role, entry.getValue().version());
    }
    // Versions may start anywhere and skip numbers: list the files rather than count up to the
    // version.
    Set<String> all = new HashSet<>();
    for (String file : store.metadataNames()) {
      Matcher m = ROLE_FILE.matcher(file);
      String role = m.matches() ? roleOfFileName.get(m.group(2)) : null;
      if (role == null
          || new BigInteger(m.group(1)).compareTo(BigInteger.valueOf(listed.get(role))) > 0) {
        continue; // not a targets role file, or one no snapshot names (left by a crash)
      }
      Set<String> of = byFile.get(file);
      if (of == null) {
        Set<String> found = new HashSet<>();
        for (TargetFile target : parse(file, Targets.class, role).targets().values()) {
          target.sha256().map(h -> h.toLowerCase(Locale.ROOT)).ifPresent(found::add);
        }
        of = Set.copyOf(found);
        byFile.put(file, of);
      }
      all.addAll(of);
    }
    Map<String, Long> byQuotedName = new HashMap<>();
    roleOfFileName.forEach((quoted, role) -> byQuotedName.put(quoted, listed.get(role)));
    return new Committed(snapshotVersion, Map.copyOf(byQuotedName), Set.copyOf(all));
  }

  private <T extends org.warder.signing.tuf.Signed> T parse(String name, Class<T> type, String role)
      throws IOException {
    byte[] bytes =
        store
            .metadata(name)
            .orElseThrow(
                () ->
                    new IOException(
                        StoreKeys.metadata(name)
                            + " in "
                            + store.describe()
                            + " is missing though the current metadata names it; restore it"
                            + " from a backup"));
    return parse(name, bytes, type, role);
  }

  private <T extends org.warder.signing.tuf.Signed> T parse(
      String name, byte[] bytes, Class<T> type, String role) throws IOException {
    try {
      return Metadata.parse(bytes, type, role).signed();
    } catch (TufException e) {
      throw new IOException(
          StoreKeys.metadata(name)
              + " in "
              + store.describe()
              + " is not valid metadata ("
              + e.getMessage()
              + "); restore it from a backup",
          e);
    }
  }
}
