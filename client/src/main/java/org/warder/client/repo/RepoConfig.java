package org.warder.client.repo;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A configured registry: its name, base URL, mirrors tried in order after it, and how its root was
 * pinned.
 */
public record RepoConfig(
    String name, URI url, List<URI> mirrors, String trust, String rootSha256, Instant added) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");

  public RepoConfig {
    mirrors = List.copyOf(mirrors);
  }

  /** Whether {@code name} is a valid repository name. */
  public static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Base URLs, the primary first. */
  public List<URI> bases() {
    java.util.ArrayList<URI> all = new java.util.ArrayList<>();
    all.add(url);
    all.addAll(mirrors);
    return all.stream().map(RepoConfig::directory).toList();
  }

  public List<URI> metadataUrls() {
    return bases().stream().map(b -> URI.create(b + "metadata/")).toList();
  }

  public List<URI> targetUrls() {
    return bases().stream().map(b -> URI.create(b + "targets/")).toList();
  }

  private static URI directory(URI u) {
    String s = u.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }
}
