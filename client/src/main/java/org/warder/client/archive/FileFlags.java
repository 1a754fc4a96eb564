package org.warder.client.archive;

/**
 * The BSD file flags a member carried in its pax {@code SCHILY.fflags} record, e.g. {@code "schg"}
 * or {@code "uarch,nodump"}, for a FreeBSD host adapter to apply with {@code chflags -h} once the
 * whole tree is in place (a {@code schg} directory refuses new entries).
 *
 * @param path the member's path relative to the destination, without a leading {@code ./}
 * @param flags the comma-separated flag names as stored in the archive
 */
public record FileFlags(String path, String flags) {}
