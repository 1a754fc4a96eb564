package org.warder.client.bundle.iocage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.warder.client.bundle.BadBundleException;
import org.warder.client.jail.props.Consent;
import org.warder.client.jail.props.IocageBoolean;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyCatalog;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.jail.props.PropertySpec;
import org.warder.client.jail.props.PropertySpec.Access;
import org.warder.client.layout.HostLayout;
import org.warder.signing.MalformedJsonException;
import org.warder.signing.StrictJson;

/**
 * Reads iocage's config.json of an exported jail (iocage-internals §5.3) as warder's properties.
 * Both use iocage's property names and defaults, so most keys carry over as they are; the rest:
 *
 * <ul>
 *   <li>{@code type}: jail, clonejail and basejail become a jail; template becomes a jail as
 *       iocage's own import does; plugin and pluginv2 a plugin jail; anything else is refused.
 *   <li>{@code release} (with its patch level, 13.2-RELEASE-p11) is kept; {@code cloned_release}
 *       goes, since a received root is a full copy, except that it names the release a base jail's
 *       system directories come from.
 *   <li>{@code host_hostuuid} and {@code host_hostname} equal to what iocage derives from the
 *       jail's name are left to warder to derive, so that they follow a new name.
 *   <li>Keys warder does not carry are dropped: silently when at iocage's default (thick configs
 *       list every key) or iocage's bookkeeping, with their reason otherwise.
 *   <li>A value warder's types refuse is refused with its key named: warder cannot represent it.
 *   <li>A value that acts on the host or weakens the jail ({@link
 *       org.warder.client.jail.props.HostRisk}) is dropped and listed unless the administrator's
 *       {@link Consent} names its key.
 * </ul>
 *
 * A thin config (no CONFIG_VERSION) lacks the keys at the source host's defaults.json, which the
 * export does not carry; they take iocage's stock defaults, which are warder's. Stateless.
 */
final class IocageConfigReader {
  private static final Set<String> JAIL_TYPES = Set.of("jail", "clonejail", "basejail", "template");
  private static final Set<String> PLUGIN_TYPES = Set.of("plugin", "pluginv2");

  private IocageConfigReader() {}

