package org.warder.client.jail;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.jail.props.Implied;
import org.warder.client.jail.props.IocageBoolean;
import org.warder.client.jail.props.PropertyCatalog;
import org.warder.client.progress.Reporter;
import org.warder.client.storage.Storage;

/**
 * A jail's properties: read one, set some ({@code warder set}), and turn a jail into a template and
 * back ({@code template=yes|no}). A value refused leaves config.json as it was. Not thread-safe.
 */
public final class JailPropertyEditor {
  private final Storage storage;
  private final JailStore store;
  private final JailMounts mounts;
  private final JailLifecycle lifecycle;
  private final Reporter reporter;

  public JailPropertyEditor(
      Storage storage,
      JailStore store,
      JailMounts mounts,
      JailLifecycle lifecycle,
      Reporter reporter) {
    this.storage = storage;
    this.store = store;
    this.mounts = mounts;
    this.lifecycle = lifecycle;
    this.reporter = reporter;
  }

  /** The jail or template called {@code name}. */
  public Jail get(String name) throws JailException, IOException {
    return store.get(name);
  }

  /** The effective value of {@code key}; "none" for an identity key warder has not set. */
  public static String value(Jail jail, String key) throws JailException {
    String v = jail.props().effective().get(key);
    if (v != null) {
      return v;
    }
    if (PropertyCatalog.find(key).isPresent()) {
      return "none";
    }
    List<String> close = PropertyCatalog.suggest(key);
    throw new JailException(
        "unknown jail property '"
            + key
            + "'"
            + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?")
            + " 'warder get all "
            + jail.name()
            + "' lists them all");
  }

  /** Sets properties of a jail; {@code template=yes|no} converts it. */
  public Jail set(String name, List<String> keyValues)
      throws ClientException, IOException, InterruptedException {
    Jail jail = store.get(name);
    Map<String, String> values = new LinkedHashMap<>();
    Optional<Boolean> template = Optional.empty();
    for (String kv : keyValues) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new JailException("expected key=value, found \"" + kv + "\"");
      }
      String key = kv.substring(0, eq);
      String value = kv.substring(eq + 1);
      if (key.equals("template")) {
        template =
            Optional.of(
                IocageBoolean.parse(value)
                    .orElseThrow(
                        () ->
                            new JailException(
                                "expected template=yes or template=no, found \"" + value + "\"")));
      } else {
        values.put(key, value);
      }
    }
    if (jail.template() && !values.isEmpty()) {
      throw new JailException(
          Reason.CONFLICT, name + " is a template and read-only; set template=no first");
    }
    if (!values.isEmpty()) {
      Implied implied = jail.props().withImplied(values);
      implied.turnedOn().forEach(t -> reporter.info(name + ": turned on " + t));
      jail = new Jail(jail.name(), implied.props(), jail.template());
    }
    mounts.baseOrigin(jail);
    store.save(jail);
    if (values.containsKey("mount_linprocfs") || values.containsKey("basejail")) {
      mounts.rewriteFstab(jail);
    }
    if (template.isPresent() && template.get() != jail.template()) {
      jail = convert(jail, template.get());
    }
    return jail;
  }

  private Jail convert(Jail jail, boolean toTemplate)
      throws ClientException, IOException, InterruptedException {
    if (lifecycle.running(jail)) {
      throw new JailException(
          Reason.CONFLICT, jail.name() + " is running; stop it before making it a template");
    }
    Jail converted =
        new Jail(
            jail.name(),
            jail.props().withIdentity(Map.of("type", toTemplate ? "template" : "jail")),
            toTemplate);
    if (!toTemplate) {
      storage.setReadOnly(jail.rootName(), false);
    }
    storage.rename(jail.storageName(), converted.storageName());
    store.save(converted);
    if (toTemplate) {
      storage.setReadOnly(converted.rootName(), true);
    }
    reporter.info(jail.name() + (toTemplate ? " is now a template" : " is a jail again"));
    return converted;
  }
}
