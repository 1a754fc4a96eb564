package org.warder.client.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Progress on the console: on a terminal a bar redrawn in place with bytes, rate and ETA; when
 * output is not a terminal (a log, a pipe) one plain line when a task starts and one when it ends.
 * Not thread-safe: one task at a time.
 */
public final class ConsoleProgress implements ProgressListener {
  private static final long REDRAW_NANOS = 200_000_000L;
  private final PrintWriter out;
  private final boolean terminal;
  private String task = "";
  private long total;
  private long done;
  private long startNanos;
  private long lastDraw;
  private boolean active;

  public ConsoleProgress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void begin(String task, long total) {
    this.task = task;
    this.total = total;
    this.done = 0;
    this.startNanos = System.nanoTime();
    this.lastDraw = 0;
    this.active = true;
    if (!terminal) {
      out.println(task + (total >= 0 ? " (" + bytes(total) + ")" : "") + " ...");
      out.flush();
    }
  }

  @Override
  public void advance(long n) {
    if (!active) {
      return; // bytes between tasks (metadata) belong to no task
    }
    done += n;
    long now = System.nanoTime();
    if (terminal && now - lastDraw > REDRAW_NANOS) {
      lastDraw = now;
      draw(now);
    }
  }

  @Override
  public void end() {
    active = false;
    long now = System.nanoTime();
    if (terminal) {
      draw(now);
      out.println();
    } else {
      out.println(
          task
              + ": "
              + bytes(done)
              + " in "
              + seconds(now - startNanos)
              + " ("
              + bytes(rate(now))
              + "/s)");
    }
    out.flush();
  }

  private void draw(long now) {
    double fraction = total > 0 ? Math.min(1.0, (double) done / total) : 0;
    int width = 30;
    int filled = (int) (fraction * width);
    long rate = rate(now);
    String eta = total > 0 && rate > 0 ? seconds((long) ((total - done) * 1e9 / rate)) : "--";
    out.print(
        String.format(
            Locale.ROOT,
            "\r%-24.24s [%s%s] %5.1f%% %10s %10s/s ETA %s  ",
            task,
            "#".repeat(filled),
            " ".repeat(width - filled),
            fraction * 100,
            bytes(done),
            bytes(rate),
            eta));
    out.flush();
  }

  private long rate(long now) {
    long elapsed = Math.max(1, now - startNanos);
    return (long) (done * 1e9 / elapsed);
  }

  /** {@code n} bytes as progress lines show them: 512 B, 1.5 KiB, 2.0 MiB... */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static String seconds(long nanos) {
    Duration d = Duration.ofNanos(nanos);
    return d.toMinutes() > 0
        ? String.format(Locale.ROOT, "%dm%02ds", d.toMinutes(), d.toSecondsPart())
        : String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
  }
}
