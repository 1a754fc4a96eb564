package org.warder.client.cli;

import java.util.ArrayList;
import java.util.List;
import org.warder.client.jail.props.Suggestions;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * A refused command line as one line, a mistyped command or option with the closest valid ones
 * ("unknown command 'lsit'; did you mean list?"), found as for properties ({@link Suggestions}).
 * Stateless.
 */
final class CloseMatches {
  private CloseMatches() {}

  /** What was wrong with the command line of {@code ex}, with the closest names to a typo. */
  static String explain(ParameterException ex) {
    if (!(ex instanceof UnmatchedArgumentException unmatched)
        || unmatched.getUnmatched().isEmpty()) {
      return WarderMain.oneLine(ex);
    }
    CommandSpec spec = ex.getCommandLine().getCommandSpec();
    String typed = unmatched.getUnmatched().get(0);
    String where = spec.parent() == null ? "" : " of '" + spec.qualifiedName() + "'";
    if (typed.startsWith("-")) {
      String option = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
      return "unknown option '"
          + option
          + "'"
          + where
          + (option.length() > 2 // -x: every other letter is as close
              ? didYouMean(option, new ArrayList<>(spec.optionsMap().keySet()))
              : "");
    }
    if (spec.subcommands().isEmpty()) {
      return WarderMain.oneLine(ex);
    }
    List<String> commands = new ArrayList<>(spec.subcommands().keySet());
    return "unknown command '"
        + typed
        + "'"
        + where
        + didYouMean(typed, commands.stream().filter(c -> !c.equals("help")).toList());
  }

  private static String didYouMean(String typed, List<String> names) {
    List<String> close = Suggestions.closest(typed, names);
    return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
  }
}
