package org.warder.registry.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.warder.index.CatalogException;
import org.warder.index.PluginIndex;
import org.warder.registry.storage.BlobStore;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.Repository;
import org.warder.signing.tuf.Snapshot;
import org.warder.signing.tuf.TargetFile;

/**
 * Reads the {@link Catalogue} from the repository as clients see it (the committed snapshot's
 * targets roles) and, for plugins, the signed INDEX files from the blob store. Targets are
 * recognised by the client's naming: {@code releases/<REL>/<ARCH>/<file>}, {@code
 * plugins/<P>/INDEX} (each entry's {@code manifest_target} a target whose {@code custom} has the
 * revision and commit), {@code templates/<TEAM>/<NAME>/<TAG>.bundle} (its {@code custom} the
 * release and publication time). What does not parse (an INDEX that is no INDEX, a missing blob) is
 * left out, never fatal: the page shows what can be shown. Thread-safe.
 */
public final class CatalogueReader {
  private static final Pattern RELEASE = Pattern.compile("releases/([^/]+)/([^/]+)/([^/]+)");
  private static final Pattern INDEX = Pattern.compile("plugins/([^/]+)/INDEX");
  private static final Pattern TEMPLATE =
      Pattern.compile("templates/([^/]+)/([^/]+)/([^/]+)\\.bundle");

  private final BlobStore blobs;

  public CatalogueReader(BlobStore blobs) {
    this.blobs = blobs;
  }

  /** The catalogue of {@code repository}, as its snapshot lists its targets roles. */
  public Catalogue read(Repository repository) throws IOException {
    Metadata<Snapshot> snapshot =
        repository
            .snapshot()
            .orElseThrow(() -> new IOException("the repository has no snapshot to read"));
    Map<String, TargetFile> targets = new TreeMap<>();
    for (String file : snapshot.signed().meta().keySet()) {
      String role = file.substring(0, file.length() - ".json".length());
      repository
          .targets(role)
          .ifPresent(
              m -> m.signed().targets().values().forEach(t -> targets.putIfAbsent(t.path(), t)));
    }
    return new Catalogue(
        snapshot.signed().version(), releases(targets), plugins(targets), templates(targets));
  }

  private static List<Catalogue.Release> releases(Map<String, TargetFile> targets) {
    Map<String, List<Catalogue.File>> byRelease = new TreeMap<>();
    targets.forEach(
        (path, t) -> {
          Matcher m = RELEASE.matcher(path);
          if (m.matches()) {
            byRelease
                .computeIfAbsent(m.group(1) + "\t" + m.group(2), k -> new ArrayList<>())
                .add(new Catalogue.File(m.group(3), t.length()));
          }
        });
    List<Catalogue.Release> all = new ArrayList<>();
    byRelease.forEach(
        (key, files) -> {
          String[] relArch = key.split("\t", 2);
          all.add(new Catalogue.Release(relArch[0], relArch[1], files));
        });
    return all;
  }

  private List<Catalogue.Plugin> plugins(Map<String, TargetFile> targets) throws IOException {
    List<Catalogue.Plugin> all = new ArrayList<>();
    for (Map.Entry<String, TargetFile> target : targets.entrySet()) {
      Matcher m = INDEX.matcher(target.getKey());
      if (!m.matches()) {
        continue;
      }
      Optional<PluginIndex> index = index(target.getValue());
      if (index.isEmpty()) {
        continue;
      }
      index
          .get()
          .entries()
          .forEach(
              (id, e) -> {
                Optional<JsonNode> custom =
                    e.manifestTarget().map(targets::get).flatMap(TargetFile::custom);
                all.add(
                    new Catalogue.Plugin(
                        m.group(1),
                        id,
                        e.name(),
                        e.description(),
                        e.icon(),
                        custom.flatMap(c -> text(c, "revision")),
                        custom.flatMap(c -> text(c, "commit"))));
              });
    }
    all.sort(Comparator.comparing(Catalogue.Plugin::id).thenComparing(Catalogue.Plugin::publisher));
    return all;
  }

  /** The INDEX a target names, from the blob store; empty when it is missing or no INDEX. */
  private Optional<PluginIndex> index(TargetFile target) throws IOException {
    if (target.sha256().isEmpty() || target.length() > PluginIndex.MAX_BYTES) {
      return Optional.empty();
    }
    Optional<InputStream> blob = blobs.open(target.sha256().get());
    if (blob.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes;
    try (InputStream in = blob.get()) {
      bytes = in.readNBytes(PluginIndex.MAX_BYTES + 1);
    }
    try {
      return Optional.of(PluginIndex.parse(bytes).value());
    } catch (CatalogException e) {
      return Optional.empty();
    }
  }

  private static List<Catalogue.Template> templates(Map<String, TargetFile> targets) {
    Map<String, List<Catalogue.Tag>> byName = new TreeMap<>();
    targets.forEach(
        (path, t) -> {
          Matcher m = TEMPLATE.matcher(path);
          if (m.matches()) {
            JsonNode custom = t.custom().orElse(MissingNode.getInstance());
            byName
                .computeIfAbsent(m.group(1) + "/" + m.group(2), k -> new ArrayList<>())
                .add(
                    new Catalogue.Tag(
                        m.group(3),
                        text(custom, "release").orElse("-"),
                        text(custom, "published").flatMap(CatalogueReader::instant),
                        t.length(),
                        text(custom, "base_tag")));
          }
        });
    List<Catalogue.Template> all = new ArrayList<>();
    byName.forEach(
        (teamName, tags) -> {
          String[] parts = teamName.split("/", 2);
          List<Catalogue.Tag> sorted = new ArrayList<>(tags);
          sorted.sort(
              Comparator.comparing((Catalogue.Tag tag) -> tag.published().orElse(Instant.EPOCH))
                  .thenComparing(Catalogue.Tag::tag));
          all.add(new Catalogue.Template(parts[0], parts[1], sorted));
        });
    return all;
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() || v.isNumber() ? Optional.of(v.asText()) : Optional.empty();
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
