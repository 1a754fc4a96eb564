package org.warder.client.team;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.warder.client.progress.Reporter;
import org.warder.signing.tuf.FetchStatusException;
import org.warder.signing.tuf.FetchTooLargeException;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.TargetFile;
import org.warder.signing.tuf.TargetNotFoundException;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.TufException;
import org.warder.signing.tuf.Updater;

/**
 * The template and jail bundles a registry publishes, read only from verified TUF metadata: the
 * targets of every delegated role {@code team-T} that is published (naming in {@link TeamTargets}).
 * Every target is read as a bundle of its own team and must be the one the delegation search finds
 * for its path. One team cannot break the others: a role whose metadata fails verification, or that
 * signs a target that is not such a bundle (outside its team's paths, without or with a wrong
 * {@code custom}), is reported as a warning naming the role and why, and left out whole; the other
 * teams' bundles are listed, resolved and pulled as usual. The trusted metadata is refreshed once,
 * on first use. Not thread-safe.
 */
public final class RemoteBundles {
  /** By team, name, then oldest first (publication instant, then tag). */
  private static final Comparator<RemoteBundle> ORDER =
      Comparator.comparing((RemoteBundle b) -> b.spec().team())
          .thenComparing(b -> b.spec().name())
          .thenComparing(RemoteBundle::published)
          .thenComparing(b -> b.spec().tag());

  private final Updater updater;
  private final List<URI> targetMirrors;
  private final Reporter warnings;
  private Optional<Map<String, List<RemoteBundle>>> teams = Optional.empty();

  /**
   * @param updater the repository's TUF updater
   * @param targetMirrors base URLs of its targets, tried in order
   * @param warnings where a team's role left out is reported, one line each
   */
  public RemoteBundles(Updater updater, List<URI> targetMirrors, Reporter warnings) {
    this.updater = updater;
    this.targetMirrors = List.copyOf(targetMirrors);
    this.warnings = warnings;
  }

  /**
   * Every published bundle of {@code kind} of every team, sorted by team, name, then oldest first.
   */
  public List<RemoteBundle> list(BundleKind kind)
      throws IOException, TufException, TeamBundleException {
    List<RemoteBundle> all = new ArrayList<>();
    for (List<RemoteBundle> bundles : teams().values()) {
      bundles.stream().filter(b -> b.spec().kind() == kind).forEach(all::add);
    }
    return all;
  }

  /**
   * The bundle {@code ref} names among the {@code kind} bundles (its repository, if any, is the
   * caller's business): the tag it names, else the newest published tag of that team and name.
   */
  public RemoteBundle resolve(BundleRef ref, BundleKind kind)
      throws IOException, TufException, TeamBundleException {
    TeamTargets.checkTeam(ref.team());
    TeamTargets.checkName(ref.name());
    List<RemoteBundle> tags = tags(ref.team(), ref.name(), kind);
    if (ref.tag().isEmpty()) {
      return tags.get(tags.size() - 1);
    }
    String tag = TeamTargets.checkTag(ref.tag().get());
    return find(tags, tag)
        .orElseThrow(
            () ->
                new BundleNotFoundException(
                    "expected tag "
                        + tag
                        + " of "
                        + kind.noun()
                        + " "
                        + ref.team()
                        + "/"
                        + ref.name()
                        + ", found only "
                        + tagList(tags)
                        + "; name one of them, or none for the newest"));
  }

  /**
   * The bundles to download and apply, base first, to get the bundle {@code ref} names on a host
   * that holds the tags {@code tagsHeldLocally} of that name: none when it holds the tag itself;
   * the tag's bundle alone when it is full or its base is held; else the chain of bases back to the
   * nearest full bundle or held tag.
   */
  public List<RemoteBundle> chain(BundleRef ref, BundleKind kind, Set<String> tagsHeldLocally)
      throws IOException, TufException, TeamBundleException {
    RemoteBundle wanted = resolve(ref, kind);
    if (tagsHeldLocally.contains(wanted.spec().tag())) {
      return List.of();
    }
    List<RemoteBundle> tags = tags(ref.team(), ref.name(), kind);
    Deque<RemoteBundle> chain = new ArrayDeque<>(List.of(wanted));
    Set<String> seen = new LinkedHashSet<>(List.of(wanted.spec().tag()));
    RemoteBundle top = wanted;
    while (top.spec().baseTag().isPresent()
        && !tagsHeldLocally.contains(top.spec().baseTag().get())) {
      RemoteBundle of = top;
      String baseTag = of.spec().baseTag().get();
      RemoteBundle base =
          find(tags, baseTag)
              .orElseThrow(
                  () ->
                      new BaseBundleNotFoundException(
                          "expected tag "
                              + baseTag
                              + " of "
                              + kind.noun()
                              + " "
                              + of.spec().team()
                              + "/"
                              + of.spec().name()
                              + " to be published, as"
                              + " the base of incremental bundle "
                              + of.spec().reference()
                              + ", found only "
                              + tagList(tags)
                              + "; ask team "
                              + of.spec().team()
                              + " to publish a full bundle, or get a tag on this host that it builds on"));
      if (!seen.add(baseTag)) {
        throw new BundleChainCycleException(
            "expected the base tags of "
                + wanted.spec().reference()
                + " to lead to a"
                + " full bundle, found a cycle: "
                + String.join(" -> ", seen)
                + " -> "
                + baseTag
                + "; ask team "
                + of.spec().team()
                + " to publish a full bundle");
      }
      if (base.spec().format() != of.spec().format()) {
        throw new BundleCatalogInconsistencyException(
            "expected base tag "
                + baseTag
                + " of "
                + of.spec().reference()
                + " in format "
                + of.spec().format().label()
                + ", found format "
                + base.spec().format().label()
                + "; ask team "
                + of.spec().team()
                + " to publish a full bundle");
      }
      chain.addFirst(base);
      top = base;
    }
    return List.copyOf(chain);
  }

