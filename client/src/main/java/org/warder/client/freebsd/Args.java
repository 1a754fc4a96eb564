package org.warder.client.freebsd;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Checks of values that become FreeBSD argv elements or file names. */
final class Args {
  private static final Pattern MODULE = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final Pattern PACKAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+@/,~-]{0,199}");
  private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");
  private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private Args() {}

  static String check(Pattern pattern, String value, String what, String expected)
      throws FreeBsdInputException {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new FreeBsdInputException(
          what, what + ": expected " + expected + ", found '" + show(value) + "'");
    }
    return value;
  }

  /** A kldload(8) module name; a path (kldload loads any file given as a path) is refused. */
  static String module(String name) throws FreeBsdInputException {
    return check(
        MODULE,
        name,
        "kernel module",
        "a module name of letters, digits and '_' (not a path), e.g. linux64");
  }

  /** A package name or origin for pkg install: never an option, never a path. */
  static String pkg(String name) throws FreeBsdInputException {
    check(
        PACKAGE,
        name,
        "package",
        "a package name or origin such as nginx or www/nginx, not starting with '-'");
    if (name.contains("..") || name.startsWith("/")) {
      throw new FreeBsdInputException(
          "package", "package: '" + show(name) + "' looks like a path; give a package name");
    }
    return name;
  }

  static String user(String name) throws FreeBsdInputException {
    return check(
        USER, name, "user", "a user name (letters, digits, '_', '.', '-', not starting with '-')");
  }

  static String envName(String name) throws FreeBsdInputException {
    return check(
        ENV,
        name,
        "environment variable",
        "a name of letters, digits and '_' not starting with a digit");
  }

  /** An argv element: anything but NUL, which no argv can carry. */
  static String arg(String value, String what) throws FreeBsdInputException {
    if (value == null || value.indexOf('\0') >= 0) {
      throw new FreeBsdInputException(
          what, what + ": a NUL character cannot be passed in an argument");
    }
    return value;
  }

  /** An absolute, normalized host path (paths come from the host layout, so a bad one is a bug). */
  static String path(Path path) {
    if (!path.isAbsolute() || !path.normalize().equals(path)) {
      throw new IllegalArgumentException("not an absolute normalized path: " + path);
    }
    return path.toString();
  }

  static String show(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      out.append(
          Character.isISOControl(c)
              ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c)
              : String.valueOf(c));
      if (out.length() > 200) {
        return out + "...";
      }
    }
    return out.toString();
  }
}
