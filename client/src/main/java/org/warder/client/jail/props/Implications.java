package org.warder.client.jail.props;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.warder.client.jail.props.PropertyException.Problem;

/**
 * What some properties turn on, decided when they are given as iocage decides it at create
 * (ioc_create.py): {@code dhcp=1} turns on {@code vnet=1} and {@code bpf=1}, {@code bpf=1} turns on
 * {@code vnet=1}, and an ip6_addr entry {@code IFACE|accept_rtadv} turns on {@code vnet=1} and
 * {@code rtsold=1}. Unlike iocage, a contrary value given in the same breath ({@code dhcp=1
 * vnet=0}) is refused, never overridden. The one rule set behind {@code create}, {@code set} and a
 * plugin install. Stateless.
 */
final class Implications {
  /** One implication: when {@code when} holds, {@code key} must be {@code value}, {@code why}. */
  private record Rule(String cause, Predicate<JailProperties> when, String key, String why) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "dhcp=1",
              p -> p.isTrue("dhcp"),
              "vnet",
              "a DHCP client needs the jail's own network stack"),
          new Rule(
              "dhcp=1",
              p -> p.isTrue("dhcp"),
              "bpf",
              "the DHCP client sends and receives raw frames through /dev/bpf"),
          new Rule(
              "bpf=1",
              p -> p.isTrue("bpf"),
              "vnet",
              "bpf devices are shown only to a jail with its own network stack"),
          new Rule(
              "ip6_addr IFACE|accept_rtadv",
              p -> !p.acceptRtadvInterfaces().isEmpty(),
              "vnet",
              "router advertisements reach only a jail with its own network stack"),
          new Rule(
              "ip6_addr IFACE|accept_rtadv",
              p -> !p.acceptRtadvInterfaces().isEmpty(),
              "rtsold",
              "rtsold asks the routers for their advertisements"));

  private Implications() {}

  /**
   * {@code props} with what its values imply turned on; {@code given} are the keys someone gave
   * explicitly (with where they come from), whose values are never changed: a contrary one is
   * refused.
   */
  static Implied apply(JailProperties props, Map<String, Source> given) throws PropertyException {
    JailProperties p = props;
    List<String> turnedOn = new ArrayList<>();
    for (Rule r : RULES) {
      if (!r.when().test(p) || p.isTrue(r.key())) {
        continue;
      }
      if (given.containsKey(r.key())) {
        throw PropertyException.of(
            Problem.INCONSISTENT,
            r.key(),
            p.value(r.key()),
            r.cause()
                + " needs "
                + r.key()
                + "=1 ("
                + r.why()
                + "), but "
                + r.key()
                + "="
                + p.value(r.key())
                + " is given"
                + given.get(r.key()).where
                + "; drop "
                + r.key()
                + "="
                + p.value(r.key())
                + " or choose a network mode without "
                + r.cause());
      }
      p = p.with(Map.of(r.key(), "1"));
      turnedOn.add(r.key() + "=1 (" + r.cause() + " needs it: " + r.why() + ")");
    }
    return new Implied(p, turnedOn);
  }
}
