package org.warder.client.runtime;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.warder.client.exec.CommandResult;
import org.warder.client.jail.props.JailName;

/**
 * Runs jails: FreeBSD's jail(8), or the bubblewrap sandbox on Linux. A started jail keeps running
 * until stopped, independent of the warder process that started it. Implementations are
 * thread-safe.
 */
public interface JailRuntime {
  /** Starts the jail described by {@code spec}; refused when it already runs. */
  void start(RuntimeSpec spec) throws IOException, InterruptedException;

  /** Runs the stop command inside the jail, then removes it; nothing if it does not run. */
  void stop(RuntimeSpec spec) throws IOException, InterruptedException;

  /** The jail's id while it runs: the jid on FreeBSD, the sandbox's host pid on Linux. */
  OptionalLong jid(JailName name) throws IOException, InterruptedException;

  /** Runs {@code argv} inside the running jail with {@code env}, capturing its output. */
  CommandResult exec(JailName name, List<String> argv, Map<String, String> env)
      throws IOException, InterruptedException;

  /**
   * Runs {@code argv} inside the running jail, its standard output copied to {@code sink} as it
   * comes (long scripts show progress); returns the exit code and the captured stderr.
   */
  CommandResult execStreaming(
      JailName name, List<String> argv, Map<String, String> env, java.io.OutputStream sink)
      throws IOException, InterruptedException;

  /** {@code jail} or {@code sandbox}, for listings. */
  String kind();
}
