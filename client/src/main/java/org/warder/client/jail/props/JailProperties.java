package org.warder.client.jail.props;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.warder.client.jail.props.Inet.Family;
import org.warder.client.jail.props.PropertyException.Problem;
import org.warder.client.jail.props.PropertySpec.Access;

/**
 * A jail's properties, with iocage's names and defaults ({@link PropertyCatalog}). Holds only the
 * values that differ from the defaults, plus the identity keys warder sets (name, type, release,
 * created, origin, ...), so that config.json stays thin like iocage's. Every value is validated and
 * normalized on the way in. Immutable and thread-safe.
 */
public final class JailProperties {
  private static final JailProperties DEFAULTS = new JailProperties(new TreeMap<>());
  private static final Set<String> NETWORK_MODES = Set.of("ip4_addr", "ip6_addr", "dhcp", "nat");

  /**
   * What iocage gives every plugin jail unless the manifest or the user says otherwise (IOCPlugin's
   * create props): its own network stack and a start at boot.
   */
  public static final Map<String, String> PLUGIN_DEFAULTS = Map.of("vnet", "1", "boot", "1");

  private final SortedMap<String, String> explicit;

  private JailProperties(SortedMap<String, String> explicit) {
    this.explicit = Collections.unmodifiableSortedMap(explicit);
  }

  /** iocage's defaults and no identity. */
  public static JailProperties defaults() {
    return DEFAULTS;
  }

  /**
   * A new jail's properties from a user's {@code key=value} arguments, with what they imply turned
   * on ({@link Implications}: dhcp=1 turns on vnet=1 and bpf=1, ...) and checked for consistency.
   */
  public static Implied forCreate(List<String> keyValues) throws PropertyException {
    Map<String, String> user = keyValues(keyValues);
    return implied(DEFAULTS.apply(user, Source.USER), given(user, Source.USER));
  }

  /**
   * These properties with {@code values} set by a user, with what they imply turned on ({@link
   * Implications}) and checked for consistency: {@code warder set}.
   */
  public Implied withImplied(Map<String, String> values) throws PropertyException {
    return implied(with(values), given(values, Source.USER));
  }

  /** The defaults with {@code key=value} arguments from a user, checked in argument order. */
  public static JailProperties parse(List<String> keyValues) throws PropertyException {
    return DEFAULTS.apply(keyValues(keyValues), Source.USER);
  }

  /**
   * A new plugin jail's properties: iocage's plugin defaults ({@link #PLUGIN_DEFAULTS}: vnet=1,
   * boot=1) under the manifest's {@code properties} under the user's {@code key=value} arguments,
   * with what they imply turned on ({@link Implications}) and checked for consistency. As in
   * iocage, when the user chose a network mode (ip4_addr, ip6_addr, dhcp=1 or nat=1) the manifest's
   * network keys (and its nat_forwards) are dropped. A manifest may not set host-side keys ({@link
   * Access#HOST}); JSON numbers are passed as their text.
   */
  public static Implied forPlugin(
      Map<String, String> manifestProperties, List<String> userKeyValues) throws PropertyException {
    Map<String, String> user = keyValues(userKeyValues);
    JailProperties chosen = DEFAULTS.apply(user, Source.USER);
    boolean userNetwork =
        chosen.isTrue("dhcp")
            || chosen.isTrue("nat")
            || !chosen.value("ip4_addr").equals("none")
            || !chosen.value("ip6_addr").equals("none");
    Map<String, String> manifest = new TreeMap<>(manifestProperties);
    manifest
        .keySet()
        .removeIf(
            k ->
                user.containsKey(k)
                    || (userNetwork && (NETWORK_MODES.contains(k) || k.equals("nat_forwards"))));
    Map<String, Source> given = given(manifest, Source.MANIFEST);
    given.putAll(given(user, Source.USER));
    return implied(
        DEFAULTS
            .apply(PLUGIN_DEFAULTS, Source.USER)
            .apply(manifest, Source.MANIFEST)
            .apply(user, Source.USER),
        given);
  }

