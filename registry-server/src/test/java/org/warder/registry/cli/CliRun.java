package org.warder.registry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of {@code warder-registry} in-process: exit status, standard output and error. */
record CliRun(int status, String out, String err) {
  static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = RegistryMain.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new CliRun(status, out.toString(), err.toString());
  }
}
