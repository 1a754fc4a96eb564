package org.warder.client.freebsd;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The userland version of a FreeBSD tree, read from its {@code bin/freebsd-version} script (the
 * {@code USERLAND_VERSION="14.2-RELEASE-p1"} line) without running anything, as iocage does. The
 * tree may be a jail root its users control: links are not followed and at most 64 KiB are read.
 */
public final class FreeBsdVersion {
  private static final int MAX_BYTES = 64 * 1024;
  private static final Pattern LINE = Pattern.compile("(?m)^USERLAND_VERSION=\"([^\"\\n]*)\"");
  private static final Pattern VERSION =
      Pattern.compile("[0-9]{1,3}\\.[0-9]{1,3}-[A-Z]{1,16}[0-9]{0,3}(-p[0-9]{1,4})?");

  private FreeBsdVersion() {}

  /** The userland version of the tree at {@code root}; empty when it has no bin/freebsd-version. */
  public static Optional<String> read(Path root) throws IOException {
    Path bin = root.resolve("bin");
    Path script = bin.resolve("freebsd-version");
    if (Files.isSymbolicLink(bin) || Files.isSymbolicLink(script)) {
      throw new FileSystemException(
          script.toString(), null, "is reached through a symbolic link; refusing to read it");
    }
    if (!Files.exists(script, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    if (!Files.isRegularFile(script, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileSystemException(script.toString(), null, "is not a regular file");
    }
    byte[] head;
    try (InputStream in = Files.newInputStream(script, LinkOption.NOFOLLOW_LINKS)) {
      head = in.readNBytes(MAX_BYTES);
    }
    Matcher m = LINE.matcher(new String(head, StandardCharsets.ISO_8859_1));
    if (!m.find() || !VERSION.matcher(m.group(1)).matches()) {
      throw new IOException(
          script
              + " has no USERLAND_VERSION=\"<major>.<minor>-<BRANCH>[-pN]\" line;"
              + " it is not FreeBSD's freebsd-version script");
    }
    return Optional.of(m.group(1));
  }
}
