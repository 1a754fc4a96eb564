package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A target as signed in targets metadata: its path, exact length, hashes (in document order: the
 * first names the consistent-snapshot URL), and the opaque {@code custom} object.
 */
public record TargetFile(
    String path, long length, Map<String, String> hashes, Optional<JsonNode> custom) {

  public TargetFile {
    // Almost every target lists one hash: a one-entry map takes a fraction of a LinkedHashMap's
    // memory, and a client may hold tens of thousands of targets.
    hashes =
        hashes.size() == 1
            ? Map.copyOf(hashes)
            : Collections.unmodifiableMap(new LinkedHashMap<>(hashes));
    custom = custom.map(JsonNode::deepCopy);
  }

  /** A target with a sha256 hash and no custom data. */
  public static TargetFile of(String path, long length, String sha256) {
    return new TargetFile(path, length, Map.of("sha256", sha256), Optional.empty());
  }

  /** The sha256 hex, when signed. */
  public Optional<String> sha256() {
    return Optional.ofNullable(hashes.get("sha256"));
  }

  static TargetFile fromJson(String path, JsonNode node, String jsonPath)
      throws MetadataFormatException {
    Fields f = new Fields(node, jsonPath);
    long length = f.integer("length", 0);
    Map<String, String> hashes = f.hashes("hashes");
    Optional<JsonNode> custom =
        f.has("custom") ? Optional.of(f.require("custom")) : Optional.empty();
    return new TargetFile(path, length, hashes, custom);
  }

  ObjectNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("length", length);
    ObjectNode h = out.putObject("hashes");
    hashes.forEach(h::put);
    custom.ifPresent(c -> out.set("custom", c.deepCopy()));
    return out;
  }
}
