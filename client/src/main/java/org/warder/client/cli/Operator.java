package org.warder.client.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who runs {@code warder} and how to reach them: whether the process has root's privileges, and the
 * terminal to ask a question on. A port, so that tests run "as non-root" or "at a terminal" without
 * being either.
 */
public interface Operator {
  /** Whether the effective user is root (uid 0). */
  boolean root() throws IOException, InterruptedException;

  /** The line typed at the terminal after {@code question}, or empty when there is no terminal. */
  Optional<String> ask(String question);

  /** This process: its effective uid from {@code id -u}, its controlling terminal. */
  static Operator system() {
    return new Operator() {
      @Override
      public boolean root() throws IOException, InterruptedException {
        Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
        String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (id.waitFor() != 0) {
          throw new IOException(
              "'id -u' failed (" + uid + "); cannot tell whether warder runs as root");
        }
        return uid.equals("0");
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
