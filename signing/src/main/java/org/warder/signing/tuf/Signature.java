package org.warder.signing.tuf;

/** One entry of a metadata file's {@code signatures}: a keyid and a hex signature. */
public record Signature(String keyid, String sig) {}
