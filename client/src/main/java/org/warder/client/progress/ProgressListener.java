package org.warder.client.progress;

/**
 * Hears about a long transfer or task. Implementations must be fast and never throw; they are
 * called from the thread doing the work.
 */
public interface ProgressListener {
  ProgressListener NONE =
      new ProgressListener() {
        @Override
        public void begin(String task, long total) {}

        @Override
        public void advance(long done) {}

        @Override
        public void end() {}
      };

  /** A task starts; {@code total} is its size in bytes, or -1 when unknown. */
  void begin(String task, long total);

  /** {@code done} more bytes. */
  void advance(long done);

  /** The task finished (or failed). */
  void end();
}
