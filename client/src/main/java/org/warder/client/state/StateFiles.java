package org.warder.client.state;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.warder.signing.AtomicFiles;

/**
 * Reads and writes the client's own JSON state files (repo.json, warder.json, jail configs): strict
 * on read (unknown fields refused, so a typo is not silently ignored), pretty and atomic on write.
 * Thread-safe.
 */
public final class StateFiles {
  private static final long MAX_BYTES = 4 * 1024 * 1024;
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private StateFiles() {}

  /** The shared mapper (for --json output too). */
  public static JsonMapper mapper() {
    return MAPPER;
  }

  /** Reads {@code file} as a {@code type}; a damaged file is reported with its path. */
  public static <T> T read(Path file, Class<T> type) throws IOException {
    if (Files.size(file) > MAX_BYTES) {
      throw new IOException(
          "state file " + file + " is larger than " + MAX_BYTES + " bytes; refusing it");
    }
    try {
      return MAPPER.readValue(file.toFile(), type);
    } catch (JacksonException e) {
      throw new IOException("state file " + file + " is damaged: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes {@code value} to {@code file} atomically. */
  public static void write(Path file, Object value) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(value);
    AtomicFiles.write(
        file,
        out -> {
          out.write(bytes);
          out.write('\n');
        },
        AtomicFiles.WORLD_READABLE,
        true);
  }
}
