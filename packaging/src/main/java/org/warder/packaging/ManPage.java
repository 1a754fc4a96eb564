package org.warder.packaging;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * One command's man page in man(7) roff, written from its picocli model: NAME, SYNOPSIS (picocli's
 * own), DESCRIPTION, ARGUMENTS, OPTIONS, COMMANDS, NOTES (the footer) and SEE ALSO.
 *
 * <p>picocli-codegen's ManPageGenerator writes AsciiDoc, which needs asciidoctor to become roff;
 * asciidoctor is not available to this build, so this small writer emits roff directly.
 */
public final class ManPage {
  private static final int SYNOPSIS_WIDTH = 72;

  private final CommandLine command;
  private final String version;
  private final LocalDate date;

  /** The page of {@code command} for release {@code version}, dated {@code date}. */
  public ManPage(CommandLine command, String version, LocalDate date) {
    this.command = command;
    this.version = version;
    this.date = date;
  }

  /** The page as roff text. */
  public String render() {
    CommandSpec spec = command.getCommandSpec();
    String page = Executables.pageName(command);
    String executable = spec.root().name();
    StringBuilder out = new StringBuilder();
    out.append(".\\\" Generated from the picocli model of ")
        .append(executable)
        .append(" at build time; do not edit.\n");
    out.append(".TH ")
        .append(quoted(page.toUpperCase(Locale.ROOT)))
        .append(" 1 ")
        .append(quoted(date.toString()))
        .append(' ')
        .append(quoted(executable + " " + version))
        .append(' ')
        .append(quoted(executable + " manual"))
        .append('\n');
    List<String> description = lines(spec.usageMessage().description());
    out.append(".SH NAME\n")
        .append(literal(page))
        .append(" \\- ")
        .append(text(summary(description, spec)))
        .append('\n');
    out.append(".SH SYNOPSIS\n.nf\n").append(block(synopsis(spec))).append(".fi\n");
    if (!description.isEmpty()) {
      out.append(".SH DESCRIPTION\n").append(paragraphs(description));
    }
    List<PositionalParamSpec> arguments =
        spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!arguments.isEmpty()) {
      out.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : arguments) {
        out.append(".TP\n.I ").append(quoted(literal(p.paramLabel()))).append('\n');
        out.append(paragraphs(argumentText(p)));
      }
    }
    List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
    if (!options.isEmpty()) {
      out.append(".SH OPTIONS\n");
      for (OptionSpec o : options) {
        out.append(".TP\n").append(optionLabel(o)).append('\n');
        out.append(paragraphs(argumentText(o)));
      }
    }
    List<CommandLine> subcommands = subcommands(command);
    if (!subcommands.isEmpty()) {
      out.append(".SH COMMANDS\n");
      for (CommandLine sub : subcommands) {
        CommandSpec s = sub.getCommandSpec();
        out.append(".TP\n.B ").append(literal(s.name())).append('\n');
        out.append(text(summary(lines(s.usageMessage().description()), s)))
            .append(" See\n.BR ")
            .append(literal(Executables.pageName(sub)))
            .append(" (1).\n");
      }
    }
    List<String> footer = lines(spec.usageMessage().footer());
    if (!footer.isEmpty()) {
      out.append(".SH NOTES\n").append(paragraphs(footer));
    }
    List<String> related = new ArrayList<>();
    if (spec.parent() != null) {
      related.add(Executables.pageName(spec.parent().commandLine()));
    }
    subcommands.forEach(sub -> related.add(Executables.pageName(sub)));
    if (!related.isEmpty()) {
      out.append(".SH SEE ALSO\n");
      for (int i = 0; i < related.size(); i++) {
        out.append(".BR ")
            .append(literal(related.get(i)))
            .append(" (1)")
            .append(i < related.size() - 1 ? "," : "")
            .append('\n');
      }
    }
    return out.toString();
  }

  private static List<CommandLine> subcommands(CommandLine command) {
    return command.getSubcommands().values().stream()
        .distinct()
        .filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
        .toList();
  }

  /** picocli's synopsis of the command, without colours, narrow enough for a terminal's page. */
  private static String synopsis(CommandSpec spec) {
    int width = spec.usageMessage().width();
    try {
      spec.usageMessage().width(SYNOPSIS_WIDTH);
      return new Help(spec, Help.defaultColorScheme(Ansi.OFF)).synopsis(0).stripTrailing();
    } finally {
      spec.usageMessage().width(width);
    }
  }

  /** The first description line: the NAME section's one-line summary. */
  private static String summary(List<String> description, CommandSpec spec) {
    return description.stream()
        .filter(l -> !l.isBlank())
        .findFirst()
        .map(String::strip)
        .orElse("the " + spec.qualifiedName() + " command");
  }

  /** An option's or argument's description with picocli's ${DEFAULT-VALUE} and candidates. */
  private static List<String> argumentText(ArgSpec arg) {
    String defaultValue = arg.defaultValueString();
    Iterable<String> candidates = arg.completionCandidates();
    String choices = candidates == null ? "" : String.join(", ", candidates);
    String[] description = arg.description().clone();
    for (int i = 0; i < description.length; i++) {
      description[i] =
          description[i]
              .replace("${DEFAULT-VALUE}", defaultValue)
              .replace("${COMPLETION-CANDIDATES}", choices);
    }
    return lines(description);
  }

  /** {@code .BI "-l, --level" " LEVEL"}: the names in bold, the parameter in italics. */
  private static String optionLabel(OptionSpec o) {
    String names = quoted(literal(String.join(", ", o.names())));
    if (o.arity().max() == 0) {
      return ".B " + names;
    }
    return ".BI " + names + " " + quoted(" " + literal(o.paramLabel()));
  }

  /** Description lines as picocli shows them: %n breaks, markup and trailing blanks removed. */
  private static List<String> lines(String[] description) {
    List<String> out = new ArrayList<>();
    for (String line : description) {
      String plain = Ansi.OFF.string(line.replace("%n", "\n").replace("%%", "%"));
      for (String part : plain.split("\n", -1)) {
        out.add(part.stripTrailing());
      }
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  /**
   * Lines as roff: a blank line starts a paragraph, indented lines (tables, examples) keep their
   * layout, the others are filled.
   */
  private static String paragraphs(List<String> lines) {
    StringBuilder out = new StringBuilder();
    boolean verbatim = false;
    for (String line : lines) {
      boolean indented = line.startsWith(" ");
      if (indented != verbatim) {
        out.append(indented ? ".nf\n" : ".fi\n");
        verbatim = indented;
      }
      out.append(line.isBlank() ? ".PP" : text(line)).append('\n');
    }
    if (verbatim) {
      out.append(".fi\n");
    }
    return out.toString();
  }

  private static String block(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n")) {
      out.append(literal(line.stripTrailing())).append('\n');
    }
    return out.toString();
  }

  /** A roff string argument in double quotes (a double quote inside becomes \(dq). */
  private static String quoted(String s) {
    return "\"" + s.replace("\"", "\\(dq") + "\"";
  }

  /** Text that is typed as shown (names, options, synopsis): every dash is a minus sign. */
  private static String literal(String s) {
    return escape(s).replace("-", "\\-");
  }

  /** Running text: hyphens stay hyphens. */
  private static String text(String s) {
    return escape(s);
  }

  /**
   * Backslashes as \e, a line's leading control character neutralised, non-ASCII characters as
   * groff/mandoc Unicode escapes.
   */
  private static String escape(String s) {
    StringBuilder out = new StringBuilder();
    if (s.startsWith(".") || s.startsWith("'")) {
      out.append("\\&");
    }
    s.codePoints()
        .forEach(
            c -> {
              if (c == '\\') {
                out.append("\\e");
              } else if (c < 0x80) {
                out.appendCodePoint(c);
              } else {
                out.append(String.format(Locale.ROOT, "\\[u%04X]", c));
              }
            });
    return out.toString();
  }
}
