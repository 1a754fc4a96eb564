package org.warder.client.bundle.iocage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.warder.client.bundle.ExportRefusedException;
import org.warder.client.jail.Jail;
import org.warder.client.jail.props.Origin;
import org.warder.client.jail.props.PropertyCatalog;
import org.warder.client.jail.props.PropertySpec;
import org.warder.signing.StrictJson;

/**
 * Writes a warder jail's properties as the thin config.json iocage keeps in a jail's directory
 * (iocage-internals §5.3): the values that differ from the defaults under the same names, booleans
 * as 1/0 and everything else as strings, plus what iocage's create sets ({@code type}, {@code
 * release}, {@code host_hostname}, {@code host_hostuuid}, {@code jail_zfs_dataset}); keys sorted,
 * indented by four, as iocage's {@code json.dump} writes them. warder's own records (created,
 * origin), a thin jail's cloned_release (its root is sent whole) and a plugin jail's plugin keys
 * (iocage runs it as a plain jail) are left out. Stateless.
 */
final class IocageConfigWriter {
  private static final DefaultPrettyPrinter PYTHON_STYLE =
      new DefaultPrettyPrinter(
              Separators.createDefaultInstance()
                  .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("    ", "\n"));

  /**
   * iocage's config.json of a jail.
   *
   * @param json its text
   * @param leftOut each warder key not written, as {@code key: why}
   */
  record Written(String json, List<String> leftOut) {
    Written {
      leftOut = List.copyOf(leftOut);
    }
  }

  private IocageConfigWriter() {}

  /**
   * iocage's config.json of {@code jail}.
   *
   * @throws ExportRefusedException for a base jail, whose iocage fstab would have to name the
   *     importing host's paths
   */
  static Written write(Jail jail) throws ExportRefusedException {
    String name = jail.name().value();
    if (jail.props().isTrue("basejail")) {
      throw new ExportRefusedException(
          name
              + " is a base jail: its system directories are read-only mounts of "
              + jail.origin().map(Origin::storageName).orElse("its release")
              + ", not part of its root, and an iocage"
              + " base jail names them by the importing host's paths in its fstab, which warder cannot know; export it in warder's format"
              + " ('warder export "
              + name
              + "'), which imports as a base jail on any warder host that has "
              + jail.origin().map(Origin::storageName).orElse("its release"));
    }
    SortedMap<String, Object> values = new TreeMap<>();
    List<String> leftOut = new ArrayList<>();
    boolean plugin = jail.props().identity("type").orElse("jail").equals("plugin");
    for (Map.Entry<String, String> e : jail.props().explicit().entrySet()) {
      String key = e.getKey();
      PropertySpec spec = PropertyCatalog.find(key).orElseThrow();
      if (spec.settable()) {
        values.put(
            key,
            spec.type().name().equals("bool")
                ? (Object) Integer.valueOf(e.getValue())
                : e.getValue());
        continue;
      }
      switch (key) {
        case "name", "type" -> {
          // the dataset's name and the kind, below
        }
        case "release", "source_template" -> values.put(key, e.getValue());
        case "cloned_release" ->
            leftOut.add(key + ": the root is sent whole, as iocage's thick jails, which have none");
        case "plugin_name", "plugin_repository" ->
            leftOut.add(key + ": iocage runs a plugin jail warder installed as a" + " plain jail");
        default -> leftOut.add(key + ": warder's own record");
      }
    }
    values.put("type", jail.template() ? "template" : "jail");
    if (jail.template()) {
      values.put("template", 1);
    }
    if (plugin) {
      leftOut.add("type plugin: written as type jail");
    }
    values.putIfAbsent("host_hostuuid", name);
    values.putIfAbsent("host_hostname", name.replace('_', '-'));
    values.put("jail_zfs_dataset", "iocage/jails/" + name + "/data");
    ObjectNode root = StrictJson.mapper().createObjectNode();
    values.forEach(
        (k, v) -> {
          if (v instanceof Integer i) {
            root.put(k, i);
          } else {
            root.put(k, (String) v);
          }
        });
    try {
      return new Written(
          StrictJson.mapper().writer(PYTHON_STYLE).writeValueAsString(root), leftOut);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "a JSON object of strings and integers is always writable", e);
    }
  }
}
