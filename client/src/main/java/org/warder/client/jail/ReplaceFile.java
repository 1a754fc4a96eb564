package org.warder.client.jail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.plan.Step;
import org.warder.client.progress.Reporter;
import org.warder.signing.AtomicFiles;

/**
 * Replaces a file of a jail's directory (warder's own: fstab, jail.conf) with {@code content}, or
 * removes it when empty; undone by putting back what was there.
 */
final class ReplaceFile implements Step {
  private final Path file;
  private final Optional<byte[]> content;
  private final String name;
  private Optional<byte[]> before = Optional.empty();

  ReplaceFile(Path file, Optional<byte[]> content, String name) {
    this.file = file;
    this.content = content;
    this.name = name;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<String> describe() {
    if (content.isEmpty()) {
      return List.of("remove " + file + " if there is one (the next start writes it)");
    }
    List<String> lines = new ArrayList<>(List.of("write " + file + ":"));
    new String(content.get(), StandardCharsets.UTF_8)
        .lines()
        .map(l -> "  " + l)
        .forEach(lines::add);
    return lines;
  }

  @Override
  public void run(Reporter reporter) throws IOException {
    before = JailStore.readOwnFile(file, JailFstab.MAX_FSTAB);
    if (content.isPresent()) {
      AtomicFiles.write(file, content.get());
    } else {
      Files.deleteIfExists(file);
    }
  }

  @Override
  public void undo(Reporter reporter) throws IOException {
    if (before.isPresent()) {
      AtomicFiles.write(file, before.get());
    } else {
      Files.deleteIfExists(file);
    }
  }
}
