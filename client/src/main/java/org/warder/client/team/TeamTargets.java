package org.warder.client.team;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.warder.client.plugin.PluginTargets;
import org.warder.client.release.Releases;
import org.warder.index.BundleManifest.Format;
import org.warder.signing.tuf.TargetFile;

/**
 * The registry naming of team bundles, the one class that builds and reads their role names, target
 * paths and target {@code custom} objects. Team {@code T} owns the delegated role {@code team-T},
 * trusted for {@code templates/T/*}{@code /*} and {@code jails/T/*}{@code /*} (a TUF path pattern
 * matches only paths with as many segments, so {@code templates/T/*} would match no bundle):
 *
 * <pre>
 * templates/T/&lt;name&gt;/&lt;tag&gt;.bundle    a template bundle (DESIGN §6)
 * jails/T/&lt;name&gt;/&lt;tag&gt;.bundle        a jail bundle
 * </pre>
 *
 * Each target's {@code custom} is {@code {"kind": "template-bundle" | "jail-bundle", "team",
 * "name", "tag", "published" (ISO-8601 instant), "release", "format": "zfs" | "tar"}} plus {@code
 * "base_tag"} when the bundle holds only the difference against that tag of the same name.
 * Thread-safe.
 */
public final class TeamTargets {
  /**
   * Role names are at most 63 characters, so a team name at most 58 after {@code team-}; 55 as for
   * plugin publishers.
   */
  private static final Pattern TEAM = Pattern.compile("[a-z0-9][a-z0-9-]{0,54}");

  /** Names become local jail and template names: no '.', which jail(8) reads as a hierarchy. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String ROLE_PREFIX = "team-";
  private static final String SUFFIX = ".bundle";
  private static final String REPUBLISH =
      "warder does not publish such metadata, ask the team to publish again with"
          + " 'warder push'";

  private TeamTargets() {}

  /**
   * Refuses a team name that is not 1 to 55 of {@code [a-z0-9-]}, starting with a letter or digit.
   */
  public static String checkTeam(String team) throws InvalidBundleNameException {
    if (!TEAM.matcher(team).matches()) {
      throw new InvalidBundleNameException(
          "expected a team name of 1 to 55 lower-case letters, digits and '-'"
              + " (starting with a letter or digit), found "
              + PluginTargets.quote(team)
              + "; it becomes the role name team-<team>, ask the registry's administrator which name your team has");
    }
    return team;
  }

  /** Refuses a bundle name that cannot be a local jail name or a path segment. */
  public static String checkName(String name) throws InvalidBundleNameException {
    if (!validName(name)) {
      throw new InvalidBundleNameException(
          "expected a bundle name of 1 to 64 letters, digits, '_' and '-' (no '.'"
              + " or '/', not starting with '_' or '-', not all digits), found "
              + PluginTargets.quote(name)
              + "; it becomes a registry path segment and a local jail name, choose another with --as TEAM/NAME");
    }
    return name;
  }

  /**
   * Refuses a tag that is not a plain file name (no '/' or '..', not starting with '.', '_' or
   * '-').
   */
  public static String checkTag(String tag) throws InvalidBundleNameException {
    if (!validTag(tag)) {
      throw new InvalidBundleNameException(
          "expected a tag of 1 to 64 letters, digits, '.', '_' and '-' (no '/' or"
              + " '..', not starting with '.', '_' or '-'), found "
              + PluginTargets.quote(tag)
              + "; it becomes a registry file name, choose another with --tag");
    }
    return tag;
  }

  /** A FreeBSD release name, or {@code EMPTY} for a jail made from nothing. */
  private static boolean isRelease(String release) {
    return release.equals("EMPTY") || Releases.NAME.matcher(release).matches();
  }

  /**
   * Refuses {@code spec} unless every name is valid, the release is a FreeBSD release and the base
   * is another tag.
   */
  public static BundleSpec check(BundleSpec spec) throws InvalidBundleNameException {
    checkTeam(spec.team());
    checkName(spec.name());
    checkTag(spec.tag());
    if (!isRelease(spec.release())) {
      throw new InvalidBundleNameException(
          "expected the FreeBSD release of "
              + spec.reference()
              + " like"
              + " 14.2-RELEASE, found "
              + PluginTargets.quote(spec.release()));
    }
    if (spec.baseTag().isPresent()) {
      checkTag(spec.baseTag().get());
      if (spec.baseTag().get().equals(spec.tag())) {
        throw new InvalidBundleNameException(
            "expected the base tag of incremental bundle "
                + spec.reference()
                + " to be an earlier tag, found its own tag "
                + spec.tag()
                + "; publish a full bundle or name the"
                + " tag the difference was taken against");
      }
    }
    return spec;
  }

  /** {@code team-T}. */
  public static String role(String team) {
    return ROLE_PREFIX + team;
  }

  /** The team of role {@code team-T}, when {@code role} is such a role with a valid team name. */
  public static Optional<String> teamOf(String role) {
    if (!role.startsWith(ROLE_PREFIX)) {
      return Optional.empty();
    }
    String team = role.substring(ROLE_PREFIX.length());
    return TEAM.matcher(team).matches() ? Optional.of(team) : Optional.empty();
  }

