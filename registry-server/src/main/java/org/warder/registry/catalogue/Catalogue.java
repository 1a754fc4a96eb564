package org.warder.registry.catalogue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a registry publishes, as its committed signed metadata says: releases, plugins and team
 * templates. Every string comes from publishers and is untrusted: {@link CataloguePage} escapes it.
 *
 * @param snapshotVersion the version of the snapshot this was read from
 */
public record Catalogue(
    long snapshotVersion, List<Release> releases, List<Plugin> plugins, List<Template> templates) {
  public Catalogue {
    releases = List.copyOf(releases);
    plugins = List.copyOf(plugins);
    templates = List.copyOf(templates);
  }

  /** A distribution file of a release: {@code releases/<REL>/<ARCH>/<name>}. */
  public record File(String name, long length) {}

  /** One release for one architecture. */
  public record Release(String release, String arch, List<File> files) {
    public Release {
      files = List.copyOf(files);
    }

    /** The signed length of its files together. */
    public long size() {
      return files.stream().mapToLong(File::length).sum();
    }
  }

  /**
   * One plugin of a publisher's signed INDEX.
   *
   * @param icon the INDEX's icon as given (the page shows it only when it is an http(s) URL)
   * @param revision and {@code commit}: from the signed {@code custom} of its manifest target
   */
  public record Plugin(
      String publisher,
      String id,
      String name,
      String description,
      String icon,
      Optional<String> revision,
      Optional<String> commit) {}

  /** A tag of a team template: {@code templates/<TEAM>/<NAME>/<TAG>.bundle}. */
  public record Tag(
      String tag,
      String release,
      Optional<Instant> published,
      long length,
      Optional<String> base) {}

  /** A team's template with its tags, oldest first. */
  public record Template(String team, String name, List<Tag> tags) {
    public Template {
      tags = List.copyOf(tags);
    }
  }
}
