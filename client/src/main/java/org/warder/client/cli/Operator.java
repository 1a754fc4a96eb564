package org.warder.client.cli;

import com.sun.security.auth.module.UnixSystem;
import java.io.Console;
import java.util.Optional;

/**
 * Who runs {@code warder} and how to reach them: whether the process has root's privileges, and the
 * terminal to ask a question on. A port, so that tests run "as non-root" or "at a terminal" without
 * being either.
 */
public interface Operator {
  /** Whether the effective user is root (uid 0). */
  boolean root();

  /** The line typed at the terminal after {@code question}, or empty when there is no terminal. */
  Optional<String> ask(String question);

  /** This process: its effective uid (as {@code id -u} prints it), its controlling terminal. */
  static Operator system() {
    return new Operator() {
      @Override
      public boolean root() {
        return new UnixSystem().getUid() == 0;
      }

      @Override
      public Optional<String> ask(String question) {
        Console console = System.console();
        return console == null
            ? Optional.empty()
            : Optional.ofNullable(console.readLine("%s", question));
      }
    };
  }
}
