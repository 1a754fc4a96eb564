package org.warder.client.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.warder.signing.Digests;

/**
 * A (small) bundle taken apart in memory, to be altered and written again as an attacker or a
 * broken disk would: members replaced, renamed, added, bundle.json edited, digests recomputed or
 * not.
 */
public final class BundleForge {
  public final Map<String, byte[]> members = new LinkedHashMap<>();

  public static BundleForge read(Path bundle) throws IOException {
    BundleForge forge = new BundleForge();
    try (InputStream in = Files.newInputStream(bundle);
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        forge.members.put(e.getName(), tar.readAllBytes());
      }
    }
    return forge;
  }

  public ObjectNode manifest() throws IOException {
    return (ObjectNode) new ObjectMapper().readTree(members.get("bundle.json"));
  }

  public void manifest(JsonNode json) throws IOException {
    members.put("bundle.json", new ObjectMapper().writeValueAsBytes(json));
  }

  /** Rewrites bundle.json's length and sha256 of every member to match the bytes held. */
  public BundleForge rehash() throws IOException {
    ObjectNode m = manifest();
    for (JsonNode member : m.get("members")) {
      byte[] data = members.get(member.get("name").asText());
      if (data != null) {
        ((ObjectNode) member).put("length", data.length).put("sha256", Digests.sha256Hex(data));
      }
    }
    manifest(m);
    return this;
  }

  /** The member names in order. */
  public List<String> names() {
    return new ArrayList<>(members.keySet());
  }

  public void write(Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(bytes());
    }
  }

  public byte[] bytes() throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buffer)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Map.Entry<String, byte[]> e : members.entrySet()) {
        TarArchiveEntry entry = new TarArchiveEntry(e.getKey(), true);
        entry.setSize(e.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(e.getValue());
        tar.closeArchiveEntry();
      }
    }
    return buffer.toByteArray();
  }
}
