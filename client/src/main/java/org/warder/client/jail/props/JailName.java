package org.warder.client.jail.props;

import java.util.regex.Pattern;

/**
 * A validated jail name: usable as a jail(8) name, a jail.conf block name, a directory and a ZFS
 * dataset component, and safe as an argument of jail, jexec, jls and pkg -j. It is 1 to 64 letters,
 * digits, '_' and '-', does not start with '-' (it would read as an option), has no '.' (jail(8)
 * reads dots as a parent.child hierarchy) and is not all digits (jexec and jls read a number as a
 * jail id).
 */
public record JailName(String value) {
  static final String RULE =
      "1-64 letters, digits, '_' and '-', not starting with '-', not all digits";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]{0,63}");

  public JailName {
    if (!valid(value)) {
      throw new IllegalArgumentException(
          "not a jail name: '" + Printable.of(String.valueOf(value)) + "'");
    }
  }

  /** {@code name} as a jail name, or a {@link PropertyException} that says what a name may be. */
  public static JailName of(String name) throws PropertyException {
    try {
      return new JailName(check(name));
    } catch (PropertyType.Invalid e) {
      throw PropertyException.malformed(
          "name", name == null ? "" : name, RULE, String.valueOf(e.getMessage()));
    }
  }

  static String check(String name) throws PropertyType.Invalid {
    if (!valid(name)) {
      throw new PropertyType.Invalid(
          "'" + Printable.of(String.valueOf(name)) + "' is not a valid jail name");
    }
    return name;
  }

  private static boolean valid(String name) {
    return name != null
        && NAME.matcher(name).matches()
        && !name.chars().allMatch(Character::isDigit);
  }

  @Override
  public String toString() {
    return value;
  }
}
