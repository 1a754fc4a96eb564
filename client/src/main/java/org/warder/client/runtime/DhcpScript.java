package org.warder.client.runtime;

import java.nio.file.Path;

/**
 * The script busybox's udhcpc runs for a sandbox's interface: a warder-owned host file in the
 * jail's directory (never in the jail's root, which the jail's root user may write), run in the
 * sandbox's network namespace, that applies a lease with the host's {@code ip} and records it.
 * udhcpc passes the lease in variables it exports ({@code interface}, {@code ip}, {@code mask} as a
 * prefix length, {@code router}); they are only ever quoted arguments of {@code ip}. Stateless.
 */
final class DhcpScript {
  private DhcpScript() {}

  /** The script's text; it writes the lease (address/prefix and router) to {@code record}. */
  static String text(Path record) {
    String quotedRecord = "'" + record.toString().replace("'", "'\\''") + "'";
    return "#!/bin/sh\n"
        + "# written by warder: applies a DHCP lease inside the jail's network namespace\n"
        + "record="
        + quotedRecord
        + "\n"
        + """
        PATH=/usr/sbin:/usr/bin:/sbin:/bin
        case "$1" in
        deconfig)
          ip -4 addr flush dev "$interface"
          ip link set dev "$interface" up
          ;;
        bound|renew)
          if [ "$1" = bound ]; then ip -4 addr flush dev "$interface"; fi
          ip -4 addr replace "$ip/${mask:-24}" dev "$interface"
          if [ -n "$router" ]; then
            ip -4 route replace default via "${router%% *}" dev "$interface"
          fi
          printf '%s/%s %s\\n' "$ip" "${mask:-24}" "${router%% *}" > "$record.tmp"
          mv "$record.tmp" "$record"
          ;;
        esac
        exit 0
        """;
  }
}
