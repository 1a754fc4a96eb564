package org.warder.client.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.regex.Pattern;
import org.warder.client.ClientException;
import org.warder.signing.tuf.TargetFile;

/**
 * The registry naming of plugins, the one class that builds their role names, target paths and
 * target {@code custom} objects. Publisher {@code P} owns the delegated role {@code plugins-P},
 * trusted for {@code plugins/P/*} and {@code plugins/P/*}{@code /*}{@code /*}:
 *
 * <pre>
 * plugins/P/INDEX                              iocage INDEX; each entry's manifest_target names its manifest
 * plugins/P/&lt;id&gt;/&lt;revision&gt;/manifest.json       normalised manifest: artifact_ref (commit), artifact_bundle
 * plugins/P/&lt;id&gt;/&lt;revision&gt;/artifact.bundle     git bundle holding that commit
 * </pre>
 *
 * Each target's {@code custom} is {@code {"kind": "plugin-index" | "plugin-manifest" |
 * "plugin-artifact", "publisher", "id", "revision", "commit"}} (the INDEX has only kind and
 * publisher). Thread-safe.
 */
public final class PluginTargets {
  public static final String KIND_INDEX = "plugin-index";
  public static final String KIND_MANIFEST = "plugin-manifest";
  public static final String KIND_ARTIFACT = "plugin-artifact";

  /**
   * Role names are at most 63 characters, so a publisher name at most 55 after {@code plugins-}.
   */
  private static final Pattern PUBLISHER = Pattern.compile("[a-z0-9][a-z0-9-]{0,54}");

  /** The same rule as the INDEX's plugin ids: a plain file name. */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private static final String ROLE_PREFIX = "plugins-";

  private PluginTargets() {}

  /**
   * Refuses a publisher name that is not 1 to 55 of {@code [a-z0-9-]}, starting with a letter or
   * digit.
   */
  public static String checkPublisher(String publisher) throws PluginException {
    if (!PUBLISHER.matcher(publisher).matches()) {
      throw new PluginException(
          ClientException.Reason.INVALID_INPUT,
          "expected a publisher name of 1 to 55 lower-case letters, digits"
              + " and '-' (starting with a letter or digit), found "
              + quote(publisher)
              + "; it becomes the role name plugins-<publisher>");
    }
    return publisher;
  }

  /**
   * Refuses a plugin id that is not a plain file name (no '/', not starting with '.' or '-', at
   * most 64).
   */
  public static String checkId(String id) throws PluginException {
    if (!ID.matcher(id).matches() || id.contains("..")) {
      throw new PluginException(
          ClientException.Reason.INVALID_INPUT,
          "expected a plugin id of letters, digits, '.', '_' and '-'"
              + " (no '/' or '..', not starting with '.' or '-', at most 64), found "
              + quote(id)
              + "; the id becomes a registry path segment, choose another with --id");
    }
    return id;
  }

  /** {@code plugins-P}. */
  public static String role(String publisher) {
    return ROLE_PREFIX + publisher;
  }

  /**
   * The publisher of role {@code plugins-P}, when {@code role} is such a role with a valid name.
   */
  public static Optional<String> publisherOf(String role) {
    if (!role.startsWith(ROLE_PREFIX)) {
      return Optional.empty();
    }
    String publisher = role.substring(ROLE_PREFIX.length());
    return PUBLISHER.matcher(publisher).matches() ? Optional.of(publisher) : Optional.empty();
  }

  /** The path patterns the registry delegates to {@code plugins-P}. */
  public static java.util.List<String> delegatedPaths(String publisher) {
    return java.util.List.of("plugins/" + publisher + "/*", "plugins/" + publisher + "/*/*/*");
  }

  /** {@code plugins/P/INDEX}. */
  public static String index(String publisher) {
    return "plugins/" + publisher + "/INDEX";
  }

  /** {@code plugins/P/<id>/}: every target of one plugin starts with it. */
  public static String pluginPrefix(String publisher, String id) {
    return "plugins/" + publisher + "/" + id + "/";
  }

  /** {@code plugins/P/<id>/<revision>/manifest.json}. */
  public static String manifest(String publisher, String id, int revision) {
    return pluginPrefix(publisher, id) + revision + "/manifest.json";
  }

  /** {@code plugins/P/<id>/<revision>/artifact.bundle}. */
  public static String bundle(String publisher, String id, int revision) {
    return pluginPrefix(publisher, id) + revision + "/artifact.bundle";
  }

  /** The {@code custom} object of the INDEX target. */
  public static ObjectNode indexCustom(String publisher) {
    return JsonNodeFactory.instance
        .objectNode()
        .put("kind", KIND_INDEX)
        .put("publisher", publisher);
  }

  /** The {@code custom} object of a manifest or artifact target. */
  public static ObjectNode pluginCustom(
      String kind, String publisher, String id, int revision, Optional<String> commit) {
    ObjectNode custom =
        JsonNodeFactory.instance
            .objectNode()
            .put("kind", kind)
            .put("publisher", publisher)
            .put("id", id)
            .put("revision", revision);
    commit.ifPresent(c -> custom.put("commit", c));
    return custom;
  }

  /** Refuses {@code target} unless its signed {@code custom.kind} is {@code kind}. */
  public static void checkKind(TargetFile target, String kind)
      throws CatalogInconsistencyException {
    String found =
        target
            .custom()
            .map(c -> c.path("kind"))
            .filter(JsonNode::isTextual)
            .map(JsonNode::textValue)
            .orElse("none");
    if (!found.equals(kind)) {
      throw new CatalogInconsistencyException(
          "target "
              + target.path()
              + ": expected custom.kind "
              + kind
              + ", found "
              + found
              + "; the publisher's role metadata is not what warder publishes, ask the publisher"
              + " to publish again with 'warder publish plugin'");
    }
  }

  /** {@code s} quoted for a message: shortened when long, control characters shown as '?'. */
  public static String quote(String s) {
    String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
    return '"'
        + shown.replace("\\", "\\\\").replace("\"", "\\\"").replaceAll("\\p{Cntrl}", "?")
        + '"';
  }
}
