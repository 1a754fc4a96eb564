package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.warder.signing.Digests;

/**
 * One delegation in a targets role: the delegated role's name, keys, threshold, whether it is
 * terminating, and the target paths it is trusted for ({@code paths} glob patterns or {@code
 * path_hash_prefixes}; a role with neither is trusted for nothing).
 */
public record DelegatedRole(
    String name,
    List<String> keyids,
    int threshold,
    boolean terminating,
    Optional<List<String>> paths,
    Optional<List<String>> pathHashPrefixes) {

  public DelegatedRole {
    keyids = List.copyOf(keyids);
    paths = paths.map(List::copyOf);
    pathHashPrefixes = pathHashPrefixes.map(List::copyOf);
    if (threshold < 1) {
      throw new IllegalArgumentException("threshold must be at least 1, found " + threshold);
    }
    if (paths.isPresent() && pathHashPrefixes.isPresent()) {
      throw new IllegalArgumentException("a delegation has paths or path_hash_prefixes, not both");
    }
  }

  /** A delegation by path patterns. */
  public static DelegatedRole withPaths(
      String name, List<String> keyids, int threshold, boolean terminating, List<String> paths) {
    return new DelegatedRole(
        name, keyids, threshold, terminating, Optional.of(paths), Optional.empty());
  }

  /** The keys and threshold of this role. */
  public RoleKeys roleKeys() {
    return new RoleKeys(keyids, threshold);
  }

  /**
   * Whether this delegation covers {@code targetPath}: a pattern matches it segment by segment (a
   * wildcard never crosses {@code /}, matching is case-sensitive), or the sha256 of the path starts
   * with one of the hash prefixes.
   */
  public boolean isDelegatedPath(String targetPath) {
    if (paths.isPresent()) {
      return paths.get().stream().anyMatch(p -> PathPatterns.matches(p, targetPath));
    }
    if (pathHashPrefixes.isPresent()) {
      String hash = Digests.sha256Hex(targetPath.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return pathHashPrefixes.get().stream().anyMatch(hash::startsWith);
    }
    return false;
  }

  static DelegatedRole fromJson(JsonNode node, String path) throws MetadataFormatException {
    Fields f = new Fields(node, path);
    String name = f.string("name");
    List<String> keyids = f.strings("keyids");
    if (new HashSet<>(keyids).size() != keyids.size()) {
      throw new MetadataFormatException(
          "expected distinct keyids at " + path + ".keyids, found " + keyids);
    }
    long threshold = f.integer("threshold", 1);
    boolean terminating = f.bool("terminating");
    Optional<List<String>> paths =
        f.has("paths") ? Optional.of(f.strings("paths")) : Optional.empty();
    Optional<List<String>> prefixes =
        f.has("path_hash_prefixes")
            ? Optional.of(f.strings("path_hash_prefixes"))
            : Optional.empty();
    if (paths.isPresent() && prefixes.isPresent()) {
      throw new MetadataFormatException(
          "expected either paths or path_hash_prefixes at " + path + ", found both");
    }
    if (threshold > Integer.MAX_VALUE) {
      throw new MetadataFormatException("threshold too large at " + path + ": " + threshold);
    }
    return new DelegatedRole(name, keyids, (int) threshold, terminating, paths, prefixes);
  }

  ObjectNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("name", name);
    keyids.forEach(out.putArray("keyids")::add);
    out.put("threshold", threshold);
    out.put("terminating", terminating);
    paths.ifPresent(ps -> ps.forEach(out.putArray("paths")::add));
    pathHashPrefixes.ifPresent(ps -> ps.forEach(out.putArray("path_hash_prefixes")::add));
    return out;
  }
}