  private static Implied implied(JailProperties props, Map<String, Source> given)
      throws PropertyException {
    Implied implied = Implications.apply(props, given);
    implied.props().checkConsistent();
    return implied;
  }

  private static Map<String, Source> given(Map<String, String> values, Source source) {
    Map<String, Source> m = new LinkedHashMap<>();
    values.keySet().forEach(k -> m.put(k.trim(), source));
    return m;
  }

  /** These properties with {@code values} set by a user (keys applied in sorted order). */
  public JailProperties with(Map<String, String> values) throws PropertyException {
    return apply(new TreeMap<>(values), Source.USER);
  }

  /**
   * These properties with identity keys set by warder (name, type, release, created, origin,
   * cloned_release, source_template, plugin_name, plugin_repository). Values are validated; a key
   * that is not an identity key is a programming error.
   */
  public JailProperties withIdentity(Map<String, String> identity) throws PropertyException {
    return apply(new TreeMap<>(identity), Source.IDENTITY);
  }

  /** Properties read from a config.json written by {@link #toConfigJson()}; it must have a name. */
  public static JailProperties fromConfigJson(String json) throws PropertyException {
    JailProperties p = DEFAULTS.apply(ConfigJson.read(json), Source.CONFIG);
    if (p.name().isEmpty()) {
      throw PropertyException.of(
          Problem.MALFORMED_CONFIG,
          "name",
          null,
          "config.json has no \"name\"; every jail's config.json names its jail; restore it or re-create the jail");
    }
    return p;
  }

  /** These properties with {@code keys} back at their defaults. */
  JailProperties without(java.util.Collection<String> keys) {
    TreeMap<String, String> next = new TreeMap<>(explicit);
    keys.forEach(next::remove);
    return new JailProperties(next);
  }

  /**
   * The thin config.json: the non-default values and the identity keys, sorted, with a final
   * newline.
   */
  public String toConfigJson() {
    return ConfigJson.write(explicit);
  }

  /**
   * The jail(8) parameters these properties mean, in a fixed order (see {@link JailParameters}).
   */
  public Map<String, String> jailParameters() {
    return JailParameters.of(this);
  }

  /** The effective value of a settable key: the explicit value or the default. */
  public String value(String key) {
    PropertySpec spec =
        PropertyCatalog.find(key)
            .filter(PropertySpec::settable)
            .orElseThrow(() -> new IllegalArgumentException("not a settable property: " + key));
    return explicit.getOrDefault(key, spec.defaultValue().orElseThrow());
  }

  /** The value of an identity key, if warder set it. */
  public Optional<String> identity(String key) {
    if (PropertyCatalog.find(key).map(s -> s.access() != Access.IDENTITY).orElse(true)) {
      throw new IllegalArgumentException("not an identity property: " + key);
    }
    return Optional.ofNullable(explicit.get(key));
  }

  /** A boolean property's value. */
  public boolean isTrue(String key) {
    String v = value(key);
    if (!PropertyCatalog.find(key).orElseThrow().type().name().equals("bool")) {
      throw new IllegalArgumentException("not a boolean property: " + key);
    }
    return IocageBoolean.isTrue(v);
  }

  /** An integer property's value. */
  public int intValue(String key) {
    return Integer.parseInt(value(key));
  }

  /** The jail's name, once warder set it. */
  public Optional<JailName> name() {
    return Optional.ofNullable(explicit.get("name")).map(JailName::new);
  }

