package org.warder.client.storage;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a jail's storage takes, as {@code iocage df} shows it; each value empty where the storage
 * cannot tell (plain directories have no compression, reservation or quota).
 *
 * @param compressRatio ZFS's compressratio, e.g. {@code 1.45x}
 * @param reservation bytes reserved for it (ZFS reservation; 0 for none)
 * @param quota its quota in bytes (0 for none)
 * @param used bytes it uses: ZFS used, or the sizes of its files
 * @param available bytes still free for it
 */
public record DiskUsage(
    Optional<String> compressRatio,
    OptionalLong reservation,
    OptionalLong quota,
    OptionalLong used,
    OptionalLong available) {}
