package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.OptionalLong;

/** A {@code meta} entry of snapshot or timestamp: the version, and optionally length and hashes. */
public record MetaFile(long version, OptionalLong length, Map<String, String> hashes) {

  public MetaFile {
    hashes = Map.copyOf(hashes);
  }

  /** An entry carrying only the version. */
  public static MetaFile ofVersion(long version) {
    return new MetaFile(version, OptionalLong.empty(), Map.of());
  }

  /** An entry with the version, the length and the sha256 of {@code bytes}. */
  public static MetaFile describing(long version, byte[] bytes) {
    return new MetaFile(
        version,
        OptionalLong.of(bytes.length),
        Map.of("sha256", org.warder.signing.Digests.sha256Hex(bytes)));
  }

  static MetaFile fromJson(JsonNode node, String path) throws MetadataFormatException {
    Fields f = new Fields(node, path);
    long version = f.integer("version", 1);
    OptionalLong length =
        f.has("length") ? OptionalLong.of(f.integer("length", 0)) : OptionalLong.empty();
    Map<String, String> hashes = f.has("hashes") ? f.hashes("hashes") : Map.of();
    if (f.has("hashes") && hashes.isEmpty()) {
      throw new MetadataFormatException(
          "expected at least one hash at " + path + ".hashes, found none");
    }
    return new MetaFile(version, length, hashes);
  }

  ObjectNode toJson() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("version", version);
    length.ifPresent(l -> out.put("length", l));
    if (!hashes.isEmpty()) {
      ObjectNode h = out.putObject("hashes");
      hashes.forEach(h::put);
    }
    return out;
  }
}
