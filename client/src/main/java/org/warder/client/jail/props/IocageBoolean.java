package org.warder.client.jail.props;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * iocage's booleans, read by its rules (iocage_lib/ioc_common.py, {@code truthy_values} and {@code
 * truthy_inverse_values}): {@code 1 on yes true} are true and {@code 0 off no false} false, in any
 * case; warder also ignores surrounding blanks. The one place warder reads a boolean an
 * administrator or an iocage config.json wrote.
 */
public final class IocageBoolean {
  private static final Set<String> TRUE = Set.of("1", "on", "yes", "true");
  private static final Set<String> FALSE = Set.of("0", "off", "no", "false");

  private IocageBoolean() {}

  /** True or false as iocage spells them; empty for anything else. */
  public static Optional<Boolean> parse(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (TRUE.contains(v)) {
      return Optional.of(true);
    }
    if (FALSE.contains(v)) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /** iocage's {@code check_truthy}: true for its true spellings, false for anything else. */
  public static boolean isTrue(String value) {
    return parse(value).orElse(false);
  }
}
