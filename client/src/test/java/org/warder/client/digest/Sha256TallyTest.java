package org.warder.client.digest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.warder.signing.Digests;

/** Counting and hashing at once, by reading a stream or teeing writes, agree with Digests. */
class Sha256TallyTest {
  private static final byte[] DATA =
      "the bundle's bytes".repeat(50_000).getBytes(StandardCharsets.UTF_8);

  @Test
  void testOf_readsToTheEndCountingAndHashing() throws Exception {
    Sha256Tally tally = Sha256Tally.of(new ByteArrayInputStream(DATA));
    assertThat(tally.count()).isEqualTo(DATA.length);
    assertThat(tally.sha256()).isEqualTo(Digests.sha256Hex(DATA));
  }

  @Test
  void testTee_passesEveryByteOnAndTalliesIt() throws Exception {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Sha256Tally tally = new Sha256Tally();
    try (OutputStream out = tally.tee(sink)) {
      out.write(DATA[0]);
      out.write(DATA, 1, DATA.length - 1);
    }
    assertThat(sink.toByteArray()).isEqualTo(DATA);
    assertThat(tally.count()).isEqualTo(DATA.length);
    assertThat(tally.sha256()).isEqualTo(Digests.sha256Hex(DATA));
  }
}
