package org.warder.client.host;

import java.util.Locale;

/** The operating system warder runs on: FreeBSD in production, Linux for development and CI. */
public enum HostOs {
  FREEBSD,
  LINUX,
  OTHER;

  /** This JVM's host. */
  public static HostOs current() {
    String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (name.contains("freebsd")) {
      return FREEBSD;
    }
    return name.contains("linux") ? LINUX : OTHER;
  }

  /** The FreeBSD name of this JVM's architecture ({@code amd64}, {@code arm64}, ...). */
  public static String freebsdArch() {
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "i386";
      default -> arch;
    };
  }
}
