package org.warder.client.exec;

/** What a host command did: its exit code and captured output. */
public record CommandResult(int exitCode, String stdout, String stderr) {
  public boolean ok() {
    return exitCode == 0;
  }
}
