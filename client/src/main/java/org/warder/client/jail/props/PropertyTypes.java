package org.warder.client.jail.props;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.warder.client.jail.props.PropertyType.Invalid;
import org.warder.client.jail.props.PropertyType.Json;

/** The scalar property types: booleans, integers, choices, text, names, paths. */
final class PropertyTypes {
  private static final Pattern HOST_LABEL =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
  static final Pattern RELEASE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private PropertyTypes() {}

  /** 0/1; yes/no, true/false, on/off (any case) are normalized to 1/0, like iocage. */
  static PropertyType bool() {
    return new PropertyType(
        "bool",
        "0 or 1 (also yes/no, true/false, on/off)",
        Json.NUMBER,
        raw -> IocageBoolean.parse(raw).map(b -> b ? "1" : "0").orElseThrow(() -> new Invalid("")));
  }

  static PropertyType integer(int min, int max) {
    return new PropertyType(
        "int",
        "an integer from " + min + " to " + max,
        Json.NUMBER,
        raw -> {
          String v = raw.trim();
          if (!v.matches("-?[0-9]{1,10}")) {
            throw new Invalid("not an integer");
          }
          long n = Long.parseLong(v);
          if (n < min || n > max) {
            throw new Invalid("out of range");
          }
          return Long.toString(n);
        });
  }

  /** One of {@code choices}, any case, normalized to lower case. */
  static PropertyType choice(String... choices) {
    List<String> all = List.of(choices);
    return new PropertyType(
        "choice",
        "one of " + String.join(", ", all),
        Json.STRING,
        raw -> {
          String v = raw.trim().toLowerCase(Locale.ROOT);
          if (!all.contains(v)) {
            throw new Invalid("");
          }
          return v;
        });
  }

  /** One line of printable text, at most {@code max} characters. */
  static PropertyType text(int max) {
    return new PropertyType(
        "string",
        "one line of text without control characters, at most " + max + " characters",
        Json.STRING,
        raw -> singleLine(raw, max));
  }

  /**
   * A command jail(8) runs through sh(1): one non-empty line. Shell syntax ({@code ;}, quotes,
   * {@code $}) is allowed: it is the value's meaning, and jail.conf quoting keeps it inside the
   * value; line breaks are refused.
   */
  static PropertyType command() {
    return new PropertyType(
        "command",
        "a command line (one line, not empty, at most 1024 characters)",
        Json.STRING,
        raw -> {
          String v = singleLine(raw, 1024).trim();
          if (v.isEmpty()) {
            throw new Invalid("empty command");
          }
          return v;
        });
  }

  /** {@code none} or an RFC 1123 host or domain name: letters, digits, '-' and dots. */
  static PropertyType hostname() {
    return new PropertyType(
        "hostname",
        "none or a host name (letters, digits and '-' in dot-separated labels, at most 253 characters)",
        Json.STRING,
        raw -> {
          String v = raw.trim();
          if (v.equals("none")) {
            return v;
          }
          if (v.isEmpty() || v.length() > 253 || v.endsWith(".")) {
            throw new Invalid("not a host name");
          }
          for (String label : v.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
              throw new Invalid("'" + Printable.of(label) + "' is not a host name label");
            }
          }
          return v;
        });
  }

  /** {@code none} or letters, digits, '.', '_' and '-' (at most 64). */
  static PropertyType token() {
    return new PropertyType(
        "token",
        "none or letters, digits, '.', '_' and '-' (at most 64)",
        Json.STRING,
        raw -> {
          String v = raw.trim();
          if (!TOKEN.matcher(v).matches()) {
            throw new Invalid("");
          }
          return v;
        });
  }

  static PropertyType userName() {
    return new PropertyType(
        "user",
        "a user name (letters, digits, '_', '.', '-', not starting with '-' or a digit)",
        Json.STRING,
        raw -> {
          String v = raw.trim();
          if (!USER.matcher(v).matches()) {
            throw new Invalid("");
          }
          return v;
        });
  }

  static PropertyType jailName() {
    return new PropertyType(
        "jail-name", JailName.RULE, Json.STRING, raw -> JailName.check(raw.trim()));
  }

  /** {@code none} or jail names separated by spaces or commas; normalized to single spaces. */
  static PropertyType jailNames() {
    return new PropertyType(
        "jail-names",
        "none or jail names separated by spaces or commas (" + JailName.RULE + ")",
        Json.STRING,
        raw -> {
          String v = raw.trim();
          if (v.equals("none") || v.isEmpty()) {
            return "none";
          }
          List<String> names = new ArrayList<>();
          for (String n : v.split("[\\s,]+")) {
            String name = JailName.check(n);
            if (!names.contains(name)) {
              names.add(name);
            }
          }
          return String.join(" ", names);
        });
  }

  /** A FreeBSD release or userland version: 14.2-RELEASE, 14.2-RELEASE-p1, EMPTY. */
  static PropertyType release() {
    return new PropertyType(
        "release",
        "a release name such as 14.2-RELEASE or 14.2-RELEASE-p1",
        Json.STRING,
        raw -> {
          String v = raw.trim();
          if (!RELEASE.matcher(v).matches()) {
            throw new Invalid("");
          }
          return v;
        });
  }

  /**
   * A release or template of this host, as config.json spells it ({@link Origin}); never a path.
   */
  static PropertyType origin() {
    return new PropertyType(
        "origin",
        Origin.RULE,
        Json.STRING,
        raw ->
            Origin.parse(raw.trim())
                .orElseThrow(() -> new Invalid("not a release or template of this host"))
                .storageName());
  }

  static PropertyType instant() {
    return new PropertyType(
        "instant",
        "an ISO-8601 UTC time such as 2025-01-27T10:15:30Z",
        Json.STRING,
        raw -> {
          try {
            return Instant.parse(raw.trim()).toString();
          } catch (DateTimeParseException e) {
            throw new Invalid("");
          }
        });
  }

  /** An absolute, normalized path of one line. */
  static PropertyType path() {
    return new PropertyType(
        "path",
        "an absolute path such as /etc/resolv.conf",
        Json.STRING,
        PropertyTypes::absolutePath);
  }

  static String absolutePath(String raw) throws Invalid {
    String v = singleLine(raw, 1024).trim();
    if (!v.startsWith("/")
        || v.contains("//")
        || v.matches(".*(^|/)\\.{1,2}(/|$).*")
        || (v.length() > 1 && v.endsWith("/"))) {
      throw new Invalid("not an absolute normalized path");
    }
    return v;
  }

  static String singleLine(String raw, int max) throws Invalid {
    if (raw.length() > max) {
      throw new Invalid("longer than " + max + " characters");
    }
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        throw new Invalid(
            c == '\n' || c == '\r'
                ? "a line break is not allowed"
                : "a control character is not allowed");
      }
    }
    return raw;
  }
}
