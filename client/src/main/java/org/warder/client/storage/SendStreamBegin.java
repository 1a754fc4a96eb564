package org.warder.client.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The begin record of a {@code zfs send} stream (OpenZFS {@code zfs_ioctl.h}: a {@code
 * dmu_replay_record_t} of 312 bytes with {@code drr_type} DRR_BEGIN and a {@code drr_begin}), and
 * the one kind of stream warder lets {@code zfs receive} see: a single substream of one filesystem,
 * full or incremental, with no nvlist. That excludes every stream that carries dataset properties:
 * {@code zfs send -p}, {@code -R} and {@code -I} write a compound stream whose first begin record
 * is followed by an nvlist (per-dataset properties under {@code "fss"}); zfs-fuse and OpenZFS alike
 * apply those properties on receive, so that a {@code mountpoint} in the stream mounts the dataset
 * anywhere on the host. Raw (encrypted) streams, resume tokens and redacted streams also carry an
 * nvlist, and clone streams attach to a snapshot of the receiving pool found by guid; both are
 * refused too. Plain {@code zfs send} and {@code zfs send -i} streams, which warder writes, pass. A
 * {@code zfs receive} reads one substream and stops, so the first record decides.
 *
 * @param payloadLength {@code drr_payloadlen}: the bytes of nvlist after the record
 * @param headerType the low two bits of {@code drr_versioninfo}: 1 substream, 2 compound stream
 * @param features the feature flags of {@code drr_versioninfo} (bits 2 to 31)
 * @param objsetType {@code drr_begin.drr_type}: 2 a filesystem, 3 a volume
 * @param flags {@code drr_begin.drr_flags}
 * @param toName {@code drr_toname}: the snapshot the sender sent
 */
public record SendStreamBegin(
    int payloadLength, int headerType, int features, int objsetType, int flags, String toName) {
  /** {@code sizeof (dmu_replay_record_t)}. */
  public static final int RECORD_BYTES = 312;

  static final long MAGIC = 0x2F5BACBACL;
  static final int DMU_SUBSTREAM = 1;
  static final int DMU_OST_ZFS = 2;
  static final int DRR_FLAG_CLONE = 1;
  static final int FEATURE_DEDUPPROPS = 1 << 1;
  static final int FEATURE_RAW = 1 << 24;
  static final int FEATURE_HOLDS = 1 << 26;
  private static final int NAME_OFFSET = 56;
  private static final int NAME_BYTES = 256;

  /**
   * Reads the begin record off the front of {@code in} and checks it ({@link #check}); returns the
   * whole stream again, the record followed by the rest of {@code in} as it comes (nothing more is
   * held; {@code in} is not closed). Nothing of a refused stream reaches anyone.
   */
  public static InputStream checked(InputStream in) throws IOException {
    byte[] record = in.readNBytes(RECORD_BYTES);
    parse(record).check();
    return new Replay(record, in);
  }

  /** The checked record, then the rest of the stream; closing it leaves the stream to its owner. */
  private static final class Replay extends InputStream {
    private final ByteArrayInputStream head;
    private final InputStream rest;

    Replay(byte[] head, InputStream rest) {
      this.head = new ByteArrayInputStream(head);
      this.rest = rest;
    }

    @Override
    public int read() throws IOException {
      int b = head.read();
      return b >= 0 ? b : rest.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      int n = head.read(buffer, offset, length);
      return n > 0 ? n : rest.read(buffer, offset, length);
    }
  }

  /**
   * The begin record {@code record} (its first bytes: a stream's first {@value #RECORD_BYTES}
   * bytes).
   */
  public static SendStreamBegin parse(byte[] record) throws RefusedStreamException {
    if (record.length < RECORD_BYTES) {
      throw new RefusedStreamException(
          "expected a zfs send stream, which starts with a "
              + RECORD_BYTES
              + "-byte begin"
              + " record, found only "
              + record.length
              + " bytes; it is not a zfs send stream, or it is truncated");
    }
    ByteBuffer b = ByteBuffer.wrap(record, 0, RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    long magic = b.getLong(8);
    if (magic != MAGIC) {
      if (Long.reverseBytes(magic) != MAGIC) {
        throw new RefusedStreamException(
            String.format(
                Locale.ROOT,
                "expected a zfs send stream, whose begin record"
                    + " holds the magic number 0x%x, found 0x%x; it is not a zfs send stream",
                MAGIC,
                magic));
      }
      b.order(ByteOrder.BIG_ENDIAN); // written on a big-endian host
    }
    int type = b.getInt(0);
    if (type != 0) {
      throw new RefusedStreamException(
          "expected a zfs send stream starting with a begin record (type 0), found a"
              + " record of type "
              + Integer.toUnsignedString(type)
              + "; it is not a whole zfs send stream");
    }
    long versionInfo = b.getLong(16);
    int end = 0;
    while (end < NAME_BYTES && record[NAME_OFFSET + end] != 0) {
      end++;
    }
    return new SendStreamBegin(
        b.getInt(4),
        (int) (versionInfo & 3),
        (int) ((versionInfo >>> 2) & 0x3fffffff),
        b.getInt(32),
        b.getInt(36),
        new String(record, NAME_OFFSET, end, StandardCharsets.UTF_8));
  }

  /**
   * Refuses every stream but a plain substream of one filesystem: nothing in it can set a dataset
   * property, name a snapshot of this pool, or carry keys.
   */
  public void check() throws RefusedStreamException {
    String of = " (of " + printable(toName) + ")";
    if (headerType != DMU_SUBSTREAM
        || payloadLength != 0
        || (features & (FEATURE_DEDUPPROPS | FEATURE_HOLDS)) != 0) {
      throw new RefusedStreamException(
          "expected a plain zfs send stream of one snapshot ('zfs send' or 'zfs send -i'),"
              + " found a "
              + (headerType != DMU_SUBSTREAM
                  ? "replication or property stream ('zfs send -R', '-p' or '-I')"
                  : payloadLength != 0
                      ? "stream whose begin record carries "
                          + Integer.toUnsignedString(payloadLength)
                          + " bytes of nvlist"
                      : String.format(
                          Locale.ROOT,
                          "stream flagged to carry properties or holds (feature flags" + " 0x%x)",
                          features))
              + of
              + ": it sets dataset properties (mountpoint, canmount, sharenfs, ...) that would act on this host,"
              + " and warder takes no property from a stream; send the snapshot again without -R, -p and -I");
    }
    if ((features & FEATURE_RAW) != 0) {
      throw new RefusedStreamException(
          "expected an unencrypted zfs send stream, found a raw one ('zfs send -w')"
              + of
              + ", which carries encryption properties and keys; send the snapshot again without -w");
    }
    if (objsetType != DMU_OST_ZFS) {
      throw new RefusedStreamException(
          "expected a zfs send stream of a filesystem (objset type "
              + DMU_OST_ZFS
              + "), found objset type "
              + Integer.toUnsignedString(objsetType)
              + of
              + " (3 is a volume, which would"
              + " appear as a device of this host); warder receives jail roots only");
    }
    if ((flags & DRR_FLAG_CLONE) != 0) {
      throw new RefusedStreamException(
          "expected a zfs send stream that stands alone, found a clone stream"
              + of
              + ", which zfs receive attaches to whatever snapshot of this pool has its origin's guid; send it again as a"
              + " full stream");
    }
  }

  private static String printable(String name) {
    return name.replaceAll("[^\\p{Graph} ]", "?");
  }
}
