package org.warder.client.jail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.warder.client.ClientException;
import org.warder.client.jail.props.JailName;
import org.warder.client.jail.props.JailProperties;
import org.warder.client.jail.props.PropertyException;
import org.warder.client.layout.HostLayout;
import org.warder.signing.AtomicFiles;

/**
 * The jails and templates recorded on this host: each one's {@code config.json}, read and written
 * atomically. Not thread-safe.
 */
public final class JailStore {
  private static final int MAX_CONFIG = 1 << 20;
  private final HostLayout layout;

  public JailStore(HostLayout layout) {
    this.layout = layout;
  }

  /** The jail or template called {@code name}. */
  public Optional<Jail> find(String name) throws IOException, JailException {
    for (boolean template : new boolean[] {false, true}) {
      Path config = dir(name, template).resolve("config.json");
      if (Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(read(config, template));
      }
    }
    return Optional.empty();
  }

  /** The jail or template called {@code name}, or a clear error. */
  public Jail get(String name) throws IOException, JailException {
    return find(name)
        .orElseThrow(
            () ->
                new JailException(
                    ClientException.Reason.NOT_FOUND,
                    "no jail or template named \"" + name + "\"; see 'warder list'"));
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
        if (Files.exists(config, LinkOption.NOFOLLOW_LINKS)) {
          out.add(read(config, templates));
        }
      }
    }
    return out;
  }

  /** Writes the jail's config.json. */
  public void save(Jail jail) throws IOException {
    Path dir = dir(jail.name().value(), jail.template());
    AtomicFiles.write(
        dir.resolve("config.json"), jail.props().toConfigJson().getBytes(StandardCharsets.UTF_8));
  }

  /** The jail's directory (config.json, fstab, jail.conf, root/). */
  public Path dir(String name, boolean template) {
    return layout.path(template ? HostLayout.templateName(name) : HostLayout.jailName(name));
  }

  /**
   * A file of a jail directory (config.json, fstab, devfs.json, plugin.json: warder's own, though
   * an import may have brought them), at most {@code max} bytes, read without following a link;
   * empty when absent. A link, a directory or a special file there is refused, never followed.
   */
  public static Optional<byte[]> readOwnFile(Path file, int max) throws IOException {
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    BasicFileAttributes attrs =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isRegularFile()) {
      throw new FileSystemException(
          file.toString(),
          null,
          "expected a regular file, found "
              + (attrs.isSymbolicLink()
                  ? "a symbolic link to " + Files.readSymbolicLink(file)
                  : attrs.isDirectory() ? "a directory" : "a special file")
              + "; a jail directory's files are warder's own and never links, which warder does not follow: remove it"
              + " and restore the file");
    }
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new FileSystemException(
            file.toString(),
            null,
            "expected at most " + max + " bytes, found more; it is" + " not a file warder wrote");
      }
      return Optional.of(bytes);
    }
  }

  private Jail read(Path config, boolean template) throws IOException, JailException {
    byte[] bytes =
        readOwnFile(config, MAX_CONFIG).orElseThrow(() -> new JailException(config + " is gone"));
    try {
      JailProperties props =
          JailProperties.fromConfigJson(new String(bytes, StandardCharsets.UTF_8));
      JailName name = props.name().orElseThrow(() -> new JailException(config + " names no jail"));
      return new Jail(name, props, template);
    } catch (PropertyException e) {
      throw new JailException(config + " is damaged: " + e.getMessage(), e);
    }
  }
}