  /**
   * The properties of jail {@code name}, imported at {@code now} from {@code image}, whose
   * config.json is {@code json}, with what {@code consent} does not allow dropped.
   *
   * @throws BadBundleException if it is not a JSON object
   * @throws UnsupportedIocageConfigException if it holds what warder cannot represent
   */
  static ImportedConfig read(
      byte[] json, IocageImage image, String name, Instant now, Consent consent)
      throws BadBundleException, UnsupportedIocageConfigException {
    SortedMap<String, String> raw = values(json, image);
    List<String> dropped = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    String type = raw.getOrDefault("type", "jail");
    if (!JAIL_TYPES.contains(type) && !PLUGIN_TYPES.contains(type)) {
      throw new UnsupportedIocageConfigException(
          "type",
          "config.json of "
              + image.fileName()
              + " has type=\""
              + type
              + "\"; expected one of jail, clonejail, basejail, template, plugin, pluginv2; nothing was imported",
          null);
    }
    boolean plugin = PLUGIN_TYPES.contains(type);
    if (type.equals("template") || IocageBoolean.isTrue(raw.getOrDefault("template", "0"))) {
      notes.add(
          "iocage template: imported as a jail, as iocage imports templates; make it a template again with"
              + " 'warder set template=yes "
              + name
              + "'");
    }
    SortedMap<String, String> settable = new TreeMap<>();
    List<String> inert = new ArrayList<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      Optional<PropertySpec> spec = PropertyCatalog.find(key);
      switch (key) {
        case "type",
            "template",
            "release",
            "cloned_release",
            "source_template",
            "plugin_name",
            "plugin_repository" -> {
          // identity and kind, below
        }
        case "host_hostuuid", "host_hostname" -> {
          String derived =
              key.equals("host_hostuuid") ? image.name() : image.name().replace('_', '-');
          if (!value.equals(derived)) {
            settable.put(key, value);
          }
        }
        case "jail_zfs_dataset" -> {
          if (IocageBoolean.isTrue(raw.getOrDefault("jail_zfs", "0"))) {
            dropped.add(key + "=" + value + ": " + spec.orElseThrow().description());
          } else {
            inert.add(key);
          }
        }
        default -> {
          if (IocageDefaults.BOOKKEEPING.contains(key) || IocageDefaults.isDefault(key, value)) {
            inert.add(key);
          } else if (spec.isEmpty()) {
            dropped.add(key + "=" + value + ": not a property warder knows");
          } else if (spec.get().settable()) {
            settable.put(key, value);
          } else {
            dropped.add(
                key
                    + "="
                    + value
                    + ": "
                    + (spec.get().access() == Access.UNSUPPORTED
                        ? spec.get().description()
                        : "warder sets it itself"));
          }
        }
      }
    }
    JailProperties props = JailProperties.defaults();
    for (Map.Entry<String, String> e : settable.entrySet()) {
      try {
        props = props.with(Map.of(e.getKey(), e.getValue()));
      } catch (PropertyException x) {
        throw unrepresentable(image, e.getKey(), x);
      }
    }
    Consent.Screened screened = consent.screen(props);
    props = screened.props();
    Map<String, String> identity = new TreeMap<>();
    identity.put("name", name);
    identity.put("type", plugin ? "plugin" : "jail");
    identity.put("created", now.toString());
    Optional.ofNullable(raw.get("release")).ifPresent(r -> identity.put("release", r));
    Optional<String> template = Optional.ofNullable(raw.get("source_template"));
    if (template.isPresent() && validName(template.get())) {
      identity.put("source_template", template.get());
    } else {
      template.ifPresent(
          t -> dropped.add("source_template=" + t + ": not a name warder gives jails"));
      template = Optional.empty();
    }
    Optional<String> clonedRelease = Optional.ofNullable(raw.get("cloned_release"));
    if (props.isTrue("basejail")) {
      String release =
          clonedRelease
              .or(
                  () ->
                      Optional.ofNullable(raw.get("release"))
                          .map(r -> r.replaceFirst("-p[0-9]+$", "")))
              .orElseThrow(
                  () ->
                      new UnsupportedIocageConfigException(
                          "basejail",
                          "config.json of "
                              + image.fileName()
                              + " makes a base jail (basejail=1) but names no release its system directories come from (release,"
                              + " cloned_release); nothing was imported",
                          null));
      identity.put(
          "origin", template.map(HostLayout::templateName).orElse(HostLayout.releaseName(release)));
    } else {
      clonedRelease.ifPresent(
          r ->
              dropped.add(
                  "cloned_release="
                      + r
                      + ": the received root is a full copy, not a"
                      + " clone of "
                      + r));
    }
    for (String key : List.of("plugin_name", "plugin_repository")) {
      String value = raw.getOrDefault(key, "none");
      if (plugin && !value.equals("none")) {
        identity.put(key, value);
      } else if (!value.equals("none")) {
        dropped.add(key + "=" + value + ": the jail is not a plugin jail (type " + type + ")");
      }
    }
    if (plugin) {
      notes.add(
          "iocage plugin jail: kept as type plugin with its files; 'warder plugin update' updates only plugins"
              + " warder installed");
    }
    try {
      props = props.withIdentity(identity);
    } catch (PropertyException x) {
      throw unrepresentable(image, x.key(), x);
    }
    notes.add(
        0,
        raw.containsKey("CONFIG_VERSION")
            ? "thick config.json (CONFIG_VERSION "
                + raw.get("CONFIG_VERSION")
                + "): "
                + inert.size()
                + " keys warder does not carry left out, each at iocage's default or about the source host"
            : "thin config.json: the keys it lacks take iocage's stock defaults (warder's), not the source host's"
                + " defaults.json, which an export does not carry");
    return new ImportedConfig(props, dropped, notes, screened.report("iocage's config.json"));
  }

  /**
   * The top-level values as text: strings as they are, integers in decimal, booleans as 1/0,
   * anything else as JSON.
   */
  private static SortedMap<String, String> values(byte[] json, IocageImage image)
      throws BadBundleException {
    ObjectNode root;
    try {
      root = StrictJson.parseObject(json);
    } catch (MalformedJsonException e) {
      throw new BadBundleException(
          "config.json of "
              + image.fileName()
              + ": "
              + e.getMessage()
              + "; it is not an iocage jail config; nothing was imported",
          e);
    }
    SortedMap<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> f : root.properties()) {
      JsonNode v = f.getValue();
      out.put(
          f.getKey(),
          v.isTextual()
              ? v.textValue()
              : v.isBoolean()
                  ? (v.booleanValue() ? "1" : "0")
                  : v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.toString());
    }
    return out;
  }

  private static boolean validName(String name) {
    try {
      JailName.of(name);
      return true;
    } catch (PropertyException e) {
      return false;
    }
  }

  private static UnsupportedIocageConfigException unrepresentable(
      IocageImage image, String key, PropertyException cause) {
    return new UnsupportedIocageConfigException(
        key,
        "config.json of "
            + image.fileName()
            + " has a value warder"
            + " cannot represent ("
            + cause.getMessage()
            + "); nothing was imported: change "
            + key
            + " on the iocage"
            + " host ('iocage set "
            + key
            + "=... "
            + image.name()
            + "') and export again",
        cause);
  }
}
