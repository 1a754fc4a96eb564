package org.warder.client.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The outcome of one in-process {@code warder} invocation. */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = WarderMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
