package org.warder.client.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The network namespace that plays the host for the sandbox's jail networking: it holds the
 * bridges, the host sides of the jails' veth pairs, warder's NAT table and the forwarding switch,
 * and an {@code ip4=inherit} jail shares it. By default the namespace warder runs in; {@code
 * WARDER_NETNS=NAME} names {@code /run/netns/NAME} instead (made with {@code ip netns add NAME}),
 * so that tests and cautious users keep every jail's networking inside a namespace of their own.
 *
 * @param name the {@code ip netns} name, or empty for warder's own namespace
 */
public record HostNetns(Optional<String> name) {
  /** The environment variable that names the namespace. */
  public static final String VARIABLE = "WARDER_NETNS";

  public HostNetns {
    if (name.isPresent() && !name.get().matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
      throw new IllegalArgumentException(
          "expected "
              + VARIABLE
              + " to name a namespace in /run/netns (letters, digits, '.', '_', '-'), found '"
              + name.get()
              + "'");
    }
  }

  /** Warder's own network namespace. */
  public static HostNetns current() {
    return new HostNetns(Optional.empty());
  }

  /** The namespace {@code ip netns} knows as {@code name}. */
  public static HostNetns named(String name) {
    return new HostNetns(Optional.of(name));
  }

  /** The namespace {@code WARDER_NETNS} names in {@code env}, else warder's own. */
  public static HostNetns fromEnvironment(Map<String, String> env) {
    String value = env.getOrDefault(VARIABLE, "");
    return value.isEmpty() ? current() : named(value);
  }

  /** The namespace's bind mount, when it is a named one. */
  public Optional<Path> path() {
    return name.map(n -> Path.of("/run/netns", n));
  }

  /** {@code ip ARGS} acting on this namespace ({@code ip -n NAME ARGS} for a named one). */
  public List<String> ip(String... args) {
    List<String> argv = new ArrayList<>(List.of("ip"));
    name.ifPresent(n -> argv.addAll(List.of("-n", n)));
    argv.addAll(List.of(args));
    return argv;
  }

  /**
   * {@code argv} run inside this namespace ({@code nsenter --net=PATH -- argv} for a named one).
   */
  public List<String> run(List<String> argv) {
    if (name.isEmpty()) {
      return List.copyOf(argv);
    }
    List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + path().get(), "--"));
    full.addAll(argv);
    return full;
  }

  /** Fails unless a named namespace exists: a jail must never fall back to another one. */
  public void requireExists() throws java.io.IOException {
    if (path().isPresent() && !java.nio.file.Files.exists(path().get())) {
      throw new java.io.IOException(
          "expected network namespace "
              + name.get()
              + " ("
              + VARIABLE
              + ") at "
              + path().get()
              + ", found none; create it with 'ip netns add "
              + name.get()
              + "' or unset "
              + VARIABLE);
    }
  }

  /** How messages name it. */
  public String describe() {
    return name.map(n -> "network namespace " + n).orElse("the host's network namespace");
  }
}
