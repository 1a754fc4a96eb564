package org.warder.client.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The only class that starts processes: argv lists, never a shell. Captures stdout and stderr,
 * feeds stdin, kills the process tree on timeout. With a log writer it prints each command
 * before running it ({@code -v}). Thread-safe.
 */
public final class ProcessCommandRunner implements CommandRunner {
  private final PrintWriter log;
  private final boolean verbose;

  /** A runner that prints each command to {@code log} when {@code verbose}. */
  public ProcessCommandRunner(PrintWriter log, boolean verbose) {
    this.log = log;
    this.verbose = verbose;
  }

  @Override
  public CommandResult run(Command command) throws IOException, InterruptedException {
    if (verbose) {
      log.println("+ " + command.display());
      log.flush();
    }
    ProcessBuilder builder = new ProcessBuilder(command.argv());
    builder.environment().putAll(command.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException("cannot run " + command.argv().get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      if (command.stdin().isPresent()) {
        in.write(command.stdin().get());
      }
    }
    if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor();
      throw new IOException(
          "'" + command.display() + "' did not finish within " + command.timeout() + "; killed");
    }
    return new CommandResult(
        process.exitValue(),
        new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }

  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      ByteArrayOutputStream buffer = new ByteArrayOutputStream();
      try (stream) {
        stream.transferTo(buffer);
      } catch (IOException e) {
        // the process went away; what was read is what there is
      }
      return buffer.toByteArray();
    });
  }
}
