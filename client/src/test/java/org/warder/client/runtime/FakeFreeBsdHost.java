package org.warder.client.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.warder.client.exec.CommandResult;
import org.warder.client.freebsd.JailConf;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.net.JailNetwork;
import org.warder.client.testing.RecordingCommandRunner;

/**
 * A scripted FreeBSD host for argv tests: jls lists the jails {@code jail -c} made (jids 7, 8...),
 * {@code ifconfig epair create} prints epair3a, epair4a..., route(8) reports a default route via
 * em0 (192.0.2.1, fe80::1%em0) unless told there is none, em0 has mtu 9000, bridges exist once
 * created; a command can be made to fail, and any answer overridden.
 */
final class FakeFreeBsdHost {
  final Map<String, Integer> running = new java.util.TreeMap<>();
  int nextJid = 7;
  final Set<String> interfaces = new HashSet<>(List.of("em0", "lo0"));
  final Map<String, CommandResult> answers = new HashMap<>();
  final List<List<String>> failing = new ArrayList<>();
  int nextEpair = 3;
  final RecordingCommandRunner runner = new RecordingCommandRunner(this::answer);

  static CommandResult ok(String stdout) {
    return new CommandResult(0, stdout, "");
  }

  /** The spec of jail {@code name} with {@code props}, its directory {@code dir/name}. */
  static RuntimeSpec spec(Path dir, String name, List<String> props) throws Exception {
    JailName jail = JailName.of(name);
    Path root = Path.of("/usr/local/warder/jails/" + name + "/root");
    JailProperties p = JailProperties.parse(props);
    return new RuntimeSpec(
        jail,
        root,
        Files.createDirectories(dir.resolve(name)),
        name,
        false,
        List.of(),
        "/bin/sh /etc/rc",
        "/bin/sh /etc/rc.shutdown",
        JailConf.parameters(jail, root, p, Optional.empty()),
        List.of(),
        JailNetwork.of(jail, p),
        p.value("cpuset"));
  }

  /** {@code argv} exits 1 with {@code stderr}. */
  FakeFreeBsdHost fail(List<String> argv) {
    failing.add(argv);
    return this;
  }

  private CommandResult answer(List<String> argv) {
    String line = String.join(" ", argv);
    if (failing.contains(argv)) {
      return new CommandResult(1, "", line.replace(' ', '_') + ": failed on purpose");
    }
    if (answers.containsKey(line)) {
      return answers.get(line);
    }
    if (argv.get(0).equals("jls")) {
      StringBuilder jails = new StringBuilder();
      for (Map.Entry<String, Integer> jail : running.entrySet()) {
        jails
            .append(jails.length() == 0 ? "" : ",")
            .append("{\"jid\": ")
            .append(jail.getValue())
            .append(", \"name\": \"")
            .append(jail.getKey())
            .append("\", \"path\": \"/j/")
            .append(jail.getKey())
            .append("\", \"hostname\": \"h\", \"ipv4_addrs\": [], \"ipv6_addrs\": []}");
      }
      return ok("{\"__version\": \"2\", \"jail-information\": {\"jail\": [" + jails + "]}}");
    }
    if (argv.get(0).equals("jail")) {
      if (argv.get(3).equals("-c")) {
        running.put(argv.get(4), nextJid++);
      } else {
        running.remove(argv.get(4));
      }
      return ok("");
    }
    Function<String, CommandResult> route =
        gw -> ok("   route to: default\n    gateway: " + gw + "\n  interface: em0\n");
    switch (line) {
      case "route -n get default" -> {
        return route.apply("192.0.2.1");
      }
      case "route -n get -inet6 default" -> {
        return route.apply("fe80::1%em0");
      }
      case "ifconfig epair create" -> {
        String epair = "epair" + nextEpair++;
        interfaces.add(epair + "a");
        return ok(epair + "a\n");
      }
      case "ifconfig em0" -> {
        return ok(
            "em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 9000\n"
                + "\tinet 192.0.2.5 netmask 0xffffff00 broadcast 192.0.2.255\n");
      }
      case "ifconfig" -> {
        return ok(
            "em0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 9000\n"
                + "\tinet 192.0.2.5 netmask 0xffffff00 broadcast 192.0.2.255\n"
                + "lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384\n"
                + "\tinet 127.0.0.1 netmask 0xff000000\n");
      }
      case "ifconfig -l" -> {
        return ok(String.join(" ", interfaces.stream().sorted().toList()) + "\n");
      }
      default -> {}
    }
    if (argv.size() == 2 && argv.get(0).equals("ifconfig")) {
      return interfaces.contains(argv.get(1))
          ? ok(argv.get(1) + ": flags=8843<UP> metric 0 mtu 1500\n\tmember: em0 flags=143<>\n")
          : new CommandResult(1, "", "ifconfig: interface " + argv.get(1) + " does not exist");
    }
    if (argv.get(0).equals("ifconfig") && argv.size() >= 3) {
      switch (argv.get(2)) {
        case "create" -> interfaces.add(argv.get(1));
        case "destroy" -> interfaces.remove(argv.get(1));
        case "name" -> {
          interfaces.remove(argv.get(1));
          interfaces.add(argv.get(3));
        }
        default -> {}
      }
    }
    return ok("");
  }
}
