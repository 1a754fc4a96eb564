package org.warder.registry.storage;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where everything of a registry lives under its data directory. The one class that maps paths:
 *
 * <pre>
 * &lt;data&gt;/keys/                      root.pem targets.pem (offline, encrypted), snapshot.pem
 *                                     timestamp.pem (online), online.passphrase
 * &lt;data&gt;/repository/metadata/       N.root.json N.targets.json N.&lt;role&gt;.json N.snapshot.json timestamp.json
 * &lt;data&gt;/blobs/sha256/&lt;ab&gt;/&lt;hex&gt;     every target, stored once
 * &lt;data&gt;/uploads/&lt;uuid&gt;/             upload sessions: data (the bytes so far), startedat, owner (token id)
 * &lt;data&gt;/uploads/.&lt;uuid&gt;.new/        a session being created (renamed into place when complete)
 * &lt;data&gt;/upload-parts/&lt;uuid&gt;/&lt;start&gt;-&lt;nonce&gt;  chunks of sessions the nodes share (records in
 *                                     the database), when the store is this directory
 * &lt;data&gt;/uploads-incoming/          a chunk or an assembled blob on its way to the store
 * &lt;data&gt;/pending/&lt;token id&gt;/&lt;sha256&gt;  empty: a blob the token committed, counted against its
 *                                     limit until metadata references it
 * &lt;data&gt;/tokens.json                publisher tokens, hashed (mode 0600)
 * &lt;data&gt;/lock                       the exclusive lock held around every change of the repository
 * </pre>
 *
 * The metadata and blobs directories are the {@link FileSystemStore}, the default {@link
 * RegistryStore}; with another store (a bucket) they are not used, and the rest stays here.
 *
 * <p>Temporary files of atomic writes ({@code .<name>.<random>.tmp}) sit next to their target and
 * are never served; a crash may leave some, which the server removes when it starts.
 */
public final class RegistryLayout {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private final Path data;

  public RegistryLayout(Path data) {
    this.data = data.toAbsolutePath().normalize();
  }

  /**
   * The default data directory: {@code $WARDER_REGISTRY_HOME}, else {@code
   * ~/.local/share/warder-registry}.
   */
  public static Path defaultData(java.util.Map<String, String> env) {
    String home = env.get("WARDER_REGISTRY_HOME");
    if (home != null && !home.isBlank()) {
      return Path.of(home);
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "warder-registry");
  }

  public Path data() {
    return data;
  }

  public Path keys() {
    return data.resolve("keys");
  }

  /**
   * The key file of a role ({@code root}, {@code targets}, {@code snapshot}, {@code timestamp}).
   */
  public Path key(String role) {
    return keys().resolve(role + ".pem");
  }

  public Path onlinePassphrase() {
    return keys().resolve("online.passphrase");
  }

  public Path metadata() {
    return data.resolve("repository").resolve("metadata");
  }

  public Path blobs() {
    return data.resolve("blobs").resolve("sha256");
  }

  /** The file of a blob, when {@code sha256} is 64 lower-case hex digits. */
  public Optional<Path> blob(String sha256) {
    String hex = sha256.toLowerCase(Locale.ROOT);
    if (!SHA256.matcher(hex).matches()) {
      return Optional.empty();
    }
    return Optional.of(blobs().resolve(hex.substring(0, 2)).resolve(hex));
  }

  public Path uploads() {
    return data.resolve("uploads");
  }

  /**
   * Where a node keeps an upload chunk or an assembled blob on its way to the store, when the
   * sessions are shared by the nodes.
   */
  public Path uploadsIncoming() {
    return data.resolve("uploads-incoming");
  }

  /** The directory of upload session {@code uuid} (the caller validated the uuid). */
  public Path upload(String uuid) {
    return uploads().resolve(uuid);
  }

  /** The bytes an upload session received so far. */
  public Path uploadData(String uuid) {
    return upload(uuid).resolve("data");
  }

  /** When an upload session started (ISO-8601 instant). */
  public Path uploadStartedAt(String uuid) {
    return upload(uuid).resolve("startedat");
  }

  /** The id of the token that started an upload session: only that token may use it. */
  public Path uploadOwner(String uuid) {
    return upload(uuid).resolve("owner");
  }

  /**
   * The blobs token {@code tokenId} committed that may not be referenced yet, one empty file each.
   */
  public Path pending(String tokenId) {
    return data.resolve("pending").resolve(tokenId);
  }

  /** The file locked (never written) around every repository change, across processes. */
  public Path lock() {
    return data.resolve("lock");
  }

  public Path tokens() {
    return data.resolve("tokens.json");
  }
}
