package org.warder.client.plan;

import java.io.IOException;
import java.util.List;
import org.warder.client.ClientException;
import org.warder.client.progress.Reporter;

/**
 * One thing a host-changing command does. A step is built with every decision already made (the
 * jail's name, the devfs ruleset number, the commands' argv), so that what it {@link #describe
 * describes} is exactly what it {@link #run runs}, and {@link #undo} reverts exactly what the run
 * did.
 */
public interface Step {
  /** A short name for progress, timings and error messages: {@code create}, {@code pkg}. */
  String name();

  /**
   * What running the step will do, one line each: the host commands as a user could type them and
   * the files it writes with what goes into them. Reads nothing that running would change.
   */
  List<String> describe();

  /** Does what {@link #describe} says. */
  void run(Reporter reporter) throws ClientException, IOException, InterruptedException;

  /**
   * Reverts what a completed {@link #run} did. Called only after {@code run} returned, in reverse
   * order of the steps, when a later step failed. A step whose effect lives inside what an earlier
   * step made (a file in a jail the first step created) reverts nothing: the earlier step's undo
   * removes it.
   */
  default void undo(Reporter reporter) throws ClientException, IOException, InterruptedException {}
}
