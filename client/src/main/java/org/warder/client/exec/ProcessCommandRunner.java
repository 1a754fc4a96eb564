package org.warder.client.exec;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.warder.client.progress.Reporter;

/**
 * The only class that starts processes: argv lists, never a shell. Captures stdout and stderr,
 * feeds stdin, kills the process tree on timeout. With a log writer it prints each command before
 * running it ({@code -v}). Thread-safe when its reporter is.
 */
public final class ProcessCommandRunner implements CommandRunner {
  /** How long a command whose input broke may take to exit before it is killed. */
  private static final long EXIT_GRACE_SECONDS = 10;

  private final Reporter log;
  private final boolean verbose;

  /** A runner that reports each command to {@code log} when {@code verbose}. */
  public ProcessCommandRunner(Reporter log, boolean verbose) {
    this.log = log;
    this.verbose = verbose;
  }

  /** Output is drained by threads of their own: a full stderr pipe must never stall stdout. */
  private static final ExecutorService DRAINERS =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "command-output");
            t.setDaemon(true);
            return t;
          });

  @Override
  public CommandResult run(Command command) throws IOException, InterruptedException {
    Process process = start(command);
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    try (OutputStream in = process.getOutputStream()) {
      if (command.stdin().isPresent()) {
        in.write(command.stdin().get());
      }
    }
    if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      kill(process);
      throw new IOException(
          "'" + command.display() + "' did not finish within " + command.timeout() + "; killed");
    }
    return new CommandResult(
        process.exitValue(),
        new String(out.join(), StandardCharsets.UTF_8),
        new String(err.join(), StandardCharsets.UTF_8));
  }

  @Override
  public <T, E extends Exception> T stream(Command command, OutputReader<T, E> reader)
      throws IOException, InterruptedException, E {
    Process process = start(command);
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    process.getOutputStream().close();
    T result;
    try (InputStream out = process.getInputStream()) {
      result = reader.read(out);
      out.transferTo(OutputStream.nullOutputStream()); // let the command finish writing
    } catch (Exception e) {
      kill(process); // precise rethrow: only what the reader and the stream can throw
      throw e;
    }
    awaitSuccess(process, command, err);
    return result;
  }

  @Override
  public <T, E extends Exception> T feed(Command command, InputWriter<T, E> writer)
      throws IOException, InterruptedException, E {
    Process process = start(command);
    CompletableFuture<byte[]> out = drain(process.getInputStream());
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    T result;
    StdinWatch stdin = new StdinWatch(process.getOutputStream());
    try (stdin) {
      result = writer.write(stdin);
    } catch (Exception e) {
      // A command that stops reading and exits (zfs receive refusing a stream) makes the writer
      // fail
      // with "Broken pipe": say why it exited instead. A writer failing on its own side gets the
      // kill.
      if (stdin.broken
          && process.waitFor(EXIT_GRACE_SECONDS, TimeUnit.SECONDS)
          && process.exitValue() != 0) {
        CommandFailedException failed =
            new CommandFailedException(
                command,
                new CommandResult(
                    process.exitValue(),
                    new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8)));
        failed.addSuppressed(e);
        throw failed;
      }
      kill(process); // precise rethrow: only what the writer and the stream can throw
      throw e;
    }
    if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      kill(process);
      throw new IOException(
          "'" + command.display() + "' did not finish within " + command.timeout() + "; killed");
    }
    CommandResult finished =
        new CommandResult(
            process.exitValue(),
            new String(out.join(), StandardCharsets.UTF_8),
            new String(err.join(), StandardCharsets.UTF_8));
    if (!finished.ok()) {
      throw new CommandFailedException(command, finished);
    }
    return result;
  }

  @Override
  public <T, E extends Exception> T filter(
      Command command, InputWriter<?, IOException> writer, OutputReader<T, E> reader)
      throws IOException, InterruptedException, E {
    Process process = start(command);
    CompletableFuture<byte[]> err = drain(process.getErrorStream());
    AtomicReference<IOException> writerFailed = new AtomicReference<>();
    CompletableFuture<Void> fed =
        CompletableFuture.runAsync(
            () -> {
              OutputStream in = process.getOutputStream();
              try {
                writer.write(in);
                in.close();
              } catch (IOException e) {
                // noted, then the command killed, before its input ends: what the reader sees next
                // (a truncated stream) follows from this failure
                writerFailed.set(e);
                process.destroyForcibly();
                try {
                  in.close();
                } catch (IOException closing) {
                  e.addSuppressed(closing);
                }
              }
            },
            DRAINERS);
    T result;
    try (InputStream out = process.getInputStream()) {
      result = reader.read(out);
      out.transferTo(OutputStream.nullOutputStream()); // let the command finish writing
    } catch (Exception e) {
      IOException cause = writerFailed.get();
      kill(process);
      if (cause != null) {
        cause.addSuppressed(e);
        throw cause;
      }
      throw e; // precise rethrow: only what the reader and the stream can throw
    }
    try {
      fed.get();
    } catch (ExecutionException e) {
      kill(process);
      throw new IOException("feeding '" + command.display() + "' failed", e.getCause());
    }
    if (writerFailed.get() != null) {
      throw writerFailed.get();
    }
    awaitSuccess(process, command, err);
    return result;
  }

  /**
   * Waits for a command whose output was streamed to exit 0; kills it when it outlives its timeout.
   */
  private static void awaitSuccess(Process process, Command command, CompletableFuture<byte[]> err)
      throws IOException, InterruptedException {
    if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
      kill(process);
      throw new IOException(
          "'" + command.display() + "' did not finish within " + command.timeout() + "; killed");
    }
    CommandResult finished =
        new CommandResult(process.exitValue(), "", new String(err.join(), StandardCharsets.UTF_8));
    if (!finished.ok()) {
      throw new CommandFailedException(command, finished);
    }
  }

  /**
   * A command's standard input that remembers whether writing to it failed (the command stopped
   * reading).
   */
  private static final class StdinWatch extends FilterOutputStream {
    boolean broken;

    StdinWatch(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        broken = true;
        throw e;
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        broken = true;
        throw e;
      }
    }
  }

  @Override
  public void pipe(Command producer, Command consumer) throws IOException, InterruptedException {
    if (verbose) {
      log.info("+ " + producer.display() + " | " + consumer.display());
    }
    ProcessBuilder left = new ProcessBuilder(producer.argv());
    left.environment().putAll(producer.env());
    ProcessBuilder right = new ProcessBuilder(consumer.argv());
    right.environment().putAll(consumer.env());
    List<Process> processes = ProcessBuilder.startPipeline(List.of(left, right));
    List<CompletableFuture<byte[]>> errors = new ArrayList<>();
    for (Process p : processes) {
      errors.add(drain(p.getErrorStream()));
    }
    processes.get(0).getOutputStream().close();
    CompletableFuture<byte[]> out = drain(processes.get(1).getInputStream());
    java.time.Duration timeout =
        producer.timeout().compareTo(consumer.timeout()) > 0
            ? producer.timeout()
            : consumer.timeout();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Process p : processes) {
      if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        for (Process q : processes) {
          kill(q);
        }
        throw new IOException(
            "'"
                + producer.display()
                + " | "
                + consumer.display()
                + "' did not finish within "
                + timeout
                + "; killed");
      }
    }
    List<Command> commands = List.of(producer, consumer);
    for (int i = 0; i < 2; i++) {
      CommandResult result =
          new CommandResult(
              processes.get(i).exitValue(),
              i == 1 ? new String(out.join(), StandardCharsets.UTF_8) : "",
              new String(errors.get(i).join(), StandardCharsets.UTF_8));
      if (!result.ok()) {
        throw new CommandFailedException(commands.get(i), result);
      }
    }
  }

  @Override
  public int attached(Command command) throws IOException, InterruptedException {
    return started(builder(command).inheritIO(), command).waitFor();
  }

  private Process start(Command command) throws IOException {
    ProcessBuilder builder = builder(command);
    if (command.outputLog().isPresent()) {
      ProcessBuilder.Redirect log =
          ProcessBuilder.Redirect.appendTo(command.outputLog().get().toFile());
      builder
          .redirectOutput(log)
          .redirectError(log)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }
    return started(builder, command);
  }

  private ProcessBuilder builder(Command command) {
    if (verbose) {
      log.info("+ " + command.display());
    }
    ProcessBuilder builder = new ProcessBuilder(command.argv());
    builder.environment().putAll(command.env());
    return builder;
  }

  private static Process started(ProcessBuilder builder, Command command) throws IOException {
    try {
      return builder.start();
    } catch (IOException e) {
      throw new IOException("cannot run " + command.argv().get(0) + ": " + e.getMessage(), e);
    }
  }

  private static void kill(Process process) throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
  }

  private static CompletableFuture<byte[]> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream buffer = new ByteArrayOutputStream();
          try (stream) {
            stream.transferTo(buffer);
          } catch (IOException e) {
            // the process went away; what was read is what there is
          }
          return buffer.toByteArray();
        },
        DRAINERS);
  }
}
