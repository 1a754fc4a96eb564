package org.warder.client.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Progress lines off a terminal: the size announced, then the bytes the task really moved. */
class ConsoleProgressTest {
  @Test
  void plainLines_countTheTasksBytesOnly() {
    StringWriter text = new StringWriter();
    ConsoleProgress progress = new ConsoleProgress(new PrintWriter(text, true), false);

    progress.advance(999); // metadata fetched before the task: not the task's bytes
    progress.begin("base.txz", 3 * 1024);
    progress.advance(1024);
    progress.advance(2 * 1024);
    progress.end();
    progress.advance(5); // after it: ignored as well

    assertThat(text.toString().lines())
        .hasSize(2)
        .satisfies(l -> assertThat(l.get(0)).isEqualTo("base.txz (3.0 KiB) ..."))
        .satisfies(l -> assertThat(l.get(1)).startsWith("base.txz: 3.0 KiB in "));
  }

  @Test
  void bytes_inBinaryUnits() {
    assertThat(ConsoleProgress.bytes(512)).isEqualTo("512 B");
    assertThat(ConsoleProgress.bytes(1536)).isEqualTo("1.5 KiB");
    assertThat(ConsoleProgress.bytes(3L << 30)).isEqualTo("3.0 GiB");
  }
}
