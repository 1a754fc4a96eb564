package org.warder.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A plugin manifest in iocage's format ({@code iocage_lib/plugin_manifest.json}) plus warder's
 * artifact pin; immutable and thread-safe.
 *
 * <p>{@link #parse} accepts every spelling real iocage manifests use and reports each normalisation
 * as a {@link CatalogWarning}: {@code revision} as a string ({@code "1"}) or an integral float
 * ({@code 1.0}); {@code official} as {@code "true"}/{@code "false"}; property values as strings,
 * numbers or booleans (booleans become {@code "1"}/{@code "0"}); upper-case hex; unknown keys
 * ({@code plugin_schema}, the misspelt key {@code "offical"}), which are kept in {@link #extra} and
 * written back but not used. It also notes, as warnings, what a manifest asks of the host beyond a
 * jail: devfs rules ({@code devfs_ruleset}) and kernel modules ({@code kmods}).
 *
 * <p>It refuses, with an {@link InvalidFieldException} naming the JSON path, what cannot be used
 * safely: a missing required key (iocage's: name, release, pkgs, packagesite, fingerprints,
 * artifact), types that cannot be normalised, a non-sha256 or malformed fingerprint, a release that
 * is not a FreeBSD release name, package names with whitespace or shell metacharacters, pkg
 * repository names, property keys, devfs paths and kernel module names that are not simple names
 * (they become file names, argv elements and pkg configuration), and documents over {@link
 * #MAX_BYTES}. Fractional numbers are accepted only where they mean something (a property value is
 * kept as the decimal text; {@code revision} must be integral). Duplicate keys are refused:
 * iocage's Python reader would silently keep the last one.
 *
 * <p>The canonical constructor enforces the same rules (throwing {@link IllegalArgumentException}),
 * so every instance can be written with {@link #toJson} and read back equal.
 *
 * @param name display name ("Jellyfin Server"; iocage's default jail name)
 * @param release the FreeBSD release the jail is built from, e.g. {@code 13.2-RELEASE}
 * @param artifact git URL of the post-install artifact; empty for none
 * @param artifactRef warder: the full 40-hex commit id the artifact is pinned to
 * @param artifactBundle warder: registry target path of a git bundle holding that commit
 * @param pkgs package names or origins, installed in this order
 * @param packagesite pkg(8) repository URL, {@code ${ABI}} expanded by pkg
 * @param fingerprints pkg repository name to its trusted sha256 fingerprints, every entry kept
 * @param properties jail properties, values as iocage passes them ({@code "1"}, {@code
 *     "tcp(80:8282)"})
 * @param official informational only; absent means false
 * @param revision the plugin's revision; absent means 0
 * @param devfsRuleset devfs rules the jail needs beyond iocage's default
 * @param kmods kernel modules loaded on the host before installation
 * @param extra unknown keys, kept and written back unchanged (numbers as parsing gives them:
 *     integers as int, long or big-integer nodes by size, fractions as decimal nodes)
 */
public record PluginManifest(
    String name,
    String release,
    String artifact,
    Optional<String> artifactRef,
    Optional<String> artifactBundle,
    List<String> pkgs,
    String packagesite,
    Map<String, List<Fingerprint>> fingerprints,
    Map<String, String> properties,
    boolean official,
    int revision,
    Optional<DevfsRuleset> devfsRuleset,
    List<String> kmods,
    Map<String, JsonNode> extra) {

  /** Larger manifests are refused unread; real ones are about 1 KiB. */
  public static final int MAX_BYTES = 1024 * 1024;

  static final String DOCUMENT = "plugin manifest";
  private static final String HINT = "fix the manifest (or ask its publisher to)";

  /** The keys this model reads, in the order {@link #toJson} writes them. */
  private static final List<String> KEYS =
      List.of(
          "name",
          "release",
          "artifact",
          "artifact_ref",
          "artifact_bundle",
          "official",
          "properties",
          "devfs_ruleset",
          "kmods",
          "pkgs",
          "packagesite",
          "fingerprints",
          "revision");

  private static final Map<String, String> NOTES =
      Map.of("plugin_schema", "iocage dropped it from its schema and never reads it");
  private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]+");

  /**
   * One trusted key fingerprint of a pkg repository, as pkg(8) reads it from {@code
   * fingerprints/<repo>/trusted/}.
   *
   * @param function always {@code sha256}
   * @param fingerprint 64 lower-case hex digits
   */
  public record Fingerprint(String function, String fingerprint) {
    public Fingerprint {
      Objects.requireNonNull(function, "function");
      Objects.requireNonNull(fingerprint, "fingerprint");
    }

    /** A sha256 fingerprint. */
    public static Fingerprint sha256(String hex) {
      return new Fingerprint("sha256", hex);
    }
  }

  /**
   * iocage's {@code devfs_ruleset}: device path patterns to add to the jail's devfs ruleset and
   * rulesets to include.
   *
   * @param paths devfs path pattern ({@code bpf*}, {@code dri/*}) to the rule action; empty (JSON
   *     {@code null}) means {@code unhide}
   * @param includes rulesets to include, by number or {@code $name}
   */
  public record DevfsRuleset(Map<String, Optional<String>> paths, List<String> includes) {
    public DevfsRuleset {
      paths = ordered(paths);
      includes = List.copyOf(includes);
    }
  }

  public PluginManifest(
      String name,
      String release,
      String artifact,
      Optional<String> artifactRef,
      Optional<String> artifactBundle,
      List<String> pkgs,
      String packagesite,
      Map<String, List<Fingerprint>> fingerprints,
      Map<String, String> properties,
      boolean official,
      int revision,
      Optional<DevfsRuleset> devfsRuleset,
      List<String> kmods,
      Map<String, JsonNode> extra) {
    this.name = Objects.requireNonNull(name, "name");
    this.release = Objects.requireNonNull(release, "release");
    this.artifact = Objects.requireNonNull(artifact, "artifact");
    this.artifactRef = Objects.requireNonNull(artifactRef, "artifactRef");
    this.artifactBundle = Objects.requireNonNull(artifactBundle, "artifactBundle");
    this.pkgs = List.copyOf(pkgs);
    this.packagesite = Objects.requireNonNull(packagesite, "packagesite");
    Map<String, List<Fingerprint>> repos = new LinkedHashMap<>();
    fingerprints.forEach((repo, list) -> repos.put(repo, List.copyOf(list)));
    this.fingerprints = ordered(repos);
    this.properties = ordered(properties);
    this.official = official;
    this.revision = revision;
    this.devfsRuleset = Objects.requireNonNull(devfsRuleset, "devfsRuleset");
    this.kmods = List.copyOf(kmods);
    Map<String, JsonNode> copies = new LinkedHashMap<>();
    extra.forEach((key, value) -> copies.put(key, CatalogJson.canonical(value)));
    this.extra = ordered(copies);
    try {
      validate();
    } catch (InvalidFieldException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Unknown keys and their values (copies: changing them does not change this manifest). */
  @Override
  public Map<String, JsonNode> extra() {
    Map<String, JsonNode> copies = new LinkedHashMap<>();
    extra.forEach((key, value) -> copies.put(key, value.deepCopy()));
    return Collections.unmodifiableMap(copies);
  }

  /**
   * This manifest with its artifact pinned to {@code commit}, optionally published as a git bundle
   * target.
   */
  public PluginManifest withArtifactPin(String commit, Optional<String> bundleTarget) {
    return new PluginManifest(
        name,
        release,
        artifact,
        Optional.of(commit),
        bundleTarget,
        pkgs,
        packagesite,
        fingerprints,
        properties,
        official,
        revision,
        devfsRuleset,
        kmods,
        extra);
  }

  /** Parses manifest bytes (UTF-8 JSON), normalising iocage's quirks with a warning for each. */
  public static Parsed<PluginManifest> parse(byte[] json) throws CatalogException {
    ObjectNode root = CatalogJson.readObject(json, MAX_BYTES, DOCUMENT);
    FieldReader r = new FieldReader(DOCUMENT, HINT);
    String name = null;
    String release = null;
    String artifact = null;
    Optional<String> artifactRef = Optional.empty();
    Optional<String> artifactBundle = Optional.empty();
    List<String> pkgs = null;
    String packagesite = null;
    Map<String, List<Fingerprint>> fingerprints = null;
    Map<String, String> properties = Map.of();
    boolean official = false;
    int revision = 0;
    Optional<DevfsRuleset> devfs = Optional.empty();
    List<String> kmods = List.of();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      String at = CatalogJson.child("$", key);
      switch (key) {
        case "name" -> name = r.string(value, at);
        case "release" -> release = r.string(value, at);
        case "artifact" -> artifact = r.string(value, at);
        case "artifact_ref" -> artifactRef = Optional.of(lowerHex(r, value, at, 40));
        case "artifact_bundle" -> artifactBundle = Optional.of(r.string(value, at));
        case "pkgs" -> pkgs = r.strings(value, at);
        case "packagesite" -> packagesite = r.string(value, at);
        case "fingerprints" -> fingerprints = readFingerprints(r, value, at);
        case "properties" -> properties = readProperties(r, value, at);
        case "official" -> official = r.bool(value, at);
        case "revision" -> revision = r.nonNegativeInt(value, at);
        case "devfs_ruleset" -> devfs = Optional.of(readDevfs(r, value, at));
        case "kmods" -> {
          kmods = r.strings(value, at);
          if (!kmods.isEmpty()) {
            r.warn(
                at,
                "asks to load kernel modules "
                    + String.join(", ", kmods)
                    + " on the host; review before installing");
          }
        }
        default -> {
          r.unknown(at, key, KEYS, NOTES);
          extra.put(key, value);
        }
      }
    }
    if (name == null) {
      throw r.missing(root, "$", "name", "a string");
    }
    if (release == null) {
      throw r.missing(root, "$", "release", "a FreeBSD release name such as 13.2-RELEASE");
    }
    if (pkgs == null) {
      throw r.missing(root, "$", "pkgs", "an array of package names");
    }
    if (packagesite == null) {
      throw r.missing(root, "$", "packagesite", "a pkg repository URL");
    }
    if (fingerprints == null) {
      throw r.missing(root, "$", "fingerprints", "an object of repository name to fingerprints");
    }
    if (artifact == null) {
      throw r.missing(root, "$", "artifact", "a git URL, or \"\" for none");
    }
    try {
      PluginManifest manifest =
          new PluginManifest(
              name,
              release,
              artifact,
              artifactRef,
              artifactBundle,
              pkgs,
              packagesite,
              fingerprints,
              properties,
              official,
              revision,
              devfs,
              kmods,
              extra);
      return new Parsed<>(manifest, r.warnings());
    } catch (IllegalArgumentException e) {
      throw InvalidFieldException.from(e);
    }
  }

  /** The canonical manifest: normalised values, fixed key order, unknown keys last; UTF-8. */
  public byte[] toJson() {
    ObjectNode o = CatalogJson.nodes().objectNode();
    o.put("name", name);
    o.put("release", release);
    o.put("artifact", artifact);
    artifactRef.ifPresent(v -> o.put("artifact_ref", v));
    artifactBundle.ifPresent(v -> o.put("artifact_bundle", v));
    o.put("official", official);
    if (!properties.isEmpty()) {
      ObjectNode p = o.putObject("properties");
      properties.forEach(
          (k, v) -> {
            if (Checks.CANONICAL_INTEGER.matcher(v).matches()) {
              p.put(k, Long.parseLong(v));
            } else {
              p.put(k, v);
            }
          });
    }
    devfsRuleset.ifPresent(
        d -> {
          ObjectNode devfs = o.putObject("devfs_ruleset");
          ObjectNode paths = devfs.putObject("paths");
          d.paths()
              .forEach(
                  (k, v) ->
                      v.ifPresentOrElse(action -> paths.put(k, action), () -> paths.putNull(k)));
          ArrayNode includes = devfs.putArray("includes");
          d.includes().forEach(includes::add);
        });
    if (!kmods.isEmpty()) {
      ArrayNode k = o.putArray("kmods");
      kmods.forEach(k::add);
    }
    ArrayNode p = o.putArray("pkgs");
    pkgs.forEach(p::add);
    o.put("packagesite", packagesite);
    ObjectNode f = o.putObject("fingerprints");
    fingerprints.forEach(
        (repo, list) -> {
          ArrayNode a = f.putArray(repo);
          list.forEach(
              fp ->
                  a.addObject()
                      .put("function", fp.function())
                      .put("fingerprint", fp.fingerprint()));
        });
    o.put("revision", revision);
    extra.forEach((k, v) -> o.set(k, v.deepCopy()));
    return CatalogJson.write(o);
  }

  private void validate() throws InvalidFieldException {
    Checks.text(name, Checks.MAX_NAME, false, DOCUMENT, "$.name", HINT);
    if (name.isBlank()) {
      throw new InvalidFieldException(
          DOCUMENT, "$.name", "a non-empty name", Checks.quote(name), HINT);
    }
    Checks.matches(
        Checks.RELEASE,
        release,
        DOCUMENT,
        "$.release",
        "a FreeBSD release name",
        "use one such as 13.2-RELEASE");
    if (!artifact.isEmpty()) {
      gitUrl(artifact, "$.artifact");
    }
    if (artifactRef.isPresent()) {
      Checks.matches(
          Checks.COMMIT_ID,
          artifactRef.get(),
          DOCUMENT,
          "$.artifact_ref",
          "a full commit id of 40 hex digits",
          "pin the artifact to the commit `git rev-parse HEAD` prints, never a branch or tag");
      if (artifact.isEmpty() && artifactBundle.isEmpty()) {
        throw new InvalidFieldException(
            DOCUMENT,
            "$.artifact_ref",
            "an artifact (git URL) or artifact_bundle holding the pinned commit",
            "neither",
            "set artifact or artifact_bundle, or drop artifact_ref");
      }
    }
    if (artifactBundle.isPresent()) {
      Checks.targetPath(
          artifactBundle.get(),
          DOCUMENT,
          "$.artifact_bundle",
          "name the bundle's target as the registry publishes it");
      if (artifactRef.isEmpty()) {
        throw new InvalidFieldException(
            DOCUMENT,
            "$.artifact_bundle",
            "artifact_ref, the commit the bundle holds, beside it",
            "no artifact_ref",
            "add artifact_ref with the bundled commit id");
      }
    }
    for (int i = 0; i < pkgs.size(); i++) {
      Checks.matches(
          Checks.PKG,
          pkgs.get(i),
          DOCUMENT,
          CatalogJson.index("$.pkgs", i),
          "a package name (nginx) or origin (www/nginx): letters, digits, '.', '_', '+', '-'",
          "list one package per entry, without spaces, options or shell syntax");
    }
    if (packagesite.startsWith("file:")) {
      throw new InvalidFieldException(
          DOCUMENT,
          "$.packagesite",
          "an http(s) pkg repository URL",
          Checks.quote(packagesite),
          "a file: repository would read the installing host's files");
    }
    if (packagesite.length() > Checks.MAX_URL
        || !Checks.PACKAGESITE.matcher(packagesite).matches()) {
      throw new InvalidFieldException(
          DOCUMENT,
          "$.packagesite",
          "an http(s) or pkg+http(s) URL without spaces, quotes or backslashes (${ABI} allowed)",
          Checks.quote(packagesite),
          "it is written into the jail's pkg repository configuration");
    }
    if (fingerprints.isEmpty()) {
      throw new InvalidFieldException(
          DOCUMENT,
          "$.fingerprints",
          "at least one pkg repository",
          "none",
          "pkg(8) refuses to install from a repository it has no fingerprint for");
    }
    for (Map.Entry<String, List<Fingerprint>> repo : fingerprints.entrySet()) {
      String at = CatalogJson.child("$.fingerprints", repo.getKey());
      Checks.matches(
          Checks.FILE_NAME,
          repo.getKey(),
          DOCUMENT,
          at,
          "a repository name of letters, digits, '.', '_', '-' (not starting with '.' or '-')",
          "the name becomes a file name under /usr/local/etc/pkg in the jail");
      if (repo.getValue().isEmpty()) {
        throw new InvalidFieldException(
            DOCUMENT,
            at,
            "at least one fingerprint",
            "an empty array",
            "pkg(8) refuses to install from a repository it has no fingerprint for");
      }
      for (int i = 0; i < repo.getValue().size(); i++) {
        Fingerprint fp = repo.getValue().get(i);
        String fpAt = CatalogJson.index(at, i);
        if (!fp.function().equals("sha256")) {
          throw new InvalidFieldException(
              DOCUMENT,
              fpAt + ".function",
              "\"sha256\"",
              Checks.quote(fp.function()),
              "pkg(8) fingerprints are sha256 of the repository's public key");
        }
        Checks.matches(
            Checks.SHA256_HEX,
            fp.fingerprint(),
            DOCUMENT,
            fpAt + ".fingerprint",
            "a sha256 of 64 hex digits",
            "copy it from the repository's fingerprint file");
      }
    }
    for (Map.Entry<String, String> p : properties.entrySet()) {
      String at = CatalogJson.child("$.properties", p.getKey());
      Checks.matches(
          Checks.PROPERTY_KEY,
          p.getKey(),
          DOCUMENT,
          at,
          "a property name of letters, digits and '_' (such as nat_forwards)",
          HINT);
      Checks.text(p.getValue(), Checks.MAX_URL, false, DOCUMENT, at, HINT);
    }
    if (revision < 0) {
      throw new InvalidFieldException(
          DOCUMENT, "$.revision", "an integer from 0", String.valueOf(revision), HINT);
    }
    if (devfsRuleset.isPresent()) {
      for (Map.Entry<String, Optional<String>> p : devfsRuleset.get().paths().entrySet()) {
        String at = CatalogJson.child("$.devfs_ruleset.paths", p.getKey());
        if (!Checks.DEVFS_PATH.matcher(p.getKey()).matches() || p.getKey().contains("..")) {
          throw new InvalidFieldException(
              DOCUMENT,
              at,
              "a devfs path pattern such as bpf* or dri/* (no '..', no leading '/')",
              Checks.quote(p.getKey()),
              HINT);
        }
        if (p.getValue().isPresent()) {
          Checks.matches(
              Checks.DEVFS_ACTION,
              p.getValue().get(),
              DOCUMENT,
              at,
              "null (unhide) or a devfs rule action such as \"mode 0660\"",
              HINT);
        }
      }
      List<String> includes = devfsRuleset.get().includes();
      for (int i = 0; i < includes.size(); i++) {
        Checks.matches(
            Checks.DEVFS_INCLUDE,
            includes.get(i),
            DOCUMENT,
            CatalogJson.index("$.devfs_ruleset.includes", i),
            "a devfs ruleset number or $name such as $devfsrules_jail",
            HINT);
      }
    }
    for (int i = 0; i < kmods.size(); i++) {
      String kmod = kmods.get(i);
      if (!Checks.KMOD.matcher(kmod).matches() || kmod.contains("..")) {
        throw new InvalidFieldException(
            DOCUMENT,
            CatalogJson.index("$.kmods", i),
            "a kernel module name such as linux64 (no '/', no '..')",
            Checks.quote(kmod),
            "kldload(8) would load a file by path");
      }
    }
    for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
      String at = CatalogJson.child("$", e.getKey());
      if (KEYS.contains(e.getKey())) {
        throw new InvalidFieldException(
            DOCUMENT,
            at,
            "an unknown key in extra",
            "the known key " + Checks.quote(e.getKey()),
            "set the record component instead");
      }
      Checks.text(e.getKey(), Checks.MAX_NAME, false, DOCUMENT, at, HINT);
    }
  }

  private static void gitUrl(String url, String at) throws InvalidFieldException {
    if (url.startsWith("file:")) {
      throw new InvalidFieldException(
          DOCUMENT,
          at,
          "an https, http, git or ssh git URL",
          Checks.quote(url),
          "a file: artifact would copy the installing host's files;"
              + " publish the artifact as a git bundle (artifact_bundle) instead");
    }
    if (url.length() > Checks.MAX_URL || !Checks.GIT_URL.matcher(url).matches()) {
      throw new InvalidFieldException(
          DOCUMENT,
          at,
          "an https, http, git or ssh git URL without spaces or quotes, or \"\" for no artifact",
          Checks.quote(url),
          HINT);
    }
  }

  private static String lowerHex(FieldReader r, JsonNode value, String at, int length)
      throws InvalidFieldException {
    String text = r.string(value, at);
    if (text.length() == length
        && HEX.matcher(text).matches()
        && !text.equals(text.toLowerCase(Locale.ROOT))) {
      r.warn(at, "upper-case hex read as lower-case");
      return text.toLowerCase(Locale.ROOT);
    }
    return text;
  }

  private static Map<String, List<Fingerprint>> readFingerprints(
      FieldReader r, JsonNode value, String at) throws InvalidFieldException {
    Map<String, List<Fingerprint>> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> repo : r.object(value, at).properties()) {
      String repoAt = CatalogJson.child(at, repo.getKey());
      JsonNode list = repo.getValue();
      if (!list.isArray()) {
        throw r.invalid(repoAt, "an array of {\"function\", \"fingerprint\"} objects", list);
      }
      List<Fingerprint> fps = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        String itemAt = CatalogJson.index(repoAt, i);
        if (!list.get(i).isObject()) {
          throw r.invalid(itemAt, "an object {\"function\", \"fingerprint\"}", list.get(i));
        }
        ObjectNode item = (ObjectNode) list.get(i);
        if (!item.has("function")) {
          throw r.missing(item, itemAt, "function", "\"sha256\"");
        }
        if (!item.has("fingerprint")) {
          throw r.missing(item, itemAt, "fingerprint", "64 hex digits");
        }
        String function = r.string(item.get("function"), itemAt + ".function");
        String fingerprint = lowerHex(r, item.get("fingerprint"), itemAt + ".fingerprint", 64);
        for (String key : (Iterable<String>) item::fieldNames) {
          if (!key.equals("function") && !key.equals("fingerprint")) {
            r.unknown(
                CatalogJson.child(itemAt, key), key, List.of("function", "fingerprint"), Map.of());
          }
        }
        fps.add(new Fingerprint(function, fingerprint));
      }
      out.put(repo.getKey(), fps);
    }
    return out;
  }

  private static Map<String, String> readProperties(FieldReader r, JsonNode value, String at)
      throws InvalidFieldException {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> p : r.object(value, at).properties()) {
      String pAt = CatalogJson.child(at, p.getKey());
      JsonNode v = p.getValue();
      String text;
      if (v.isTextual()) {
        text = v.textValue();
        if (Checks.CANONICAL_INTEGER.matcher(text).matches()) {
          r.warn(pAt, "string " + Checks.quote(text) + " read as number " + text);
        }
      } else if (v.isIntegralNumber()) {
        text = v.bigIntegerValue().toString();
        if (!Checks.CANONICAL_INTEGER.matcher(text).matches()) {
          r.warn(pAt, "number " + text + " read as string " + Checks.quote(text));
        }
      } else if (v.isNumber()) {
        text = v.decimalValue().toPlainString();
        r.warn(pAt, "number " + v.asText() + " read as string " + Checks.quote(text));
      } else if (v.isBoolean()) {
        text = v.booleanValue() ? "1" : "0";
        r.warn(pAt, "boolean " + v.booleanValue() + " read as number " + text);
      } else {
        throw r.invalid(pAt, "a string, number or boolean", v);
      }
      out.put(p.getKey(), text);
    }
    return out;
  }

  private static DevfsRuleset readDevfs(FieldReader r, JsonNode value, String at)
      throws InvalidFieldException {
    ObjectNode o = r.object(value, at);
    if (!o.has("paths")) {
      throw r.missing(o, at, "paths", "an object of devfs path pattern to null or a rule action");
    }
    Map<String, Optional<String>> paths = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> p : r.object(o.get("paths"), at + ".paths").properties()) {
      JsonNode v = p.getValue();
      if (v.isNull()) {
        paths.put(p.getKey(), Optional.empty());
      } else if (v.isTextual()) {
        paths.put(p.getKey(), Optional.of(v.textValue()));
      } else {
        throw r.invalid(
            CatalogJson.child(at + ".paths", p.getKey()),
            "null (unhide) or a devfs rule action string",
            v);
      }
    }
    List<String> includes =
        o.has("includes") ? r.strings(o.get("includes"), at + ".includes") : List.of();
    for (String key : (Iterable<String>) o::fieldNames) {
      if (!key.equals("paths") && !key.equals("includes")) {
        r.unknown(CatalogJson.child(at, key), key, List.of("paths", "includes"), Map.of());
      }
    }
    r.warn(
        at,
        "asks for host devices "
            + String.join(", ", paths.keySet())
            + " to be visible in the jail"
            + (includes.isEmpty()
                ? ""
                : " and includes devfs rulesets " + String.join(", ", includes))
            + "; review before installing");
    return new DevfsRuleset(paths, includes);
  }

  private static <K, V> Map<K, V> ordered(Map<K, V> map) {
    Map<K, V> copy = new LinkedHashMap<>();
    map.forEach(
        (k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
    return Collections.unmodifiableMap(copy);
  }
}