  /** The path patterns the registry delegates to {@code team-T}. */
  public static List<String> delegatedPaths(String team) {
    return Arrays.stream(BundleKind.values())
        .map(k -> k.directory() + "/" + team + "/*/*")
        .toList();
  }

  /** {@code templates/T/<name>/<tag>.bundle} or {@code jails/T/<name>/<tag>.bundle}. */
  public static String path(BundleKind kind, String team, String name, String tag) {
    return kind.directory() + "/" + team + "/" + name + "/" + tag + SUFFIX;
  }

  /** The {@code custom} object of the target of {@code spec}, published at {@code published}. */
  public static ObjectNode custom(BundleSpec spec, Instant published) {
    ObjectNode custom =
        JsonNodeFactory.instance
            .objectNode()
            .put("kind", spec.kind().customKind())
            .put("team", spec.team())
            .put("name", spec.name())
            .put("tag", spec.tag())
            .put("published", published.toString())
            .put("release", spec.release())
            .put("format", spec.format().label());
    spec.baseTag().ifPresent(base -> custom.put("base_tag", base));
    return custom;
  }

  /**
   * Reads {@code target}, signed by role {@code team-T}, as a bundle of team {@code team}: its path
   * must be one of the team's bundle paths and its {@code custom} must say the same kind, team,
   * name and tag, with valid fields. A delegation cannot be trusted to carry only its team's names.
   */
  public static RemoteBundle read(TargetFile target, String team)
      throws BundleCatalogInconsistencyException {
    String[] segments = target.path().split("/", -1);
    Optional<BundleKind> kind =
        Arrays.stream(BundleKind.values())
            .filter(k -> segments.length == 4 && k.directory().equals(segments[0]))
            .findFirst();
    String name = segments.length == 4 ? segments[2] : "";
    String file = segments.length == 4 ? segments[3] : "";
    String tag = file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : "";
    if (kind.isEmpty() || !segments[1].equals(team) || !validName(name) || !validTag(tag)) {
      throw inconsistent(
          target,
          team,
          "expected a path "
              + String.join(
                  " or ",
                  delegatedPaths(team).stream()
                      .map(p -> p.replace("*/*", "NAME/TAG" + SUFFIX))
                      .toList())
              + " with a valid name and tag",
          "refusing a role"
              + " that names bundles outside its team's paths; tell the registry's administrator");
    }
    expect(target, team, "kind", kind.get().customKind());
    expect(target, team, "team", team);
    expect(target, team, "name", name);
    expect(target, team, "tag", tag);
    String sha256 = target.sha256().orElse("none");
    if (!SHA256.matcher(sha256).matches()) {
      throw inconsistent(
          target,
          team,
          "expected a sha256 of 64 lower-case hex digits, found " + PluginTargets.quote(sha256),
          REPUBLISH);
    }
    Optional<Format> format = field(target, "format").flatMap(Format::of);
    if (format.isEmpty()) {
      throw inconsistent(
          target,
          team,
          "expected custom.format zfs or tar, found " + shown(target, "format"),
          REPUBLISH);
    }
    Instant published;
    try {
      published = Instant.parse(field(target, "published").orElse("none"));
    } catch (DateTimeParseException e) {
      throw inconsistent(
          target,
          team,
          "expected custom.published as an ISO-8601 instant, found " + shown(target, "published"),
          REPUBLISH);
    }
    String release = field(target, "release").orElse("none");
    if (!isRelease(release)) {
      throw inconsistent(
          target,
          team,
          "expected custom.release like 14.2-RELEASE, found " + shown(target, "release"),
          REPUBLISH);
    }
    Optional<String> base = field(target, "base_tag");
    boolean hasBase = target.custom().map(c -> c.has("base_tag")).orElse(false);
    if (hasBase && (base.isEmpty() || !validTag(base.get()) || base.get().equals(tag))) {
      throw inconsistent(
          target,
          team,
          "expected custom.base_tag, when present, to be another valid tag, found "
              + shown(target, "base_tag"),
          REPUBLISH);
    }
    return new RemoteBundle(
        new BundleSpec(kind.get(), team, name, tag, release, format.get(), base),
        published,
        target);
  }

  private static boolean validName(String name) {
    return NAME.matcher(name).matches() && !name.chars().allMatch(Character::isDigit);
  }

  private static boolean validTag(String tag) {
    return TAG.matcher(tag).matches() && !tag.contains("..");
  }

  private static void expect(TargetFile target, String team, String field, String expected)
      throws BundleCatalogInconsistencyException {
    if (!field(target, field).filter(expected::equals).isPresent()) {
      throw inconsistent(
          target,
          team,
          "expected custom." + field + " " + expected + ", found " + shown(target, field),
          REPUBLISH);
    }
  }

  private static Optional<String> field(TargetFile target, String field) {
    return target
        .custom()
        .map(c -> c.path(field))
        .filter(JsonNode::isTextual)
        .map(JsonNode::textValue);
  }

  private static String shown(TargetFile target, String field) {
    return field(target, field).map(PluginTargets::quote).orElse("none");
  }

  private static BundleCatalogInconsistencyException inconsistent(
      TargetFile target, String team, String problem, String whatToDo) {
    return new BundleCatalogInconsistencyException(
        "role "
            + role(team)
            + " signs target "
            + PluginTargets.quote(target.path())
            + ": "
            + problem
            + "; "
            + whatToDo);
  }
}
