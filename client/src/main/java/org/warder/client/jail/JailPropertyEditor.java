package org.warder.client.jail;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.jail.props.Implied;
import org.warder.client.jail.props.IocageBoolean;
import org.warder.client.jail.props.PropertyCatalog;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.plan.Plan;
import org.warder.client.plan.Step;
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
  public void set(String name, List<String> keyValues)
      throws ClientException, IOException, InterruptedException {
    for (Step step : setSteps(name, keyValues)) {
      step.run(reporter);
    }
  }

  /**
   * The steps of {@code warder set}, every value checked: write config.json with what changes (and
   * what the values turn on), rewrite the fstab when mount_linprocfs or basejail is set, convert to
   * or from a template. Changes nothing.
   */
  public Plan setPlan(String name, List<String> keyValues)
      throws ClientException, IOException, InterruptedException {
    return new Plan(setSteps(name, keyValues));
  }

  private List<Step> setSteps(String name, List<String> keyValues)
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
    Jail updated = jail;
    List<String> turnedOn = List.of();
    if (!values.isEmpty()) {
      Implied implied = jail.props().withImplied(values);
      turnedOn = implied.turnedOn();
      updated = new Jail(jail.name(), implied.props(), jail.template());
    }
    mounts.baseOrigin(updated);
    List<Step> steps = new ArrayList<>();
    steps.add(new WriteConfig(jail, updated, turnedOn));
    if (values.containsKey("mount_linprocfs") || values.containsKey("basejail")) {
      steps.add(new FstabStep(mounts, updated, mounts.entriesWithUserMounts(updated)));
    }
    if (template.isPresent() && template.get() != jail.template()) {
      if (lifecycle.running(jail)) {
        throw new JailException(
            Reason.CONFLICT, jail.name() + " is running; stop it before making it a template");
      }
      steps.add(new Convert(updated, template.get()));
    }
    return steps;
  }

  /** Writes the jail's config.json with its new values. */
  private final class WriteConfig implements Step {
    private final Jail jail;
    private final List<String> description = new ArrayList<>();
    private final List<String> turnedOn;

    WriteConfig(Jail before, Jail after, List<String> turnedOn) {
      this.jail = after;
      this.turnedOn = turnedOn;
      Path config = store.dir(after.name().value(), after.template()).resolve("config.json");
      Map<String, String> old = before.props().effective();
      after
          .props()
          .effective()
          .forEach(
              (key, value) -> {
                if (!value.equals(old.get(key))) {
                  description.add(
                      "write " + config + ": " + key + " " + old.get(key) + " -> " + value);
                }
              });
      if (description.isEmpty()) {
        description.add("write " + config + " (no value changes)");
      }
      turnedOn.forEach(t -> description.add("turns on " + t));
    }

    @Override
    public String name() {
      return "config";
    }

    @Override
    public List<String> describe() {
      return description;
    }

    @Override
    public void run(Reporter reporter) throws IOException {
      turnedOn.forEach(t -> reporter.info(jail.name() + ": turned on " + t));
      store.save(jail);
    }
  }

  /** Makes the jail a template ({@code template=yes}) or a template a jail again. */
  private final class Convert implements Step {
    private final Jail jail;
    private final Jail converted;

    Convert(Jail jail, boolean toTemplate) throws PropertyException {
      this.jail = jail;
      this.converted =
          new Jail(
              jail.name(),
              jail.props().withIdentity(Map.of("type", toTemplate ? "template" : "jail")),
              toTemplate);
    }

    @Override
    public String name() {
      return "template";
    }

    @Override
    public List<String> describe() {
      List<String> lines = new ArrayList<>();
      if (!converted.template()) {
        lines.add("make " + jail.rootName() + " writable");
      }
      lines.add("rename " + jail.storageName() + " to " + converted.storageName());
      lines.add(
          "write "
              + store.dir(converted.name().value(), converted.template()).resolve("config.json")
              + ": type "
              + (converted.template() ? "template" : "jail"));
      if (converted.template()) {
        lines.add("make " + converted.rootName() + " read-only");
      }
      return lines;
    }

    @Override
    public void run(Reporter reporter) throws ClientException, IOException, InterruptedException {
      if (lifecycle.running(jail)) {
        throw new JailException(
            Reason.CONFLICT, jail.name() + " is running; stop it before making it a template");
      }
      boolean toTemplate = converted.template();
      if (!toTemplate) {
        storage.setReadOnly(jail.rootName(), false);
      }
      storage.rename(jail.storageName(), converted.storageName());
      store.save(converted);
      if (toTemplate) {
        storage.setReadOnly(converted.rootName(), true);
      }
      reporter.info(jail.name() + (toTemplate ? " is now a template" : " is a jail again"));
    }
  }
}
