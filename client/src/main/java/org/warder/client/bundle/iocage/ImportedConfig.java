package org.warder.client.bundle.iocage;

import java.util.List;
import org.warder.client.jail.props.JailProperties;

/**
 * An iocage config.json as warder's properties.
 *
 * @param props the jail's properties, identity included
 * @param dropped each iocage setting left out that meant something, as {@code key=value: why}
 * @param notes what the reader of the import should know (thin or thick config, a template or
 *     plugin jail)
 * @param screening each value left out because it acts on the host or weakens the jail, with the
 *     flag that keeps it, and each allowance the config did not use
 */
record ImportedConfig(
    JailProperties props, List<String> dropped, List<String> notes, List<String> screening) {
  ImportedConfig {
    dropped = List.copyOf(dropped);
    notes = List.copyOf(notes);
    screening = List.copyOf(screening);
  }
}
