package org.warder.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * Writes the man pages ({@code man/man1/PAGE.1}) and completion scripts ({@code
 * completion/NAME.bash}, {@code completion/_NAME}) of both executables under a directory. Run by
 * the build: {@code Generate DIR VERSION TIMESTAMP}.
 */
public final class Generate {
  private Generate() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "expected DIR VERSION TIMESTAMP (the build's output directory, project version and"
              + " project.build.outputTimestamp), found "
              + args.length
              + " arguments");
    }
    LocalDate date = OffsetDateTime.parse(args[2]).toLocalDate();
    write(Path.of(args[0]), args[1], date, Executables.all());
  }

  /**
   * Writes every page and script of the {@code roots}' trees under {@code dir}, replacing old ones.
   */
  public static void write(Path dir, String version, LocalDate date, List<CommandLine> roots)
      throws IOException {
    Path man = dir.resolve("man").resolve("man1");
    Path completion = dir.resolve("completion");
    clear(man);
    clear(completion);
    for (CommandLine root : roots) {
      for (CommandLine command : Executables.commands(root)) {
        String page = new ManPage(command, version, date).render();
        writeAtomically(man.resolve(Executables.pageName(command) + ".1"), page);
      }
      String name = root.getCommandName();
      writeAtomically(completion.resolve(name + ".bash"), Completion.bash(root));
      writeAtomically(completion.resolve("_" + name), Completion.zsh(root));
    }
  }

  /** Removes what an earlier build wrote, so a removed command leaves no page behind. */
  private static void clear(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
