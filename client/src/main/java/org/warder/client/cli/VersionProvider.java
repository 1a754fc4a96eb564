package org.warder.client.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest (Implementation-Version), for {@code --version}. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {"warder " + version(), "Java " + Runtime.version()};
  }

  /** The warder version, or {@code dev} when run from classes rather than the built jar. */
  public static String version() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