  /** What the root was built from ({@code origin}), once warder set it. */
  public Optional<Origin> origin() {
    return Optional.ofNullable(explicit.get("origin"))
        .map(
            o ->
                Origin.parse(o)
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "origin was validated, yet is not one: " + o)));
  }

  /** The entries of ip4_addr; empty for none. */
  public List<IpAssignment> ip4Addresses() {
    return addresses(Family.V4, "ip4_addr");
  }

  /** The entries of ip6_addr; empty for none. */
  public List<IpAssignment> ip6Addresses() {
    return addresses(Family.V6, "ip6_addr");
  }

  /**
   * The interfaces whose ip6_addr entry is {@code accept_rtadv} (IPv6 from router advertisements);
   * empty for none.
   */
  public List<String> acceptRtadvInterfaces() {
    try {
      return List.copyOf(NetworkTypes.rtadvInterfaces(value("ip6_addr")));
    } catch (PropertyType.Invalid e) {
      throw new IllegalStateException("stored ip6_addr is not normalized", e);
    }
  }

  /** The jails named by depends; empty for none. */
  public List<JailName> depends() {
    String d = value("depends");
    List<JailName> out = new ArrayList<>();
    if (!d.equals("none")) {
      for (String n : d.split(" ")) {
        out.add(new JailName(n));
      }
    }
    return List.copyOf(out);
  }

  /** The values that differ from the defaults, and the identity keys; sorted by key. */
  public SortedMap<String, String> explicit() {
    return explicit;
  }

  /** Every settable key with its effective value, and the identity keys set; catalog order. */
  public Map<String, String> effective() {
    Map<String, String> all = new LinkedHashMap<>();
    for (PropertySpec spec : PropertyCatalog.all()) {
      if (spec.settable()) {
        all.put(spec.key(), value(spec.key()));
      } else if (explicit.containsKey(spec.key())) {
        all.put(spec.key(), explicit.get(spec.key()));
      }
    }
    return Collections.unmodifiableMap(all);
  }

  /**
   * Fails if valid values contradict each other: dhcp or bpf without vnet, dhcp with nat, a fixed
   * ip4_addr with dhcp or nat, nat_forwards without nat, addresses with ip4/ip6 other than new, a
   * vnet address without its jail-side interface, a jail depending on itself.
   */
  public void checkConsistent() throws PropertyException {
    Consistency.check(this);
  }

  private List<IpAssignment> addresses(Family family, String key) {
    try {
      return List.copyOf(NetworkTypes.parse(family, value(key)));
    } catch (PropertyType.Invalid e) {
      throw new IllegalStateException("stored " + key + " is not normalized", e);
    }
  }

  public static Map<String, String> keyValues(List<String> keyValues) throws PropertyException {
    Map<String, String> m = new LinkedHashMap<>();
    for (String kv : keyValues) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw PropertyException.of(
            Problem.MALFORMED_VALUE,
            kv,
            null,
            "'"
                + Printable.of(kv)
                + "' is not key=value; give properties as key=value, e.g. ip4_addr='em0|203.0.113.5/24'");
      }
      String key = kv.substring(0, eq).trim();
      if (m.put(key, kv.substring(eq + 1)) != null) {
        throw PropertyException.of(
            Problem.MALFORMED_VALUE,
            key,
            kv.substring(eq + 1),
            "property "
                + key
                + " is given twice; give it once (several addresses go comma-separated in one value)");
      }
    }
    return m;
  }

  private JailProperties apply(Map<String, String> values, Source source) throws PropertyException {
    TreeMap<String, String> next = new TreeMap<>(explicit);
    for (Map.Entry<String, String> e : values.entrySet()) {
      PropertySpec spec = KeyAccess.spec(e.getKey(), e.getValue(), source);
      String v;
      try {
        v = spec.type().normalize(spec.key(), e.getValue());
      } catch (PropertyException x) {
        throw new PropertyException(
            x.problem(),
            x.key(),
            x.value().orElse(null),
            x.suggestions(),
            x.getMessage() + source.where);
      }
      if (spec.defaultValue().map(v::equals).orElse(false)) {
        next.remove(spec.key());
      } else {
        next.put(spec.key(), v);
      }
    }
    return new JailProperties(next);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JailProperties p && p.explicit.equals(explicit);
  }

  @Override
  public int hashCode() {
    return explicit.hashCode();
  }

  @Override
  public String toString() {
    return "JailProperties" + explicit;
  }
}
