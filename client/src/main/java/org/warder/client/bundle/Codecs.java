package org.warder.client.bundle;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;
import org.warder.index.BundleManifest.Compression;

/**
 * The compression codecs of bundle members: zstd (zstd-jni, one worker thread per core like {@code
 * zstd -T0}, level 3 as the zstd command's default), xz (level 6, xz's default) and none.
 * Stateless.
 */
final class Codecs {
  private static final int ZSTD_LEVEL = 3;
  private static final int XZ_PRESET = 6;

  private Codecs() {}

  /**
   * A stream compressing into {@code out}; closing it finishes the frame but leaves {@code out}
   * open.
   */
  static OutputStream compress(Compression compression, OutputStream out) throws IOException {
    OutputStream shielded =
        new FilterOutputStream(out) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
          }

          @Override
          public void close() throws IOException {
            out.flush();
          }
        };
    return switch (compression) {
      case ZSTD -> {
        ZstdOutputStream z = new ZstdOutputStream(shielded, ZSTD_LEVEL);
        z.setWorkers(Runtime.getRuntime().availableProcessors());
        yield z;
      }
      case XZ -> new XZOutputStream(shielded, new LZMA2Options(XZ_PRESET));
      case NONE -> shielded;
    };
  }

  /** A stream decompressing {@code in}. */
  static InputStream decompress(Compression compression, InputStream in) throws IOException {
    return switch (compression) {
      case ZSTD -> new ZstdInputStream(in);
      case XZ -> new XZInputStream(in);
      case NONE -> in;
    };
  }
}
