package org.warder.registry.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version from the jar manifest, for {@code --version}. */
public final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String v = VersionProvider.class.getPackage().getImplementationVersion();
    return new String[] {"warder-registry " + (v == null ? "dev" : v), "Java " + Runtime.version()};
  }
}
