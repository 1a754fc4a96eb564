package org.warder.client.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Builds tar archives in memory with commons-compress, hostile ones included: names are kept as
 * given (absolute, with {@code ..}), long names go into pax headers (or GNU long-name records).
 */
final class TarBuilder {
  static final FileTime MTIME = FileTime.from(Instant.parse("2024-05-01T12:34:56Z"));

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream out;
  private int uid;
  private int gid;
  private FileTime mtime = MTIME;
  private Map<String, String> pax = new LinkedHashMap<>();

  TarBuilder() {
    this(false);
  }

  /** With {@code gnu}, long names go into GNU long-name records instead of pax headers. */
  TarBuilder(boolean gnu) {
    out = new TarArchiveOutputStream(bytes);
    out.setLongFileMode(
        gnu ? TarArchiveOutputStream.LONGFILE_GNU : TarArchiveOutputStream.LONGFILE_POSIX);
    out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    out.setAddPaxHeadersForNonAsciiNames(true);
  }

  /** Owner of the following members. */
  TarBuilder owner(int uid, int gid) {
    this.uid = uid;
    this.gid = gid;
    return this;
  }

  /** Modification time of the following members. */
  TarBuilder mtime(FileTime mtime) {
    this.mtime = mtime;
    return this;
  }

  /** A pax record for the next member only, e.g. {@code SCHILY.fflags=schg}. */
  TarBuilder pax(String key, String value) {
    pax.put(key, value);
    return this;
  }

  TarBuilder file(String name, int mode, byte[] content) {
    TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode);
    e.setSize(content.length);
    return put(e, content);
  }

  TarBuilder file(String name, int mode, String content) {
    return file(name, mode, content.getBytes(StandardCharsets.UTF_8));
  }

  TarBuilder dir(String name, int mode) {
    return put(entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, mode), null);
  }

  TarBuilder symlink(String name, String target) {
    TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
    e.setLinkName(target);
    return put(e, null);
  }

  TarBuilder hardlink(String name, String target) {
    TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
    e.setLinkName(target);
    return put(e, null);
  }

  TarBuilder charDevice(String name, int major, int minor) {
    TarArchiveEntry e = entry(name, TarConstants.LF_CHR, 0666);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return put(e, null);
  }

  TarBuilder blockDevice(String name, int major, int minor) {
    TarArchiveEntry e = entry(name, TarConstants.LF_BLK, 0660);
    e.setDevMajor(major);
    e.setDevMinor(minor);
    return put(e, null);
  }

  TarBuilder fifo(String name) {
    return put(entry(name, TarConstants.LF_FIFO, 0644), null);
  }

  /**
   * A pax ({@code 'x'}) or GNU long-name ({@code 'L'}, {@code 'K'}) record exactly as {@code data}
   * has it, malformed ones included; it applies to the member after it.
   */
  TarBuilder special(byte type, byte[] data) {
    TarArchiveEntry e = new TarArchiveEntry("././@LongLink", type, true);
    e.setSize(data.length);
    return put(e, data);
  }

  /** A global pax header ({@code 'g'}) with one record, which applies to every member after it. */
  TarBuilder globalPax(String key, String value) {
    TarArchiveEntry e =
        new TarArchiveEntry("pax_global_header", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER, true);
    e.addPaxHeader(key, value);
    try {
      out.putArchiveEntry(e); // writes and closes the entry itself
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }

  /** A member of any type flag, without data. */
  TarBuilder raw(String name, byte type) {
    return put(entry(name, type, 0644), null);
  }

  byte[] build() {
    try {
      out.finish();
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private TarArchiveEntry entry(String name, byte type, int mode) {
    TarArchiveEntry e = new TarArchiveEntry(name, type, true);
    e.setMode(mode);
    e.setUserId(uid);
    e.setGroupId(gid);
    e.setLastModifiedTime(mtime);
    pax.forEach(e::addPaxHeader);
    pax = new LinkedHashMap<>();
    return e;
  }

  private TarBuilder put(TarArchiveEntry e, byte[] content) {
    try {
      out.putArchiveEntry(e);
      if (content != null) {
        out.write(content);
      }
      out.closeArchiveEntry();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return this;
  }
}
