package org.warder.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.cli.WarderMain;
import org.warder.registry.cli.RegistryMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The man pages the build writes to target/man/man1 from the picocli model. */
class ManPagesTest {
  private static final Path MAN = Path.of("target", "man", "man1");

  @Test
  void everyCommandOfBothExecutablesHasItsPageAndNothingElseIsThere() throws IOException {
    List<String> expected = new ArrayList<>();
    for (CommandLine root :
        List.of(WarderMain.commandLine(), new CommandLine(new RegistryMain()))) {
      collect(root, root.getCommandName(), expected);
    }
    assertThat(expected)
        .contains(
            "warder",
            "warder-start",
            "warder-stop",
            "warder-repo-add",
            "warder-registry-token-create");
    for (String page : expected) {
      String roff = Files.readString(MAN.resolve(page + ".1"), StandardCharsets.UTF_8);
      assertThat(roff)
          .as(page)
          .contains(".TH \"" + page.toUpperCase(java.util.Locale.ROOT) + "\" 1");
    }
    try (Stream<Path> files = Files.list(MAN)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrderElementsOf(expected.stream().map(p -> p + ".1").toList());
    }
  }

  /** An independent walk of the model: every visible command, aliases once. */
  private static void collect(CommandLine command, String page, List<String> out) {
    out.add(page);
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              boolean alias = !name.equals(sub.getCommandName());
              if (!alias && !sub.getCommandSpec().usageMessage().hidden()) {
                collect(sub, page + "-" + name, out);
              }
            });
  }

  @Test
  void everyPageIsCleanRoffForGroff() throws Exception {
    List<Path> pages;
    try (Stream<Path> files = Files.list(MAN)) {
      pages = files.sorted().toList();
    }
    assertThat(pages).hasSizeGreaterThan(40);
    for (Path page : pages) {
      assertCleanRoff(page);
    }
  }

  @Test
  void aPageShowsSynopsisArgumentsOptionsAndSubcommands() throws IOException {
    String start = Files.readString(MAN.resolve("warder-start.1"), StandardCharsets.UTF_8);
    assertThat(start)
        .contains(".SH NAME\nwarder\\-start \\- Start jails")
        .contains(".SH SYNOPSIS\n.nf\nwarder start [")
        .contains(".SH ARGUMENTS\n.TP\n.I \"NAME\"")
        .contains(".B \"\\-\\-rc\"\n")
        .contains(".BI \"\\-\\-root\" \" DIR\"\n")
        .contains(".SH SEE ALSO\n.BR warder (1)");
    String repo = Files.readString(MAN.resolve("warder-repo.1"), StandardCharsets.UTF_8);
    assertThat(repo)
        .contains(".SH COMMANDS\n.TP\n.B add\n")
        .contains(".BR warder\\-repo\\-add (1)");
  }

  @Command(
      name = "frobnicate",
      description = {
        "Frobnicate a jail's naïve \\ settings.",
        "",
        ".A line that roff would take for a request.",
        "  indented: kept as typed"
      })
  static final class Frobnicate implements Runnable {
    @Option(
        names = "--level",
        paramLabel = "N",
        defaultValue = "3",
        description = "How hard (default: ${DEFAULT-VALUE}).")
    int level;

    @Parameters(paramLabel = "NAME", description = "The jail.")
    String name = "";

    @Override
    public void run() {}
  }

  @Test
  void aNewSubcommandGetsItsPageWithRoffSpecialsEscaped(@TempDir Path dir) throws Exception {
    CommandLine warder = WarderMain.commandLine();
    warder.addSubcommand(new CommandLine(new Frobnicate()));

    Generate.write(dir, "9.9", LocalDate.of(2026, 1, 2), List.of(warder));

    Path page = dir.resolve("man/man1/warder-frobnicate.1");
    String roff = Files.readString(page, StandardCharsets.UTF_8);
    assertThat(roff)
        .contains(".TH \"WARDER-FROBNICATE\" 1 \"2026-01-02\" \"warder 9.9\"")
        .contains("na\\[u00EF]ve \\e settings")
        .contains("\n\\&.A line that roff")
        .contains(".nf\n  indented: kept as typed\n.fi\n")
        .contains("How hard (default: 3).");
    assertThat(Files.readString(dir.resolve("man/man1/warder.1"), StandardCharsets.UTF_8))
        .contains(".B frobnicate\n");
    assertCleanRoff(page);
    Shell.Result text = Shell.run(List.of("groff", "-man", "-Tutf8", page.toString()));
    assertThat(text.out().replaceAll(".\b", ""))
        .contains("naïve \\ settings")
        .contains(".A line that roff");
  }

  @Test
  void aRemovedCommandLeavesNoPageBehind(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("man/man1"));
    Files.writeString(dir.resolve("man/man1/warder-gone.1"), ".TH GONE 1\n");

    Generate.write(
        dir, "9.9", LocalDate.of(2026, 1, 2), List.of(new CommandLine(new RegistryMain())));

    assertThat(dir.resolve("man/man1/warder-gone.1")).doesNotExist();
    assertThat(dir.resolve("man/man1/warder-registry-serve.1")).isRegularFile();
  }

  /** groff with all warnings finds nothing to say about {@code page}. */
  static void assertCleanRoff(Path page) throws Exception {
    Shell.Result lint = Shell.run(List.of("groff", "-man", "-Tutf8", "-ww", "-z", page.toString()));
    assertThat(lint.err()).as(page.toString()).isEmpty();
    assertThat(lint.exit()).as(page.toString()).isZero();
  }
}
