/**
 * FreeBSD adapters as pure functions: exact argv lists ({@link
 * org.warder.client.freebsd.FreeBsdCommands}, {@link org.warder.client.freebsd.DevfsRules}) and
 * exact file contents (jail.conf, fstab, pkg repository configs and fingerprints, with {@link
 * org.warder.client.freebsd.PkgRepos} writing the latter atomically into a jail root), plus parsers
 * of what FreeBSD reports (jls JSON, freebsd-version, fstab). Nothing here starts a process: run
 * the argv with the client's {@code CommandRunner}. Strings from manifests or users that become
 * argv elements or file names are checked and refused with {@link
 * org.warder.client.freebsd.FreeBsdInputException}.
 */
package org.warder.client.freebsd;
