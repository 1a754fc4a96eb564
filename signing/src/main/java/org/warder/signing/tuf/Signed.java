package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** The {@code signed} part of a TUF metadata file. */
public sealed interface Signed permits Root, Targets, Snapshot, Timestamp {
  /** The spec version written by warder. */
  String SPEC_VERSION = "1.0.31";

  RoleType type();

  String specVersion();

  long version();

  Instant expires();

  /** Whether the metadata is expired at {@code now}. */
  default boolean isExpired(Instant now) {
    return !now.isBefore(expires());
  }

  /** The JSON of this value (for new metadata; read metadata keeps its own JSON). */
  ObjectNode toJson();

  /** The common fields, for subclasses' {@link #toJson()}. */
  default ObjectNode commonJson() {
    ObjectNode out = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    out.put("_type", type().value());
    out.put("spec_version", specVersion());
    out.put("version", version());
    out.put("expires", expires().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    return out;
  }
}
