package org.warder.client.plugin;

import java.nio.file.Path;

/**
 * A plugin artifact written out at its pinned commit.
 *
 * @param directory the working tree (no {@code .git}): post_install.sh, overlay/, ui.json, ...
 * @param commit the commit it is, 40 hex digits
 * @param files regular files written
 * @param bytes their total size
 */
public record CheckedOutArtifact(Path directory, String commit, int files, long bytes) {}
