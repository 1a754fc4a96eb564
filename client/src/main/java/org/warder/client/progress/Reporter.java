package org.warder.client.progress;

/**
 * Where domain classes report what they do: steps and results, warnings, and the output of commands
 * they run inside a jail. Only the command line turns reports into text on a terminal; tests
 * collect them. Implementations decide on thread safety; the console one is not.
 */
public interface Reporter {
  /** A step started or a result worth telling, in one line. */
  void info(String message);

  /** Something the user should act on, in one line (without a "warning:" prefix). */
  void warning(String message);

  /** One line of output of a command run for the user (a pkg run, a plugin script). */
  void output(String line);

  /** A reporter that drops everything. */
  static Reporter silent() {
    return new Reporter() {
      @Override
      public void info(String message) {}

      @Override
      public void warning(String message) {}

      @Override
      public void output(String line) {}
    };
  }
}
