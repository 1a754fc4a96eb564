package org.warder.client.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.client.testing.HostileStreams;
import org.warder.client.testing.ZfsPool;

/**
 * The begin record of real zfs-fuse streams ({@code zfs send}, {@code -i}, {@code -p}, {@code -R},
 * {@code -I}) and of records altered to be big-endian, a volume, a clone, raw or not a stream: the
 * plain ones pass whole, every one that could carry a property or reach another dataset is refused
 * before a byte of it is passed on.
 */
class SendStreamBeginTest {
  @TempDir static Path tmp;
  static ZfsPool pool;
  static HostileStreams streams;

  @BeforeAll
  static void streams() throws Exception {
    pool = ZfsPool.create(tmp, 128);
    streams = HostileStreams.make(pool, tmp.resolve("host-dir"));
  }

  @AfterAll
  static void destroyPool() throws Exception {
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void testChecked_plainAndIncrementalStreamsPassWhole() throws Exception {
    for (byte[] stream : new byte[][] {streams.plain(), streams.incremental()}) {
      try (InputStream in = SendStreamBegin.checked(new ByteArrayInputStream(stream))) {
        assertThat(in.readAllBytes()).isEqualTo(stream);
      }
    }
    SendStreamBegin begin = SendStreamBegin.parse(streams.plain());
    assertThat(begin).isEqualTo(new SendStreamBegin(0, 1, 0, 2, 0, pool.name() + "/hostile/ds@s1"));
  }

  @Test
  void testChecked_propertyReplicationAndIntermediaryStreamsAreRefused() {
    for (byte[] stream :
        new byte[][] {streams.properties(), streams.replication(), streams.intermediary()}) {
      ByteArrayInputStream in = new ByteArrayInputStream(stream);
      assertThatThrownBy(() -> SendStreamBegin.checked(in))
          .isInstanceOf(RefusedStreamException.class)
          .hasMessage(
              "expected a plain zfs send stream of one snapshot ('zfs send' or 'zfs send -i'), found a"
                  + " replication or property stream ('zfs send -R', '-p' or '-I') (of "
                  + pool.name()
                  + "/hostile/ds@s2): it"
                  + " sets dataset properties (mountpoint, canmount, sharenfs, ...) that would act on this host, and warder"
                  + " takes no property from a stream; send the snapshot again without -R, -p and -I");
      assertThat(in.available())
          .as("nothing read past the begin record")
          .isEqualTo(stream.length - 312);
    }
  }

  @Test
  void testParse_bigEndianStreamIsRead() throws Exception {
    byte[] swapped = Arrays.copyOf(streams.plain(), 312);
    ByteBuffer le = ByteBuffer.wrap(streams.plain()).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer be = ByteBuffer.wrap(swapped).order(ByteOrder.BIG_ENDIAN);
    be.putInt(0, le.getInt(0))
        .putInt(4, le.getInt(4))
        .putLong(8, le.getLong(8))
        .putLong(16, le.getLong(16))
        .putInt(32, le.getInt(32))
        .putInt(36, le.getInt(36));
    SendStreamBegin.parse(swapped).check();
    be.putLong(16, 2);
    assertThatThrownBy(() -> SendStreamBegin.parse(swapped).check())
        .hasMessageContaining("found a replication");
  }

  @Test
  void testCheck_nvlistVolumeCloneRawAndGarbageAreRefused() {
    assertThat(refusal(32, 2, 0x2e8L))
        .contains("found a stream whose begin record carries 744 bytes of nvlist");
    assertThat(refusal(32, 3, 0))
        .contains("found objset type 3 (of " + pool.name() + "/hostile/ds@s1) (3 is a volume");
    assertThat(refusal(36, 1, 0)).contains("found a clone stream");
    assertThat(refusal(16, 1 | (1L << 26 << 2), 0))
        .contains("found a stream flagged to carry properties or holds (feature flags 0x4000000)");
    assertThat(refusal(16, 1 | (1L << 24 << 2), 0)).contains("found a raw one ('zfs send -w')");
    assertThat(refusal(8, 0x1234, 0))
        .contains(
            "expected a zfs send stream, whose begin record holds the magic number"
                + " 0x2f5bacbac, found 0x1234; it is not a zfs send stream");
    assertThat(refusal(0, 5, 0)).contains("found a record of type 5");
    assertThatThrownBy(() -> SendStreamBegin.checked(new ByteArrayInputStream(new byte[100])))
        .hasMessage(
            "expected a zfs send stream, which starts with a 312-byte begin record, found only 100 bytes; it is"
                + " not a zfs send stream, or it is truncated");
  }

  /**
   * The message refusing the plain stream with the field at {@code offset} set to {@code value}
   * (and the payload length at 4 set to {@code payload} unless 0).
   */
  private static String refusal(int offset, long value, long payload) {
    byte[] record = Arrays.copyOf(streams.plain(), 312);
    ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    if (offset == 8 || offset == 16) {
      b.putLong(offset, value);
    } else {
      b.putInt(offset, (int) value);
    }
    if (payload != 0) {
      b.putInt(4, (int) payload);
    }
    try {
      SendStreamBegin.parse(record).check();
    } catch (RefusedStreamException e) {
      return e.getMessage();
    }
    throw new AssertionError("not refused: field at " + offset + " = " + value);
  }
}
