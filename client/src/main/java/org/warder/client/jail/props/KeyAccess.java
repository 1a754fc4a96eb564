package org.warder.client.jail.props;

import java.util.List;
import java.util.Optional;
import org.warder.client.jail.props.PropertyException.Problem;
import org.warder.client.jail.props.PropertySpec.Access;

/**
 * Who may set which key: unknown keys, read-only, host-only and unsupported keys are refused here.
 */
final class KeyAccess {
  private KeyAccess() {}

  /** The spec of {@code key} if {@code source} may set it. */
  static PropertySpec spec(String key, String value, Source source) throws PropertyException {
    Optional<PropertySpec> found = PropertyCatalog.find(key);
    if (found.isEmpty()) {
      List<String> close = PropertyCatalog.suggest(key);
      throw new PropertyException(
          Problem.UNKNOWN_KEY,
          key,
          value,
          close,
          "unknown jail property '"
              + Printable.of(key)
              + "'"
              + source.where
              + "; "
              + (close.isEmpty() ? "" : "did you mean " + String.join(" or ", close) + "? ")
              + "Property names are iocage's, with '_' where jail(8) has '.' (ip4_addr, allow_raw_sockets)");
    }
    PropertySpec spec = found.get();
    if (source == Source.IDENTITY && spec.access() != Access.IDENTITY) {
      throw new IllegalArgumentException("not an identity property: " + key);
    }
    String message =
        switch (spec.access()) {
          case USER -> null;
          case HOST ->
              source != Source.MANIFEST
                  ? null
                  : "property "
                      + key
                      + " acts on the host ("
                      + spec.description()
                      + "), so a plugin manifest may not set it; set it yourself if you trust the value";
          case IDENTITY ->
              source == Source.IDENTITY || source == Source.CONFIG
                  ? null
                  : "property "
                      + key
                      + " is read-only: warder sets it ("
                      + spec.description()
                      + "); remove "
                      + key
                      + "=... from the properties";
          case RUNTIME ->
              "property "
                  + key
                  + " is read-only: the running system reports it ("
                  + spec.description()
                  + "); it is never set or stored";
          case UNSUPPORTED ->
              "iocage property "
                  + key
                  + " is not supported by warder: "
                  + spec.description()
                  + "; remove it";
        };
    if (message != null) {
      Problem reason =
          switch (spec.access()) {
            case HOST -> Problem.HOST_ONLY;
            case UNSUPPORTED -> Problem.UNSUPPORTED;
            default -> Problem.READ_ONLY;
          };
      throw PropertyException.of(
          reason, key, value, message + (reason == Problem.HOST_ONLY ? "" : source.where));
    }
    return spec;
  }
}
