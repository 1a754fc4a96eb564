/**
 * FreeBSD adapters as pure functions: exact argv lists ({@link
 * org.warder.client.freebsd.FreeBsdCommands}, {@link org.warder.client.freebsd.DevfsRules}) and
 * exact file contents (jail.conf, fstab, pkg repository configs and fingerprints, with {@link
 * org.warder.client.freebsd.PkgRepos} writing the latter atomically into a jail root), plus parsers
 * of what FreeBSD reports (jls JSON, freebsd-version, fstab, ifconfig, route). Nothing here starts
 * a process, except the two network adapters that run their commands with the {@code CommandRunner}
 * they are given: {@link org.warder.client.freebsd.FreeBsdNetwork} (a jail's interfaces, addresses
 * and routes) and {@link org.warder.client.freebsd.FreeBsdNat} (the host's NAT rules, built by
 * {@link org.warder.client.freebsd.IpfwNat} and {@link org.warder.client.freebsd.PfNat}). Strings
 * from manifests or users that become argv elements or file names are checked and refused with
 * {@link org.warder.client.freebsd.FreeBsdInputException}.
 */
package org.warder.client.freebsd;
