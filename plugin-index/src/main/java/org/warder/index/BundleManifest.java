package org.warder.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code bundle.json} that opens every export bundle (DESIGN §6): what the bundle holds (a jail
 * or a template, its name, release and {@code config.json}), how (the storage format of its root
 * and the compression of its members), and each member's name, length and sha256, so that an
 * importer verifies every byte before anything becomes visible. Immutable and thread-safe.
 *
 * <p>The members a bundle may hold, in this order:
 *
 * <ul>
 *   <li>{@code files.tar}: the jail directory's own files (config.json, plugin records), never its
 *       root;
 *   <li>{@code root.zfs[.zst|.xz]}: a {@code zfs send} stream of the root (format {@code zfs}), or
 *       {@code root.tar[.zst|.xz]}: the root as a pax tar (format {@code tar});
 *   <li>{@code deleted.list}: for an incremental {@code tar} bundle, the paths (NUL-terminated)
 *       removed since the base.
 * </ul>
 *
 * <p>{@link #parse} refuses what an importer cannot use safely, with the JSON path: member names
 * other than those (names with {@code ..}, {@code /} or absolute paths included), members given
 * twice or missing, lengths that are negative or absurd, digests that are not 64 hex digits, names
 * that are not jail names, an unknown kind, format or compression, documents over {@link
 * #MAX_BYTES}. Unknown keys are kept out of the model with a warning.
 *
 * @param kind {@code jail} or {@code template}
 * @param name the jail's name on the exporting host
 * @param release the release it was built from ({@code EMPTY} for an empty jail)
 * @param format how the root travels
 * @param compression how the root member is compressed
 * @param created when the bundle was made
 * @param snapshot the ZFS snapshot the root stream ends at (format {@code zfs}), or a label of the
 *     tree's state
 * @param base for an incremental bundle: the snapshot (tag) it builds on, which the importer must
 *     hold
 * @param config the jail's {@code config.json} object
 * @param members the members in stream order
 */
public record BundleManifest(
    Kind kind,
    String name,
    String release,
    Format format,
    Compression compression,
    Instant created,
    String snapshot,
    Optional<String> base,
    ObjectNode config,
    List<Member> members) {
  /** A bundle.json above this is refused unread; a jail's config.json is a few KiB. */
  public static final int MAX_BYTES = 1024 * 1024;

  /** The name of the first member. */
  public static final String FILE_NAME = "bundle.json";

  /** The member holding the jail directory's own files. */
  public static final String FILES = "files.tar";

  /** The member listing the paths an incremental tar bundle removes. */
  public static final String DELETED = "deleted.list";

  /** Lengths above 1 PiB are refused: no jail is that large, a hostile document may say so. */
  public static final long MAX_LENGTH = 1L << 50;

  static final String DOCUMENT = "bundle.json";
  private static final String HINT = "the bundle is damaged or was not made by warder export";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SNAPSHOT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final List<String> KEYS =
      List.of(
          "bundle_version",
          "kind",
          "name",
          "release",
          "format",
          "compression",
          "created",
          "snapshot",
          "base",
          "config",
          "members");

  /** What the bundle holds. */
  public enum Kind {
    JAIL,
    TEMPLATE
  }

  /**
   * How the root travels: ZFS send streams (fast, incremental, ZFS hosts only) or a portable tar.
   */
  public enum Format {
    ZFS,
    TAR;

    /** {@code root.zfs} or {@code root.tar}, before the compression suffix. */
    public String rootMember() {
      return "root." + label();
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The format whose {@link #label} is {@code label}, if it is one. */
    public static Optional<Format> of(String label) {
      return java.util.Arrays.stream(values()).filter(f -> f.label().equals(label)).findFirst();
    }
  }

  /** The compression of the root member. */
  public enum Compression {
    ZSTD(".zst"),
    XZ(".xz"),
    NONE("");

    private final String suffix;

    Compression(String suffix) {
      this.suffix = suffix;
    }

    /** The member name suffix: {@code .zst}, {@code .xz} or nothing. */
    public String suffix() {
      return suffix;
    }

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One member of the bundle.
   *
   * @param name its name in the bundle
   * @param length its exact length in bytes
   * @param sha256 its sha256, lower-case hex
   */
  public record Member(String name, long length, String sha256) {
    public Member {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(sha256, "sha256");
      if (length < 0 || length > MAX_LENGTH) {
        throw new IllegalArgumentException("member length out of range: " + length);
      }
      if (!SHA256.matcher(sha256).matches()) {
        throw new IllegalArgumentException("expected 64 lower-case hex digits, found " + sha256);
      }
    }
  }

  public BundleManifest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(compression, "compression");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(base, "base");
    config = config.deepCopy();
    members = List.copyOf(members);
    try {
      validate(name, release, format, compression, snapshot, base, members);
    } catch (InvalidFieldException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The jail's config.json object (a copy). */
  @Override
  public ObjectNode config() {
    return config.deepCopy();
  }

  /** The name of the member holding the root: {@code root.zfs.zst}, {@code root.tar}, ... */
  public String rootMember() {
    return format.rootMember() + compression.suffix();
  }

  /** Whether the bundle holds only the difference against {@link #base}. */
  public boolean incremental() {
    return base.isPresent();
  }

  /** The member names this kind of bundle holds, in order. */
  public static List<String> expectedMembers(
      Format format, Compression compression, boolean incremental) {
    List<String> names =
        new ArrayList<>(List.of(FILES, format.rootMember() + compression.suffix()));
    if (incremental && format == Format.TAR) {
      names.add(DELETED);
    }
    return names;
  }

  /** Parses bundle.json bytes, refusing anything an importer cannot use safely. */
  public static Parsed<BundleManifest> parse(byte[] json) throws CatalogException {
    ObjectNode root = CatalogJson.readObject(json, MAX_BYTES, DOCUMENT);
    FieldReader r = new FieldReader(DOCUMENT, HINT);
    for (String key :
        List.of(
            "bundle_version",
            "kind",
            "name",
            "release",
            "format",
            "compression",
            "created",
            "snapshot",
            "config",
            "members")) {
      if (!root.has(key)) {
        throw r.missing(root, "$", key, "see the bundle format in the README");
      }
    }
    root.fieldNames()
        .forEachRemaining(
            k -> {
              if (!KEYS.contains(k)) {
                r.unknown("$", k, KEYS, Map.of());
              }
            });
    int version = r.nonNegativeInt(root.get("bundle_version"), "$.bundle_version");
    if (version != 1) {
      throw r.invalid(
          "$.bundle_version",
          "1 (the only bundle version this warder reads; a newer warder may read it)",
          root.get("bundle_version"));
    }
    Kind kind = choice(r, root, "kind", Kind.values());
    Format format = choice(r, root, "format", Format.values());
    Compression compression = choice(r, root, "compression", Compression.values());
    Instant created;
    try {
      created = Instant.parse(r.string(root.get("created"), "$.created"));
    } catch (DateTimeParseException e) {
      throw r.invalid(
          "$.created", "an ISO-8601 instant like 2026-11-29T12:00:00Z", root.get("created"));
    }
    Optional<String> base =
        root.has("base") && !root.get("base").isNull()
            ? Optional.of(r.string(root.get("base"), "$.base"))
            : Optional.empty();
    ObjectNode config = r.object(root.get("config"), "$.config");
    JsonNode list = root.get("members");
    if (!list.isArray()) {
      throw r.invalid("$.members", "an array of members", list);
    }
    List<Member> members = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String at = CatalogJson.index("$.members", i);
      ObjectNode m = r.object(list.get(i), at);
      for (String key : List.of("name", "length", "sha256")) {
        if (!m.has(key)) {
          throw r.missing(m, at, key, "every member has a name, length and sha256");
        }
      }
      String name = r.string(m.get("name"), at + ".name");
      JsonNode length = m.get("length");
      if (!length.isIntegralNumber()
          || length.bigIntegerValue().signum() < 0
          || length.bigIntegerValue().compareTo(BigInteger.valueOf(MAX_LENGTH)) > 0) {
        throw r.invalid(at + ".length", "a byte count from 0 to " + MAX_LENGTH, length);
      }
      String sha = r.string(m.get("sha256"), at + ".sha256");
      if (!SHA256.matcher(sha).matches()) {
        throw r.invalid(at + ".sha256", "64 lower-case hex digits", m.get("sha256"));
      }
      members.add(new Member(name, length.longValue(), sha));
    }
    validate(
        r.string(root.get("name"), "$.name"),
        r.string(root.get("release"), "$.release"),
        format,
        compression,
        r.string(root.get("snapshot"), "$.snapshot"),
        base,
        members);
    return new Parsed<>(
        new BundleManifest(
            kind,
            root.get("name").textValue(),
            root.get("release").textValue(),
            format,
            compression,
            created,
            root.get("snapshot").textValue(),
            base,
            config,
            members),
        r.warnings());
  }

  private static <E extends Enum<E>> E choice(
      FieldReader r, ObjectNode root, String key, E[] values) throws InvalidFieldException {
    String path = "$." + key;
    String text = r.string(root.get(key), path);
    List<String> labels = new ArrayList<>();
    for (E v : values) {
      String label = v.name().toLowerCase(Locale.ROOT);
      labels.add(label);
      if (label.equals(text)) {
        return v;
      }
    }
    throw r.invalid(path, "one of " + String.join(", ", labels), root.get(key));
  }

  private static void validate(
      String name,
      String release,
      Format format,
      Compression compression,
      String snapshot,
      Optional<String> base,
      List<Member> members)
      throws InvalidFieldException {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidFieldException(
          DOCUMENT,
          "$.name",
          "a jail name of letters, digits, '_' and '-'",
          Checks.quote(String.valueOf(name)),
          HINT);
    }
    if (release == null || !RELEASE.matcher(release).matches()) {
      throw new InvalidFieldException(
          DOCUMENT,
          "$.release",
          "a release name like 14.2-RELEASE",
          Checks.quote(String.valueOf(release)),
          HINT);
    }
    if (snapshot == null || !SNAPSHOT.matcher(snapshot).matches()) {
      throw new InvalidFieldException(
          DOCUMENT,
          "$.snapshot",
          "a snapshot name of letters, digits and _.:-",
          Checks.quote(String.valueOf(snapshot)),
          HINT);
    }
    if (base.isPresent() && !SNAPSHOT.matcher(base.get()).matches()) {
      throw new InvalidFieldException(
          DOCUMENT,
          "$.base",
          "a snapshot name of letters, digits and _.:-",
          Checks.quote(base.get()),
          HINT);
    }
    List<String> expected = expectedMembers(format, compression, base.isPresent());
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < members.size(); i++) {
      String m = members.get(i).name();
      String at = CatalogJson.index("$.members", i) + ".name";
      if (!expected.contains(m)) {
        throw new InvalidFieldException(
            DOCUMENT,
            at,
            "one of "
                + String.join(", ", expected)
                + " (a "
                + format.label()
                + " bundle compressed with "
                + compression.label()
                + ")",
            Checks.quote(m),
            HINT);
      }
      if (!seen.add(m)) {
        throw new InvalidFieldException(
            DOCUMENT, at, "each member once", Checks.quote(m) + " again", HINT);
      }
      if (expected.indexOf(m) != i) {
        throw new InvalidFieldException(
            DOCUMENT,
            at,
            "the members in the order " + String.join(", ", expected),
            Checks.quote(m) + " at position " + i,
            HINT);
      }
    }
    if (members.size() != expected.size()) {
      throw new InvalidFieldException(
          DOCUMENT,
          "$.members",
          "the members " + String.join(", ", expected),
          members.size() + " member(s)",
          HINT);
    }
  }

  /** The bundle.json bytes: keys in a fixed order, UTF-8, newline-terminated. */
  public byte[] toJson() {
    ObjectNode root = CatalogJson.nodes().objectNode();
    root.put("bundle_version", 1);
    root.put("kind", kind.name().toLowerCase(Locale.ROOT));
    root.put("name", name);
    root.put("release", release);
    root.put("format", format.label());
    root.put("compression", compression.label());
    root.put("created", created.toString());
    root.put("snapshot", snapshot);
    base.ifPresent(b -> root.put("base", b));
    root.set("config", config.deepCopy());
    var list = root.putArray("members");
    for (Member m : members) {
      list.addObject().put("name", m.name()).put("length", m.length()).put("sha256", m.sha256());
    }
    return CatalogJson.write(root);
  }
}
