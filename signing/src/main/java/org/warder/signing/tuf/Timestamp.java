package org.warder.signing.tuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Timestamp metadata: the version (and usually length and hash) of the current snapshot. */
public record Timestamp(String specVersion, long version, Instant expires, MetaFile snapshotMeta)
    implements Signed {

  @Override
  public RoleType type() {
    return RoleType.TIMESTAMP;
  }

  static Timestamp fromJson(Fields f) throws TufException {
    Fields meta = f.object("meta");
    MetaFile snapshot =
        MetaFile.fromJson(meta.require("snapshot.json"), meta.path() + "[\"snapshot.json\"]");
    return new Timestamp(f.specVersion(), f.integer("version", 1), f.expires(), snapshot);
  }

  @Override
  public ObjectNode toJson() {
    ObjectNode out = commonJson();
    out.putObject("meta").set("snapshot.json", snapshotMeta.toJson());
    return out;
  }
}
