package org.warder.client.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What root inside the Linux sandbox may do: the capabilities a FreeBSD jail's root has over its
 * own jail, and no more. Every process of a sandbox, the ones its start command runs and the ones
 * {@code exec} runs, holds exactly {@link #CAPABILITIES} (plus {@code CAP_NET_RAW} with {@code
 * allow_raw_sockets=1}); bwrap sets no_new_privs, so no exec gains more. bwrap leaves the bounding
 * set whole when it runs as root: no_new_privs, nosuid mounts and the lack of CAP_SETPCAP keep
 * every process from raising its capabilities back to it.
 *
 * <p>Left out on purpose, each for what it would let a jail do to the host: CAP_DAC_READ_SEARCH
 * (open_by_handle_at opens any host file by its handle, around the mount namespace), CAP_SYS_ADMIN
 * (mount, setns, and much else), CAP_SYS_PTRACE, CAP_SYS_MODULE, CAP_SYS_RAWIO (/dev/mem, ioperm),
 * CAP_MKNOD (device nodes for host disks), CAP_SYS_BOOT, CAP_SYS_TIME, CAP_NET_ADMIN, CAP_SETPCAP
 * and CAP_SETFCAP (widening capability sets), CAP_AUDIT_*, CAP_MAC_*, CAP_BPF, CAP_PERFMON,
 * CAP_SYSLOG, CAP_SYS_NICE, CAP_SYS_RESOURCE, CAP_IPC_LOCK, CAP_LEASE, CAP_LINUX_IMMUTABLE,
 * CAP_WAKE_ALARM, CAP_BLOCK_SUSPEND, CAP_CHECKPOINT_RESTORE.
 */
final class Confinement {
  /** The jail(8) parameter that also grants raw sockets in the sandbox. */
  static final String RAW_SOCKETS_PARAMETER = "allow.raw_sockets";

  /** The capabilities every sandbox keeps, with why a jail's root needs each. */
  static final List<String> CAPABILITIES =
      List.of(
          "CAP_CHOWN", // package installs and adduser give files to their users
          "CAP_DAC_OVERRIDE", // root reads and writes every file of its jail whatever its mode
          "CAP_FOWNER", // chmod and utimes on files of other users (tar, pkg)
          "CAP_FSETID", // set-id bits survive chown and writes (inert: every mount is nosuid)
          "CAP_KILL", // signal the jail's processes of other users (its pid namespace holds no
          // others)
          "CAP_SETGID", // daemons switch to their group
          "CAP_SETUID", // daemons switch to their user
          "CAP_NET_BIND_SERVICE", // services listen on ports below 1024
          "CAP_SYS_CHROOT"); // privilege-separated daemons chroot inside the jail

  /**
   * The bwrap options that build a sandbox's file system view, and their argument counts: the jail
   * root, its extra mounts, /proc and /dev, and the capability options.
   */
  private static final Map<String, Integer> LAYOUT_OPTIONS =
      Map.of("--bind", 2, "--ro-bind", 2, "--proc", 1, "--dev", 1, "--cap-drop", 1, "--cap-add", 1);

  private Confinement() {}

  /** {@code --cap-drop ALL} and one {@code --cap-add} per capability a sandbox keeps. */
  static List<String> capabilityArgs(boolean rawSockets) {
    List<String> args = new ArrayList<>(List.of("--cap-drop", "ALL"));
    for (String cap : CAPABILITIES) {
      args.addAll(List.of("--cap-add", cap));
    }
    if (rawSockets) {
      args.addAll(List.of("--cap-add", "CAP_NET_RAW"));
    }
    return args;
  }

  /**
   * The leading layout and capability options of a running sandbox's bwrap command line ({@code
   * bwrap} first), so that a command run in it later sees the same files with the same
   * capabilities; empty when the command line does not start that way.
   */
  static Optional<List<String>> layoutOf(List<String> bwrapArgv) {
    List<String> layout = new ArrayList<>();
    int i = 1;
    while (i < bwrapArgv.size() && LAYOUT_OPTIONS.containsKey(bwrapArgv.get(i))) {
      int end = i + 1 + java.util.Objects.requireNonNull(LAYOUT_OPTIONS.get(bwrapArgv.get(i)));
      if (end > bwrapArgv.size()) {
        return Optional.empty();
      }
      layout.addAll(bwrapArgv.subList(i, end));
      i = end;
    }
    boolean rooted =
        layout.size() >= 3 && layout.get(0).equals("--bind") && layout.get(2).equals("/");
    return rooted && layout.contains("--cap-drop") ? Optional.of(layout) : Optional.empty();
  }
}
