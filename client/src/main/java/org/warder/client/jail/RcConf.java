package org.warder.client.jail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A jail's {@code /etc/rc.conf} as text, edited the way {@code sysrc -f} edits it for the few
 * literal entries warder manages at start: set one (the last assignment of the variable replaced,
 * or a new line appended), or remove every assignment of one when its value is exactly warder's.
 * Every other line stays byte for byte (bytes are kept as ISO-8859-1 characters, one each).
 *
 * <p>The text is split into shell statements the way sh(1) reads them (quotes, backslashes and
 * comments understood, so a quoted value spanning lines is one statement). Only a plain {@code
 * NAME=VALUE} statement with a literal value (bare, in single quotes, or in double quotes without
 * {@code $} or backquotes) counts as a value; when the variable's last assignment is anything else
 * (an expansion, several statements on a line), its value is unknown: setting it appends a new
 * assignment, which sh then takes, and removing it leaves the file alone. A file that ends inside a
 * quote is refused, since anything appended would become part of the quoted string. Immutable.
 */
final class RcConf {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_ .:/-]*");
  private static final Pattern ASSIGNMENT =
      Pattern.compile(
          "[ \\t]*([A-Za-z_][A-Za-z0-9_]*)=(\"(?:[^\"\\\\$`\\n]|\\\\[\\\\\"$`])*\""
              + "|'[^'\\n]*'|[A-Za-z0-9_./:,+@%^=-]*)[ \\t]*(?:#[^\\n]*)?\\n?");

  private final List<Statement> statements;

  /** One statement: its text, and the same without its comment (what sh runs). */
  private record Statement(String text, String code) {}

  private RcConf(List<Statement> statements) {
    this.statements = List.copyOf(statements);
  }

  /** The rc.conf {@code bytes}; refused when they end inside a quoted string. */
  static RcConf parse(byte[] bytes) throws JailException {
    return new RcConf(statements(new String(bytes, StandardCharsets.ISO_8859_1)));
  }

  /** The file's bytes. */
  byte[] bytes() {
    StringBuilder text = new StringBuilder();
    statements.forEach(s -> text.append(s.text()));
    return text.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * The literal value {@code name} has after the file is read: its last assignment's, empty when
   * there is none or when that assignment is not a literal one.
   */
  Optional<String> value(String name) {
    int last = lastAssignment(name);
    return last < 0 ? Optional.empty() : literal(statements.get(last), name);
  }

  /** This file with {@code name="value"}: the last literal assignment replaced, or appended. */
  RcConf with(String name, String value) throws JailException {
    check(name, value);
    if (value(name).equals(Optional.of(value))) {
      return this;
    }
    String line = name + "=\"" + value + "\"\n";
    Statement assignment = new Statement(line, line);
    List<Statement> out = new ArrayList<>(statements);
    int last = lastAssignment(name);
    if (last >= 0 && literal(out.get(last), name).isPresent()) {
      out.set(last, assignment);
    } else {
      if (!out.isEmpty() && !out.get(out.size() - 1).text().endsWith("\n")) {
        Statement end = out.get(out.size() - 1);
        out.set(out.size() - 1, new Statement(end.text() + "\n", end.code() + "\n"));
      }
      out.add(assignment);
    }
    return new RcConf(out);
  }

  /**
   * This file without the literal assignments of {@code name} when its value is exactly {@code
   * value} (what warder wrote); unchanged otherwise.
   */
  RcConf without(String name, String value) throws JailException {
    check(name, value);
    if (!value(name).equals(Optional.of(value))) {
      return this;
    }
    List<Statement> out = new ArrayList<>();
    for (Statement s : statements) {
      if (!(assigns(s, name) && literal(s, name).isPresent())) {
        out.add(s);
      }
    }
    return new RcConf(out);
  }

  private int lastAssignment(String name) {
    for (int i = statements.size() - 1; i >= 0; i--) {
      if (assigns(statements.get(i), name)) {
        return i;
      }
    }
    return -1;
  }

  /** Whether statement {@code s} may assign {@code name} (literally or otherwise). */
  private static boolean assigns(Statement s, String name) {
    return Pattern.compile("(?:^|[\\s;&|(])" + name + "=").matcher(s.code()).find();
  }

  /** The literal value statement {@code s} gives {@code name}, if it is a plain assignment. */
  private static Optional<String> literal(Statement s, String name) {
    Matcher m = ASSIGNMENT.matcher(s.text());
    if (!m.matches() || !m.group(1).equals(name)) {
      return Optional.empty();
    }
    String v = m.group(2);
    if (v.startsWith("\"")) {
      return Optional.of(v.substring(1, v.length() - 1).replaceAll("\\\\(.)", "$1"));
    }
    if (v.startsWith("'")) {
      return Optional.of(v.substring(1, v.length() - 1));
    }
    return Optional.of(v);
  }

  private static void check(String name, String value) {
    if (!NAME.matcher(name).matches() || !VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "not an rc.conf entry warder writes: " + name + "=" + value);
    }
  }

  /** {@code text} cut into statements, each with its newline; their concatenation is the text. */
  private static List<Statement> statements(String text) throws JailException {
    List<Statement> out = new ArrayList<>();
    StringBuilder code = new StringBuilder();
    int start = 0;
    char quote = 0;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      code.append(c);
      if (quote == '\'') {
        quote = c == '\'' ? 0 : quote;
      } else if (c == '\\') {
        i++; // the next character is taken literally (a newline: the statement goes on)
        code.append(i < text.length() ? text.substring(i, i + 1) : "");
      } else if (quote == '"') {
        quote = c == '"' ? 0 : quote;
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == start || " \t;".indexOf(text.charAt(i - 1)) >= 0)) {
        code.setLength(code.length() - 1);
        int end = text.indexOf('\n', i);
        i = end < 0 ? text.length() : end;
        continue;
      } else if (c == '\n') {
        out.add(new Statement(text.substring(start, i + 1), code.toString()));
        code.setLength(0);
        start = i + 1;
      }
      i++;
    }
    if (quote != 0 || i > text.length()) {
      throw new JailException(
          "the jail's rc.conf ends inside a "
              + (quote == 0 ? "backslash escape" : "quoted string")
              + "; expected complete sh(1) assignments: fix the file from inside the jail");
    }
    if (start < text.length()) {
      out.add(new Statement(text.substring(start), code.toString()));
    }
    return out;
  }
}