  /**
   * Downloads {@code bundle} to {@code file} through the TUF updater: the bytes are checked for the
   * signed length and sha256 in a temporary file and only then moved to {@code file}.
   */
  public void download(RemoteBundle bundle, Path file) throws IOException, TufException {
    updater.download(bundle.target(), targetMirrors, file);
  }

  /**
   * {@link #download(RemoteBundle, Path)}, handing the bundle's bytes to {@code verified} while it
   * downloads: each chunk once it matched its signed sha256 when the bundle's chunk hashes are
   * signed, else the whole file once it matched ({@link Updater#download(TargetFile, List, Path,
   * java.io.OutputStream)}). Returns once the whole file matched its signed length and sha256.
   */
  public void download(RemoteBundle bundle, Path file, OutputStream verified)
      throws IOException, TufException {
    updater.download(bundle.target(), targetMirrors, file, verified);
  }

  /**
   * The published tags of {@code team}/{@code name} of {@code kind}, oldest first; refused when
   * there are none.
   */
  private List<RemoteBundle> tags(String team, String name, BundleKind kind)
      throws IOException, TufException, TeamBundleException {
    Map<String, List<RemoteBundle>> all = teams();
    List<RemoteBundle> bundles = all.getOrDefault(team, List.of());
    List<RemoteBundle> tags =
        bundles.stream()
            .filter(b -> b.spec().kind() == kind && b.spec().name().equals(name))
            .toList();
    if (tags.isEmpty()) {
      String found =
          !all.containsKey(team)
              ? "no published team "
                  + team
                  + " (published teams: "
                  + (all.isEmpty() ? "none" : String.join(", ", all.keySet()))
                  + ")"
              : "none of that name ("
                  + kind.noun()
                  + "s of team "
                  + team
                  + ": "
                  + names(bundles, kind)
                  + ")";
      throw new BundleNotFoundException(
          "expected a "
              + kind.noun()
              + " "
              + team
              + "/"
              + name
              + " in the registry,"
              + " found "
              + found
              + "; 'warder list -t --repo REPO' shows the published templates");
    }
    return tags;
  }

  private static Optional<RemoteBundle> find(List<RemoteBundle> tags, String tag) {
    return tags.stream().filter(b -> b.spec().tag().equals(tag)).findFirst();
  }

  private static String tagList(List<RemoteBundle> tags) {
    return "tags " + String.join(", ", tags.stream().map(b -> b.spec().tag()).toList());
  }

  private static String names(List<RemoteBundle> bundles, BundleKind kind) {
    List<String> names =
        bundles.stream()
            .filter(b -> b.spec().kind() == kind)
            .map(b -> b.spec().name())
            .distinct()
            .toList();
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** Every published team's bundles, in {@link #ORDER}, read and checked once. */
  private Map<String, List<RemoteBundle>> teams()
      throws IOException, TufException, TeamBundleException {
    if (teams.isPresent()) {
      return teams.get();
    }
    updater.refresh();
    Map<String, List<RemoteBundle>> found = new TreeMap<>();
    for (String role : updater.delegatedRoleNames()) {
      Optional<String> team = TeamTargets.teamOf(role);
      if (team.isEmpty()) {
        continue; // not a team role
      }
      try {
        bundles(role, team.get()).ifPresent(bundles -> found.put(team.get(), bundles));
      } catch (TufException
          | TeamBundleException
          | FetchStatusException
          | FetchTooLargeException e) {
        warnings.warning(
            "left out the bundles of team "
                + team.get()
                + " (role "
                + role
                + "): "
                + e.getMessage());
      }
    }
    teams = Optional.of(found);
    return found;
  }

  /**
   * The bundles {@code role} signs, read as bundles of {@code team}, in {@link #ORDER}; none when
   * it is unpublished.
   */
  private Optional<List<RemoteBundle>> bundles(String role, String team)
      throws IOException, TufException, TeamBundleException {
    Optional<Metadata<Targets>> metadata = updater.roleMetadata(role);
    if (metadata.isEmpty()) {
      return Optional.empty(); // delegated but never published
    }
    List<RemoteBundle> bundles = new ArrayList<>();
    for (TargetFile target : metadata.get().signed().targets().values()) {
      RemoteBundle bundle = TeamTargets.read(target, team);
      checkDelegated(role, target);
      bundles.add(bundle);
    }
    bundles.sort(ORDER);
    return Optional.of(List.copyOf(bundles));
  }

  /**
   * Refuses {@code target} of {@code role} unless the delegation search for its path finds exactly
   * it.
   */
  private void checkDelegated(String role, TargetFile target)
      throws IOException, TufException, BundleCatalogInconsistencyException {
    Optional<TargetFile> trusted;
    try {
      trusted = Optional.of(updater.targetInfo(target.path()));
    } catch (TargetNotFoundException e) {
      trusted = Optional.empty();
    }
    if (!trusted.equals(Optional.of(target))) {
      throw new BundleCatalogInconsistencyException(
          "role "
              + role
              + " signs target "
              + target.path()
              + ": expected the registry's delegations to trust "
              + role
              + " for that path, found "
              + trusted
                  .map(t -> "another target there (sha256 " + t.sha256().orElse("none") + ")")
                  .orElse("that they do not")
              + "; refusing it, tell the registry's administrator");
    }
  }
}
