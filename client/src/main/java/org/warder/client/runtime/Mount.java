package org.warder.client.runtime;

import java.nio.file.Path;

/** A directory mounted into a jail: nullfs on FreeBSD, a bind mount in the Linux sandbox. */
public record Mount(Path source, Path target, boolean readOnly) {}
