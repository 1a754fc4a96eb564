package org.warder.client.layout;

import java.nio.file.Path;

/**
 * Where everything lives under the warder root ({@code --root}, {@code $WARDER_ROOT}, {@code root}
 * in warder.conf, or {@code /usr/local/warder}, iocage-like). The one class that maps client paths:
 *
 * <pre>
 * &lt;root&gt;/warder.json                       host settings (storage: dir or zfs)
 * &lt;root&gt;/download/&lt;REL&gt;/                   MANIFEST, base.txz, ... (verified)
 * &lt;root&gt;/releases/&lt;REL&gt;/root/              an extracted release
 * &lt;root&gt;/jails/&lt;name&gt;/                     config.json, fstab, root/
 * &lt;root&gt;/templates/&lt;name&gt;/                 read-only templates
 * &lt;root&gt;/images/                            export bundles
 * &lt;root&gt;/templates/&lt;name&gt;/tags/            the file index of each tag pushed or pulled
 * &lt;root&gt;/template-clean.conf               extra globs 'template clean' removes
 * &lt;root&gt;/trusted-keys/                      public keys trusted to sign bundles
 * &lt;root&gt;/staging/import-&lt;id&gt;/              an import being received and verified
 * &lt;root&gt;/staging/iocage-export-&lt;id&gt;/       the jail directory an iocage export sends (config.json, fstab)
 * &lt;root&gt;/repos/&lt;name&gt;/                     repo.json, metadata/ (trusted TUF metadata), cache/
 * </pre>
 */
public final class HostLayout {
  private final Path root;

  public HostLayout(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  public Path settings() {
    return root.resolve("warder.json");
  }

  public Path download(String release) {
    return root.resolve("download").resolve(release);
  }

  /** Relative name (for storage) of the directory holding all releases. */
  public static String releasesName() {
    return "releases";
  }

  /** Relative name (for storage) of a release: {@code releases/<REL>}. */
  public static String releaseName(String release) {
    return "releases/" + release;
  }

  /** Relative name of the staging area a release is built in before it becomes visible. */
  public static String stagingName(String release) {
    return "releases/staging-" + release;
  }

  public Path path(String relative) {
    return root.resolve(relative);
  }

  public Path releaseRoot(String release) {
    return path(rootName(releaseName(release)));
  }

  public Path jails() {
    return root.resolve("jails");
  }

  /** Relative name (for storage) of a jail: {@code jails/<name>}. */
  public static String jailName(String name) {
    return "jails/" + name;
  }

  /**
   * Relative name (for storage) of the copy a plugin update keeps of jail {@code name} on storage
   * without snapshots, to restore it from: {@code jails/.update-<name>}.
   */
  public static String updateBackupName(String name) {
    return "jails/.update-" + name;
  }

  /**
   * Relative name (for storage) of the root of the jail, template, release or staging area stored
   * as {@code storageName}: {@code <storageName>/root}.
   */
  public static String rootName(String storageName) {
    return storageName + "/" + ROOT;
  }

  /** The directory of a jail, template or release that holds its file system. */
  public static final String ROOT = "root";

  /** Relative name (for storage) of a template: {@code templates/<name>}. */
  public static String templateName(String name) {
    return "templates/" + name;
  }

  public Path templates() {
    return root.resolve("templates");
  }

  /** Where export bundles are written by default, and where exports keep their work files. */
  public Path images() {
    return root.resolve("images");
  }

  /**
   * Relative name (for storage) of the place an import is received into before it is verified and
   * renamed into {@code jails/} or {@code templates/}: {@code staging/import-<id>}.
   */
  public static String importStagingName(String id) {
    return "staging/import-" + id;
  }

  /**
   * The directory beside a jail's or template's root that keeps the file index of each of its tags.
   */
  public static final String TAG_INDEXES = "tags";

  /**
   * The file index of tag snapshot {@code snapshot} of the jail or template stored as {@code
   * storageName} ({@code templates/T}): {@code <root>/templates/T/tags/<snapshot>.index.json}.
   */
  public Path tagIndex(String storageName, String snapshot) {
    return path(storageName).resolve(TAG_INDEXES).resolve(snapshot + ".index.json");
  }

  /** Extra globs {@code template clean} removes, one per line. */
  public Path templateCleanConfig() {
    return root.resolve("template-clean.conf");
  }

  /** Public keys whose signatures on bundles this host accepts ({@code warder key trust}). */
  public Path trustedKeys() {
    return root.resolve("trusted-keys");
  }

  /**
   * Relative name of the clone a tar export of a ZFS snapshot reads: {@code staging/export-<id>}.
   */
  public static String exportViewName(String id) {
    return "staging/export-" + id;
  }

  /**
   * Relative name of the dataset an iocage export fills with iocage's files of a jail (its
   * config.json and fstab) and sends as the jail directory's stream: {@code
   * staging/iocage-export-<id>}.
   */
  public static String iocageExportName(String id) {
    return "staging/iocage-export-" + id;
  }

  public Path repos() {
    return root.resolve("repos");
  }

  public Path repo(String name) {
    return repos().resolve(name);
  }

  public Path repoConfig(String name) {
    return repo(name).resolve("repo.json");
  }

  public Path repoMetadata(String name) {
    return repo(name).resolve("metadata");
  }

  public Path repoCache(String name) {
    return repo(name).resolve("cache");
  }
}
