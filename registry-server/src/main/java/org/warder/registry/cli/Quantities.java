package org.warder.registry.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Sizes and durations given on the command line, refused with the option's name when malformed. */
final class Quantities {
  private static final Pattern SIZE =
      Pattern.compile("(\\d{1,15})([KMGT]?)i?B?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhd])");

  private Quantities() {}

  /** Bytes, or N followed by K, M, G or T (binary multiples), at least 1 byte. */
  static long size(CommandSpec spec, String option, String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new ParameterException(
          spec.commandLine(),
          "expected " + option + " as bytes or N with K, M, G or T, found " + text);
    }
    int shift =
        switch (m.group(2).toUpperCase(Locale.ROOT)) {
          case "K" -> 10;
          case "M" -> 20;
          case "G" -> 30;
          case "T" -> 40;
          default -> 0;
        };
    long n = Long.parseLong(m.group(1));
    if (n < 1 || n > (Long.MAX_VALUE >> shift)) {
      throw new ParameterException(
          spec.commandLine(), "expected " + option + " of at least 1 byte, found " + text);
    }
    return n << shift;
  }

  /** N (at least 1) followed by s, m, h or d. */
  static Duration duration(CommandSpec spec, String option, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "expected " + option + " as N followed by s, m, h or d (e.g. 24h), found " + text);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
