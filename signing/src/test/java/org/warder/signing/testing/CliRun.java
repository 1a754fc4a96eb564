package org.warder.signing.testing;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The outcome of one in-process run of a command-line entry point ({@code warder}, {@code
 * warder-registry}): its exit code and everything it wrote to standard output and error.
 */
public record CliRun(int exitCode, String out, String err) {

  /** An entry point in the shape of {@code WarderMain.run} and {@code RegistryMain.run}. */
  @FunctionalInterface
  public interface Main {
    int run(PrintWriter out, PrintWriter err, String... args);
  }

  /** Runs {@code main} with {@code args}, capturing what it writes. */
  public static CliRun of(Main main, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
