package org.warder.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A plugin INDEX in iocage's format (a JSON object of plugin id to entry, as in {@code
 * ix-plugin-hub/iocage-plugin-index}), plus warder's {@code manifest_target}; immutable and
 * thread-safe.
 *
 * <p>{@link #parse} applies the same discipline as {@link PluginManifest#parse}: iocage's spellings
 * are normalised with a {@link CatalogWarning} ({@code official} as a string, a missing or empty
 * {@code primary_pkg} read as null, unknown keys kept in {@link Entry#extra} but not used), and
 * what cannot be used safely is refused with the JSON path: plugin ids and {@code MANIFEST} names
 * that are not plain file names (ids become file names and target paths), a {@code manifest_target}
 * that is absolute or has a {@code ..} segment, missing required keys (iocage's {@code
 * index.schema}: MANIFEST, name, icon, description, official), documents over {@link #MAX_BYTES}.
 * The canonical constructor enforces the same rules.
 *
 * @param entries plugin id to entry, in document order
 */
public record PluginIndex(Map<String, Entry> entries) {
  /** Larger INDEX files are refused unread; the 74-plugin ix-plugin-hub INDEX is 25 KiB. */
  public static final int MAX_BYTES = 8 * 1024 * 1024;

  static final String DOCUMENT = "plugin INDEX";
  private static final String HINT = "fix the INDEX (or ask its publisher to)";

  /** The keys an entry's model reads, in the order {@link #toJson} writes them. */
  private static final List<String> KEYS =
      List.of(
          "MANIFEST",
          "name",
          "icon",
          "description",
          "official",
          "primary_pkg",
          "category",
          "homepage",
          "maintainer",
          "license",
          "manifest_target");

  /**
   * One plugin of the INDEX.
   *
   * @param manifest the manifest's file name beside the INDEX ({@code MANIFEST}, e.g. {@code
   *     nextcloud.json})
   * @param name display name
   * @param icon icon URL
   * @param description one-paragraph description
   * @param official the index's own "official" flag (independent of the manifest's)
   * @param primaryPkg the package whose version is the plugin's version; iocage falls back to the
   *     id
   * @param category listing category, e.g. {@code networking}
   * @param homepage project home page URL
   * @param maintainer maintainer, e.g. {@code iXsystems <dev@ixsystems.com>}
   * @param license URL of a licence text iocage asks the user to accept
   * @param manifestTarget warder: the manifest's registry target path
   * @param extra unknown keys, kept and written back unchanged
   */
  public record Entry(
      String manifest,
      String name,
      String icon,
      String description,
      boolean official,
      Optional<String> primaryPkg,
      Optional<String> category,
      Optional<String> homepage,
      Optional<String> maintainer,
      Optional<String> license,
      Optional<String> manifestTarget,
      Map<String, JsonNode> extra) {
    public Entry {
      Objects.requireNonNull(manifest, "manifest");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(icon, "icon");
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(primaryPkg, "primaryPkg");
      Objects.requireNonNull(category, "category");
      Objects.requireNonNull(homepage, "homepage");
      Objects.requireNonNull(maintainer, "maintainer");
      Objects.requireNonNull(license, "license");
      Objects.requireNonNull(manifestTarget, "manifestTarget");
      Map<String, JsonNode> copies = new LinkedHashMap<>();
      extra.forEach((k, v) -> copies.put(Objects.requireNonNull(k), CatalogJson.canonical(v)));
      extra = Collections.unmodifiableMap(copies);
    }

    /** Unknown keys and their values (copies: changing them does not change this entry). */
    @Override
    public Map<String, JsonNode> extra() {
      Map<String, JsonNode> copies = new LinkedHashMap<>();
      extra.forEach((k, v) -> copies.put(k, v.deepCopy()));
      return Collections.unmodifiableMap(copies);
    }
  }

  public PluginIndex {
    Map<String, Entry> copy = new LinkedHashMap<>();
    entries.forEach(
        (id, e) -> copy.put(Objects.requireNonNull(id, "id"), Objects.requireNonNull(e, "entry")));
    entries = Collections.unmodifiableMap(copy);
    try {
      validate(entries);
    } catch (InvalidFieldException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The entry of plugin {@code id} (exact match), if listed. */
  public Optional<Entry> entry(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  /** Parses INDEX bytes (UTF-8 JSON), normalising iocage's quirks with a warning for each. */
  public static Parsed<PluginIndex> parse(byte[] json) throws CatalogException {
    ObjectNode root = CatalogJson.readObject(json, MAX_BYTES, DOCUMENT);
    FieldReader r = new FieldReader(DOCUMENT, HINT);
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> plugin : root.properties()) {
      String at = CatalogJson.child("$", plugin.getKey());
      entries.put(plugin.getKey(), readEntry(r, r.object(plugin.getValue(), at), at));
    }
    try {
      return new Parsed<>(new PluginIndex(entries), r.warnings());
    } catch (IllegalArgumentException e) {
      throw InvalidFieldException.from(e);
    }
  }

  /**
   * The canonical INDEX: entries in order, each with its keys in a fixed order, unknown keys last;
   * UTF-8.
   */
  public byte[] toJson() {
    ObjectNode root = CatalogJson.nodes().objectNode();
    entries.forEach(
        (id, e) -> {
          ObjectNode o = root.putObject(id);
          o.put("MANIFEST", e.manifest());
          o.put("name", e.name());
          o.put("icon", e.icon());
          o.put("description", e.description());
          o.put("official", e.official());
          e.primaryPkg()
              .ifPresentOrElse(v -> o.put("primary_pkg", v), () -> o.putNull("primary_pkg"));
          e.category().ifPresent(v -> o.put("category", v));
          e.homepage().ifPresent(v -> o.put("homepage", v));
          e.maintainer().ifPresent(v -> o.put("maintainer", v));
          e.license().ifPresent(v -> o.put("license", v));
          e.manifestTarget().ifPresent(v -> o.put("manifest_target", v));
          e.extra.forEach((k, v) -> o.set(k, v.deepCopy()));
        });
    return CatalogJson.write(root);
  }

  private static Entry readEntry(FieldReader r, ObjectNode o, String at)
      throws InvalidFieldException {
    String manifest = null;
    String name = null;
    String icon = null;
    String description = null;
    Boolean official = null;
    Optional<String> primaryPkg = Optional.empty();
    boolean primaryPkgSeen = false;
    Optional<String> category = Optional.empty();
    Optional<String> homepage = Optional.empty();
    Optional<String> maintainer = Optional.empty();
    Optional<String> license = Optional.empty();
    Optional<String> manifestTarget = Optional.empty();
    Map<String, JsonNode> extra = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : o.properties()) {
      String key = field.getKey();
      JsonNode value = field.getValue();
      String fieldAt = CatalogJson.child(at, key);
      switch (key) {
        case "MANIFEST" -> manifest = r.string(value, fieldAt);
        case "name" -> name = r.string(value, fieldAt);
        case "icon" -> icon = r.string(value, fieldAt);
        case "description" -> description = r.string(value, fieldAt);
        case "official" -> official = r.bool(value, fieldAt);
        case "primary_pkg" -> {
          primaryPkgSeen = true;
          if (!value.isNull()) {
            if (!value.isTextual()) {
              throw r.invalid(fieldAt, "a package name or null", value);
            }
            if (value.textValue().isEmpty()) {
              // iocage reads primary_pkg as `primary_pkg or plugin_id`: "" and null mean the same.
              r.warn(fieldAt, "empty string read as null");
            } else {
              primaryPkg = Optional.of(value.textValue());
            }
          }
        }
        case "category" -> category = Optional.of(r.string(value, fieldAt));
        case "homepage" -> homepage = Optional.of(r.string(value, fieldAt));
        case "maintainer" -> maintainer = Optional.of(r.string(value, fieldAt));
        case "license" -> license = Optional.of(r.string(value, fieldAt));
        case "manifest_target" -> manifestTarget = Optional.of(r.string(value, fieldAt));
        default -> {
          r.unknown(fieldAt, key, KEYS, Map.of());
          extra.put(key, value);
        }
      }
    }
    if (manifest == null) {
      throw r.missing(o, at, "MANIFEST", "the manifest's file name");
    }
    if (name == null) {
      throw r.missing(o, at, "name", "a string");
    }
    if (icon == null) {
      throw r.missing(o, at, "icon", "an icon URL");
    }
    if (description == null) {
      throw r.missing(o, at, "description", "a string");
    }
    if (official == null) {
      throw r.missing(o, at, "official", "true or false");
    }
    if (!primaryPkgSeen) {
      r.warn(CatalogJson.child(at, "primary_pkg"), "missing, read as null");
    }
    return new Entry(
        manifest,
        name,
        icon,
        description,
        official,
        primaryPkg,
        category,
        homepage,
        maintainer,
        license,
        manifestTarget,
        extra);
  }

  private static void validate(Map<String, Entry> entries) throws InvalidFieldException {
    Map<String, String> folded = new HashMap<>();
    for (Map.Entry<String, Entry> plugin : entries.entrySet()) {
      String id = plugin.getKey();
      String at = CatalogJson.child("$", id);
      Checks.matches(
          Checks.FILE_NAME,
          id,
          DOCUMENT,
          at,
          "a plugin id of letters, digits, '.', '_', '-' (not starting with '.' or '-'), at most 64",
          "the id becomes a file name and a registry target path");
      String clash = folded.putIfAbsent(id.toLowerCase(Locale.ROOT), id);
      if (clash != null) {
        throw new InvalidFieldException(
            DOCUMENT,
            at,
            "plugin ids that differ in more than letter case",
            Checks.quote(id) + " and " + Checks.quote(clash),
            "ids become file names, which collide on case-insensitive file systems");
      }
      Entry e = plugin.getValue();
      Checks.matches(
          Checks.MANIFEST_FILE,
          e.manifest(),
          DOCUMENT,
          at + ".MANIFEST",
          "a plain file name such as nextcloud.json (no '/', not starting with '.')",
          "MANIFEST names a file beside the INDEX");
      Checks.text(e.name(), Checks.MAX_NAME, false, DOCUMENT, at + ".name", HINT);
      if (e.name().isBlank()) {
        throw new InvalidFieldException(
            DOCUMENT, at + ".name", "a non-empty name", Checks.quote(e.name()), HINT);
      }
      Checks.text(e.icon(), Checks.MAX_URL, false, DOCUMENT, at + ".icon", HINT);
      Checks.text(e.description(), Checks.MAX_TEXT, true, DOCUMENT, at + ".description", HINT);
      if (e.primaryPkg().isPresent()) {
        Checks.matches(
            Checks.PKG,
            e.primaryPkg().get(),
            DOCUMENT,
            at + ".primary_pkg",
            "a package name (nginx) or origin (www/nginx), or null",
            HINT);
      }
      text(e.category(), Checks.MAX_NAME, at + ".category");
      text(e.homepage(), Checks.MAX_URL, at + ".homepage");
      text(e.maintainer(), Checks.MAX_URL, at + ".maintainer");
      text(e.license(), Checks.MAX_URL, at + ".license");
      if (e.manifestTarget().isPresent()) {
        Checks.targetPath(
            e.manifestTarget().get(),
            DOCUMENT,
            at + ".manifest_target",
            "name the manifest's target as the registry publishes it");
      }
      for (String key : e.extra.keySet()) {
        String keyAt = CatalogJson.child(at, key);
        if (KEYS.contains(key)) {
          throw new InvalidFieldException(
              DOCUMENT,
              keyAt,
              "an unknown key in extra",
              "the known key " + Checks.quote(key),
              "set the record component instead");
        }
        Checks.text(key, Checks.MAX_NAME, false, DOCUMENT, keyAt, HINT);
      }
    }
  }

  private static void text(Optional<String> value, int max, String at)
      throws InvalidFieldException {
    if (value.isPresent()) {
      Checks.text(value.get(), max, false, DOCUMENT, at, HINT);
    }
  }
}
