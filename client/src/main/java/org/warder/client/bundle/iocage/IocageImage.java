package org.warder.client.bundle.iocage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.warder.client.bundle.BadBundleException;

/**
 * The names of an iocage export (iocage-internals §4): the file {@code NAME_DATE.zip}, its
 * companion {@code NAME_DATE.sha256}, the snapshot {@code ioc-export-DATE} its streams were sent
 * from, and its members, one zfs send stream per dataset of the jail:
 *
 * <pre>
 * [PREFIX]NAME_DATE            the jail directory (config.json, fstab, ...)
 * [PREFIX]NAME_DATE_root       the root; any other child dataset likewise, '/' written as '_'
 * </pre>
 *
 * PREFIX is the iocage root's images directory without its leading '/' ({@code iocage/images/},
 * {@code mnt/tank/iocage/images/} on TrueNAS) for iocage since October 2019, and empty before.
 * iocage reads NAME and DATE from the file name ({@code rsplit('_', 1)}), so both are taken from
 * there. Immutable.
 *
 * @param name the jail's name on the host that exported it
 * @param date the export's date, {@code YYYY-MM-DD} as iocage writes it
 */
public record IocageImage(String name, String date) {
  /**
   * The prefix this exporter writes: the images directory of iocage's documented root {@code
   * /iocage}.
   */
  static final String PREFIX = "iocage/images/";

  private static final Pattern DATE = Pattern.compile("[A-Za-z0-9.:-]+");
  private static final Pattern COMPONENT = Pattern.compile("[A-Za-z0-9.:-]+");
  private static final String SUFFIX = ".zip";

  /** The image iocage would write today ({@code date}) for jail {@code name}. */
  static IocageImage of(String name, LocalDate date) {
    return new IocageImage(name, date.toString());
  }

  /**
   * The image a file name describes.
   *
   * @throws BadBundleException unless it is {@code NAME_DATE.zip}
   */
  public static IocageImage parse(String fileName) throws BadBundleException {
    return tryParse(fileName)
        .orElseThrow(
            () ->
                new BadBundleException(
                    "expected an iocage export named NAME_DATE.zip"
                        + " (iocage reads the jail's name and the export's date from it, e.g. web_2024-05-01.zip), found \""
                        + printable(fileName)
                        + "\"; give it back its name"));
  }

  /** The image a file name describes, if it is {@code NAME_DATE.zip}. */
  static Optional<IocageImage> tryParse(String fileName) {
    int cut = fileName.lastIndexOf('_');
    if (!fileName.endsWith(SUFFIX) || cut <= 0) {
      return Optional.empty();
    }
    String date = fileName.substring(cut + 1, fileName.length() - SUFFIX.length());
    return DATE.matcher(date).matches()
        ? Optional.of(new IocageImage(fileName.substring(0, cut), date))
        : Optional.empty();
  }

  /**
   * Whether {@code file} is a zip archive: by its name, or its first bytes ({@code PK\3\4}; {@code
   * PK\5\6} if empty).
   */
  public static boolean isZip(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(SUFFIX)) {
      return true;
    }
    if (!Files.isRegularFile(file)) {
      return false;
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return Arrays.equals(magic, new byte[] {'P', 'K', 3, 4})
          || Arrays.equals(magic, new byte[] {'P', 'K', 5, 6});
    }
  }

  /** The sha256 companion iocage writes beside {@code NAME_DATE.zip}: {@code NAME_DATE.sha256}. */
  public static Path sha256File(Path zip) {
    String name = zip.getFileName().toString();
    return zip.resolveSibling(
        (name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name)
            + ".sha256");
  }

  /** {@code NAME_DATE}. */
  String base() {
    return name + "_" + date;
  }

  /** {@code NAME_DATE.zip}. */
  String fileName() {
    return base() + SUFFIX;
  }

  /** The snapshot each stream was sent from: {@code ioc-export-DATE}. */
  String snapshot() {
    return "ioc-export-" + date;
  }

  /**
   * The member this exporter writes for {@code dataset} (relative to the jail's; "" for the jail
   * directory).
   */
  String memberName(String dataset) {
    return PREFIX + base() + (dataset.isEmpty() ? "" : "_" + dataset.replace('/', '_'));
  }

  /**
   * The dataset (relative to the jail's; "" for the jail directory) member {@code member} holds, as
   * iocage's importer maps it ({@code _} read as {@code /}, so {@code NAME_DATE_data_dir} is {@code
   * data/dir}), once the name was checked to be one iocage writes: {@code NAME_DATE[_CHILD]} alone
   * or under an {@code images/} directory given by a relative path.
   *
   * @throws BadBundleException for any other name: absolute, with {@code ..}, in another directory,
   *     of another jail or date, or a child that is not a dataset name
   */
  String dataset(String member) throws BadBundleException {
    int slash = member.lastIndexOf('/');
    String dir = member.substring(0, slash + 1);
    String file = member.substring(slash + 1);
    if (!dir.isEmpty() && !safePrefix(dir)) {
      throw new BadBundleException(
          "member \""
              + printable(member)
              + "\": expected "
              + base()
              + "[_DATASET] at the top"
              + " of the zip or under an iocage images/ directory (iocage/images/"
              + base()
              + "), found another path;"
              + " the zip is not an iocage export, or was altered; nothing was imported");
    }
    if (file.equals(base())) {
      return "";
    }
    String child = file.startsWith(base() + "_") ? file.substring(base().length() + 1) : "";
    String[] parts = child.split("_", -1);
    if (child.isEmpty()
        || !Arrays.stream(parts)
            .allMatch(p -> COMPONENT.matcher(p).matches() && !p.matches("\\.+"))) {
      throw new BadBundleException(
          "member \""
              + printable(member)
              + "\": expected a stream of "
              + base()
              + " named "
              + base()
              + " (the jail directory) or "
              + base()
              + "_DATASET ("
              + base()
              + "_root, ...), found another"
              + " name; the zip is not this iocage export, or was altered; nothing was imported");
    }
    return String.join("/", parts);
  }

  /** {@code DIR/.../images/}: relative, no {@code .} or {@code ..}, no empty component. */
  private static boolean safePrefix(String dir) {
    String[] parts = dir.substring(0, dir.length() - 1).split("/", -1);
    return parts[parts.length - 1].equals("images")
        && Arrays.stream(parts)
            .allMatch(
                p -> !p.isEmpty() && !p.equals(".") && !p.equals("..") && printable(p).equals(p));
  }

  private static String printable(String s) {
    return s.codePoints()
        .map(c -> Character.isISOControl(c) || c == '\\' ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
