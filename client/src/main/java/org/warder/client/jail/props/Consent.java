package org.warder.client.jail.props;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.warder.client.jail.props.PropertyException.Problem;

/**
 * The keys the local administrator allowed, by name ({@code --allow-property KEY}), to come from
 * someone else (a bundle, a pulled jail or template, an iocage zip) although their values act on
 * the host or weaken the jail ({@link HostRisk}). Immutable and thread-safe.
 */
public final class Consent {
  /** The flag that names a key; messages tell the administrator to use it. */
  public static final String FLAG = "--allow-property";

  private static final Consent NONE = new Consent(Collections.emptySortedSet());

  private final Set<String> keys;

  private Consent(Set<String> keys) {
    this.keys = Collections.unmodifiableSet(keys);
  }

  /** No key allowed: every risky value is dropped. */
  public static Consent none() {
    return NONE;
  }

  /**
   * The keys named on the command line; each must be a settable key some value of which acts on the
   * host or weakens the jail (anything else needs no consent, and naming it is a mistake).
   */
  public static Consent of(List<String> named) throws PropertyException {
    Set<String> keys = new TreeSet<>();
    for (String key : named) {
      Optional<PropertySpec> spec = PropertyCatalog.find(key);
      if (spec.isEmpty()) {
        List<String> close = PropertyCatalog.suggest(key);
        throw new PropertyException(
            Problem.UNKNOWN_KEY,
            key,
            null,
            close,
            FLAG
                + " "
                + Printable.of(key)
                + ": expected a jail property name, found an unknown key; "
                + (close.isEmpty() ? "" : "did you mean " + String.join(" or ", close) + "? ")
                + "'warder get all JAIL' lists the property names");
      }
      if (!HostRisk.canRisk(spec.get())) {
        throw PropertyException.of(
            Problem.MALFORMED_VALUE,
            key,
            null,
            FLAG
                + " "
                + key
                + ": "
                + key
                + " never acts on the host or weakens the jail, so it is always taken from a bundle; name only keys"
                + " an import listed as dropped");
      }
      keys.add(key);
    }
    return keys.isEmpty() ? NONE : new Consent(keys);
  }

  /** The keys allowed, sorted. */
  public Set<String> keys() {
    return keys;
  }

  /** Whether {@code key} was allowed. */
  public boolean allows(String key) {
    return keys.contains(key);
  }

  /**
   * {@code props} with every value that risks the host and was not allowed reset to its default;
   * what was dropped, in key order, and the allowed keys {@code props} did not set.
   */
  public Screened screen(JailProperties props) {
    List<Dropped> dropped = new ArrayList<>();
    for (Map.Entry<String, String> e : props.explicit().entrySet()) {
      PropertySpec spec = PropertyCatalog.find(e.getKey()).orElseThrow();
      spec.risk(e.getValue())
          .filter(r -> !allows(spec.key()))
          .ifPresent(r -> dropped.add(new Dropped(spec.key(), e.getValue(), r)));
    }
    List<String> unused = keys.stream().filter(k -> !props.explicit().containsKey(k)).toList();
    return new Screened(
        props.without(dropped.stream().map(Dropped::key).toList()), dropped, unused);
  }

  /**
   * Properties after {@link #screen}.
   *
   * @param props what is kept
   * @param dropped the risky values not allowed, in key order
   * @param unused allowed keys the properties did not set (the administrator may have mistyped)
   */
  public record Screened(JailProperties props, List<Dropped> dropped, List<String> unused) {
    public Screened {
      dropped = List.copyOf(dropped);
      unused = List.copyOf(unused);
    }

    /** One line per dropped value and per unused allowance, for the administrator to read. */
    public List<String> report(String where) {
      List<String> lines = new ArrayList<>();
      dropped.forEach(d -> lines.add(d.message(where)));
      unused.forEach(
          k ->
              lines.add(
                  "note: "
                      + FLAG
                      + " "
                      + k
                      + ": "
                      + where
                      + " does not set "
                      + k
                      + "; nothing to allow"));
      return List.copyOf(lines);
    }
  }

  /** A value left out: {@code key=value}, and what it risks. */
  public record Dropped(String key, String value, HostRisk risk) {
    /**
     * "dropped exec_prestart=... from the bundle's config (acts on the host); to keep it:
     * --allow-property exec_prestart".
     */
    public String message(String where) {
      return "warning: dropped "
          + key
          + "="
          + Printable.of(value)
          + " from "
          + where
          + " ("
          + risk.description()
          + "); to keep it: "
          + FLAG
          + " "
          + key;
    }
  }
}
