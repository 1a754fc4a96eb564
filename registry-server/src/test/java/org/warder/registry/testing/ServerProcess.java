package org.warder.registry.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.registry.storage.FailPoints;

/**
 * {@code warder-registry serve} as a real operating-system process (java -cp &lt;test classpath&gt;
 * org.warder.registry.cli.RegistryMain serve), on port 0 unless {@code --listen} is among its
 * options, optionally with a fail point armed, for tests that kill it.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING =
      Pattern.compile("warder-registry serving .* at (http://\\S+/)");
  private static final Pattern METRICS =
      Pattern.compile("warder-registry metrics at (http://\\S+)");
  private static int started;

  private final Process process;
  private final URI url;
  private final Optional<URI> metricsUrl;
  private final Path stderr;

  private ServerProcess(Process process, URI url, Optional<URI> metricsUrl, Path stderr) {
    this.process = process;
    this.url = url;
    this.metricsUrl = metricsUrl;
    this.stderr = stderr;
  }

  /**
   * Starts serving {@code data}; {@code failPoint} names a {@link FailPoints} point to halt at;
   * {@code options} are more options of {@code serve}.
   */
  public static ServerProcess start(
      Path data, Optional<String> failPoint, Path logs, String... options) throws Exception {
    return start(data, failPoint, 0, logs, Optional.empty(), Map.of(), options);
  }

  /**
   * Starts serving {@code data} with {@code env} in its environment; a thread that reaches {@code
   * failPoint} stalls there for {@code stallSeconds} ({@link FailPoints#STALL_PROPERTY}) and goes
   * on, for tests that kill or stop the process at that step ({@link #awaitStderr}).
   */
  public static ServerProcess startStalling(
      Path data,
      String failPoint,
      long stallSeconds,
      Map<String, String> env,
      Path logs,
      String... options)
      throws Exception {
    return start(data, Optional.of(failPoint), stallSeconds, logs, Optional.empty(), env, options);
  }

  /** Starts serving {@code data} with {@code env} added to the process's environment. */
  public static ServerProcess startWithEnvironment(
      Path data, Map<String, String> env, Path logs, String... options) throws Exception {
    return start(data, Optional.empty(), 0, logs, Optional.empty(), env, options);
  }

  /**
   * Starts serving {@code data} with {@code failPoint} armed and {@code env} in its environment.
   */
  public static ServerProcess startWithEnvironment(
      Path data, Optional<String> failPoint, Map<String, String> env, Path logs, String... options)
      throws Exception {
    return start(data, failPoint, 0, logs, Optional.empty(), env, options);
  }

  /**
   * Starts serving {@code data} with the file mode creation mask {@code umask} (octal, e.g. "000").
   */
  public static ServerProcess startWithUmask(Path data, Path logs, String umask) throws Exception {
    return start(data, Optional.empty(), 0, logs, Optional.of(umask), Map.of());
  }

  private static ServerProcess start(
      Path data,
      Optional<String> failPoint,
      long stallSeconds,
      Path logs,
      Optional<String> umask,
      Map<String, String> env,
      String... options)
      throws Exception {
    int n;
    synchronized (ServerProcess.class) {
      n = ++started;
    }
    Files.createDirectories(logs);
    List<String> command = new ArrayList<>();
    umask.ifPresent(
        u -> command.addAll(List.of("/bin/sh", "-c", "umask " + u + " && exec \"$@\"", "sh")));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-Xmx256m");
    failPoint.ifPresent(f -> command.add("-D" + FailPoints.PROPERTY + "=" + f));
    if (stallSeconds > 0) {
      command.add("-D" + FailPoints.STALL_PROPERTY + "=" + stallSeconds);
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.warder.registry.cli.RegistryMain");
    command.addAll(List.of("serve", "--data", data.toString()));
    if (!List.of(options).contains("--listen")) {
      command.addAll(List.of("--listen", "127.0.0.1:0"));
    }
    command.addAll(List.of("--access-log", logs.resolve("access-" + n + ".log").toString()));
    command.addAll(List.of(options));
    Path stderr = logs.resolve("stderr-" + n + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.to(stderr.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    CompletableFuture<URI> url = new CompletableFuture<>();
    CompletableFuture<URI> metrics = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader out =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                  Matcher m = SERVING.matcher(line);
                  if (m.find()) {
                    url.complete(URI.create(m.group(1)));
                  }
                  Matcher mm = METRICS.matcher(line);
                  if (mm.find()) {
                    metrics.complete(URI.create(mm.group(1)));
                  }
                }
                url.completeExceptionally(
                    new IOException("the server's output ended before it served"));
                metrics.completeExceptionally(
                    new IOException("the server's output ended before it served metrics"));
              } catch (IOException e) {
                url.completeExceptionally(e);
              }
            },
            "server-" + n + "-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      URI served = url.get(30, TimeUnit.SECONDS);
      // "metrics at" is printed right after "serving at", when there is a metrics listener
      boolean withMetrics = List.of(options).contains("--metrics-listen");
      return new ServerProcess(
          process,
          served,
          withMetrics ? Optional.of(metrics.get(10, TimeUnit.SECONDS)) : Optional.empty(),
          stderr);
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      process.destroyForcibly().waitFor();
      throw new IOException("the server did not start: " + Files.readString(stderr), e);
    }
  }

  /**
   * Starts serving {@code data} at {@code url} (a restart on the address a killed process served)
   * after {@code delay}, in a thread of its own; the future fails if the start does.
   */
  public static CompletableFuture<ServerProcess> startLater(
      Duration delay, Path data, URI url, Path logs) {
    CompletableFuture<ServerProcess> started = new CompletableFuture<>();
    Thread starter =
        new Thread(
            () -> {
              try {
                Thread.sleep(delay.toMillis());
                started.complete(
                    start(
                        data,
                        Optional.empty(),
                        logs,
                        "--listen",
                        url.getHost() + ":" + url.getPort()));
              } catch (Exception e) {
                started.completeExceptionally(e);
              }
            },
            "server-restart");
    starter.setDaemon(true);
    starter.start();
    return started;
  }

  public URI url() {
    return url;
  }

  /** The URL of {@code /metrics}, when started with {@code --metrics-listen}. */
  public Optional<URI> metricsUrl() {
    return metricsUrl;
  }

  public Process process() {
    return process;
  }

  /** What the process wrote on standard error. */
  public String stderr() throws IOException {
    return Files.readString(stderr);
  }

  /**
   * Waits up to {@code seconds} until the process wrote {@code text} on standard error (a fail
   * point reached, a message); fails with what it wrote.
   */
  public void awaitStderr(String text, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!stderr().contains(text)) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new TimeoutException(
            "expected the server to write \""
                + text
                + "\" within "
                + seconds
                + " s, found "
                + (process.isAlive() ? "" : "it gone and ")
                + "only:\n"
                + stderr());
      }
      Thread.sleep(50);
    }
  }

  /** Sends {@code signal} ("STOP", "CONT") to the process, as kill(1) does. */
  public void signal(String signal) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  /** SIGKILL, then waits for the process to be gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Waits up to {@code seconds} for the process to end on its own; returns its exit status. */
  public int waitForExit(long seconds) throws Exception {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      throw new TimeoutException("the server process is still running after " + seconds + " s");
    }
    return process.exitValue();
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
