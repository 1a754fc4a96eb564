package org.warder.client.jail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.layout.HostLayout;
import org.warder.signing.AtomicFiles;

/**
 * The jails and templates recorded on this host: each one's {@code config.json}, read and
 * written atomically. Not thread-safe.
 */
public final class JailStore {
  private static final long MAX_CONFIG = 1 << 20;
  private final HostLayout layout;

  public JailStore(HostLayout layout) {
    this.layout = layout;
  }

  /** The jail or template called {@code name}. */
  public Optional<Jail> find(String name) throws IOException, JailException {
    for (boolean template : new boolean[] {false, true}) {
      Path config = dir(name, template).resolve("config.json");
      if (Files.isRegularFile(config)) {
        return Optional.of(read(config, template));
      }
    }
    return Optional.empty();
  }

  /** The jail or template called {@code name}, or a clear error. */
  public Jail get(String name) throws IOException, JailException {
    return find(name).orElseThrow(() -> new JailException("no jail or template named \"" + name + "\"; see 'warder list'"));
  }

  /** Every jail (or every template), by name. */
  public List<Jail> all(boolean templates) throws IOException, JailException {
    Path dir = templates ? layout.templates() : layout.jails();
    List<Jail> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.sorted().toList()) {
        if (p.getFileName().toString().startsWith(".")) {
          continue; // update backups and other work directories
        }
        Path config = p.resolve("config.json");
        if (Files.isRegularFile(config)) {
          out.add(read(config, templates));
        }
      }
    }
    return out;
  }

  /** Writes the jail's config.json. */
  public void save(Jail jail) throws IOException {
    Path dir = dir(jail.name().value(), jail.template());
    AtomicFiles.write(dir.resolve("config.json"), (jail.props().toConfigJson()).getBytes(StandardCharsets.UTF_8));
  }

  /** The jail's directory (config.json, fstab, jail.conf, root/). */
  public Path dir(String name, boolean template) {
    return layout.path(template ? HostLayout.templateName(name) : HostLayout.jailName(name));
  }

  private Jail read(Path config, boolean template) throws IOException, JailException {
    if (Files.size(config) > MAX_CONFIG) {
      throw new JailException(config + " is larger than " + MAX_CONFIG + " bytes; it is not a jail config");
    }
    try {
      JailProperties props = JailProperties.fromConfigJson(Files.readString(config, StandardCharsets.UTF_8));
      JailName name = props.name().orElseThrow(() -> new JailException(config + " names no jail"));
      return new Jail(name, props, template);
    } catch (PropertyException e) {
      throw new JailException(config + " is damaged: " + e.getMessage(), e);
    }
  }
}
