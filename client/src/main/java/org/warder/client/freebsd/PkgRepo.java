package org.warder.client.freebsd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A pkg repository a plugin jail uses: its name (a manifest's fingerprints key, which becomes a
 * file and directory name), its URL (the manifest's packagesite, kept verbatim, {@code ${ABI}}
 * included, for pkg to expand) and its trusted fingerprints, duplicates dropped, in order.
 */
public record PkgRepo(String name, String url, List<PkgFingerprint> fingerprints) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
  private static final Pattern URL =
      Pattern.compile("(?:pkg\\+)?(?:https?|file)://[^\\s\"'\\\\]{1,2000}");

  public PkgRepo {
    fingerprints = List.copyOf(fingerprints);
    if (!validName(name) || url == null || !URL.matcher(url).matches() || fingerprints.isEmpty()) {
      throw new IllegalArgumentException("invalid pkg repository " + name);
    }
  }

  /** A checked repository: the name and URL are refused if unsafe, and it needs a fingerprint. */
  public static PkgRepo of(String name, String url, List<PkgFingerprint> fingerprints)
      throws FreeBsdInputException {
    if (!validName(name)) {
      throw new FreeBsdInputException(
          "pkg repository name",
          "pkg repository name: expected 1-64 letters, digits, '_'"
              + " and '-' (it becomes a file name; not FreeBSD, whose config is the FreeBSD.conf policy), found '"
              + Args.show(name)
              + "'");
    }
    if (url == null || !URL.matcher(url).matches()) {
      throw new FreeBsdInputException(
          "packagesite",
          "packagesite of "
              + name
              + ": expected an http(s), pkg+http(s)"
              + " or file URL without spaces, quotes or backslashes, found '"
              + Args.show(url)
              + "'");
    }
    List<PkgFingerprint> unique = new ArrayList<>();
    for (PkgFingerprint f : fingerprints) {
      if (!unique.contains(f)) {
        unique.add(f);
      }
    }
    if (unique.isEmpty()) {
      throw new FreeBsdInputException(
          "fingerprint",
          "fingerprints of "
              + name
              + ": expected at least one; pkg would accept unsigned catalogues without one");
    }
    return new PkgRepo(name, url, unique);
  }

  private static boolean validName(String name) {
    return name != null
        && NAME.matcher(name).matches()
        && !name.toLowerCase(Locale.ROOT).equals("freebsd");
  }
}
