package org.warder.index;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A FreeBSD release distribution's {@code MANIFEST} (from {@code
 * release/scripts/make-manifest.sh}): one tab-separated line per distribution file, {@code
 * base.txz<TAB>sha256<TAB>file count<TAB>set<TAB>"description"<TAB>on|off}.
 *
 * @param entries in file order, file names unique
 */
public record ReleaseManifest(List<Entry> entries) {
  /** Larger MANIFEST files are refused; real ones are a few hundred bytes. */
  public static final int MAX_BYTES = 64 * 1024;

  private static final Pattern FILE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}\\.txz");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** One distribution file of the release. */
  public record Entry(
      String file,
      String sha256,
      long fileCount,
      String set,
      String description,
      boolean installByDefault) {}

  public ReleaseManifest {
    entries = List.copyOf(entries);
  }

  /** The entry of {@code file} ({@code base.txz}), if listed. */
  public Optional<Entry> entry(String file) {
    return entries.stream().filter(e -> e.file().equals(file)).findFirst();
  }

  /** Parses MANIFEST bytes strictly; any malformed line is refused with its line number. */
  public static ReleaseManifest parse(byte[] bytes) throws CatalogException {
    if (bytes.length > MAX_BYTES) {
      throw new CatalogException(
          "expected a MANIFEST of at most "
              + MAX_BYTES
              + " bytes, found "
              + bytes.length
              + " bytes");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank()) {
        continue;
      }
      Entry e = parseLine(line, i + 1);
      if (entries.put(e.file(), e) != null) {
        throw new CatalogException(
            "MANIFEST line " + (i + 1) + ": " + e.file() + " is listed twice");
      }
    }
    if (entries.isEmpty()) {
      throw new CatalogException("expected at least one distribution file in MANIFEST, found none");
    }
    return new ReleaseManifest(new ArrayList<>(entries.values()));
  }

  private static Entry parseLine(String line, int number) throws CatalogException {
    String[] col = line.split("\t", -1);
    if (col.length != 6) {
      throw new CatalogException(
          "MANIFEST line "
              + number
              + ": expected 6 tab-separated columns (file, sha256, count, set,"
              + " description, on|off), found "
              + col.length);
    }
    if (!FILE.matcher(col[0]).matches()) {
      throw new CatalogException(
          "MANIFEST line "
              + number
              + ": expected a distribution file name like base.txz, found \""
              + col[0]
              + "\"");
    }
    if (!SHA256.matcher(col[1]).matches()) {
      throw new CatalogException(
          "MANIFEST line "
              + number
              + ": expected a sha256 of 64 lower-case hex digits for "
              + col[0]
              + ", found \""
              + col[1]
              + "\"");
    }
    long count;
    try {
      count = Long.parseLong(col[2]);
    } catch (NumberFormatException e) {
      count = -1;
    }
    if (count < 0) {
      throw new CatalogException(
          "MANIFEST line "
              + number
              + ": expected a file count for "
              + col[0]
              + ", found \""
              + col[2]
              + "\"");
    }
    if (!col[5].equals("on") && !col[5].equals("off")) {
      throw new CatalogException(
          "MANIFEST line "
              + number
              + ": expected on or off in the last column, found \""
              + col[5]
              + "\"");
    }
    String description = col[4];
    if (description.length() >= 2 && description.startsWith("\"") && description.endsWith("\"")) {
      description = description.substring(1, description.length() - 1);
    }
    return new Entry(col[0], col[1], count, col[3], description, col[5].equals("on"));
  }

  /** The MANIFEST text of these entries, as FreeBSD writes it. */
  public String format() {
    StringBuilder out = new StringBuilder();
    for (Entry e : entries) {
      out.append(e.file())
          .append('\t')
          .append(e.sha256())
          .append('\t')
          .append(e.fileCount())
          .append('\t')
          .append(e.set())
          .append('\t')
          .append('"')
          .append(e.description())
          .append('"')
          .append('\t')
          .append(e.installByDefault() ? "on" : "off")
          .append('\n');
    }
    return out.toString();
  }
}
