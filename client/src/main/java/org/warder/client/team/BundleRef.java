package org.warder.client.team;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.warder.client.plugin.PluginTargets;
import org.warder.client.repo.RepoConfig;

/**
 * A user's name for a team bundle: {@code TEAM/NAME[:TAG]}, optionally prefixed by a repository as
 * {@code REPO:TEAM/NAME[:TAG]}. Without a tag it means the newest published one.
 */
public record BundleRef(
    Optional<String> repository, String team, String name, Optional<String> tag) {
  private static final String FORMS =
      "TEAM/NAME, TEAM/NAME:TAG, REPO:TEAM/NAME or REPO:TEAM/NAME:TAG";

  public BundleRef {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tag, "tag");
  }

  /**
   * Parses {@code text}: one '/' between team and name; a ':' before it ends the repository, a ':'
   * after it starts the tag. Every part is checked as {@link TeamTargets} requires.
   */
  public static BundleRef parse(String text)
      throws InvalidBundleReferenceException, InvalidBundleNameException {
    int slash = text.indexOf('/');
    if (slash < 0 || slash != text.lastIndexOf('/')) {
      throw malformed(text, slash < 0 ? "no '/' between team and name" : "more than one '/'");
    }
    String[] left = text.substring(0, slash).split(":", -1);
    String[] right = text.substring(slash + 1).split(":", -1);
    if (left.length > 2 || right.length > 2) {
      throw malformed(text, "more than one ':' on one side of the '/'");
    }
    if (Stream.concat(Arrays.stream(left), Arrays.stream(right)).anyMatch(String::isEmpty)) {
      throw malformed(text, "an empty part");
    }
    Optional<String> repository = left.length == 2 ? Optional.of(left[0]) : Optional.empty();
    if (repository.isPresent() && !RepoConfig.isValidName(repository.get())) {
      throw new InvalidBundleReferenceException(
          "expected a repository name of 1 to 32 lower-case letters, digits,"
              + " '_' and '-' before the ':' of "
              + PluginTargets.quote(text)
              + ", found "
              + PluginTargets.quote(repository.get())
              + "; 'warder repo list' shows the configured repositories");
    }
    String team = TeamTargets.checkTeam(left[left.length - 1]);
    String name = TeamTargets.checkName(right[0]);
    Optional<String> tag =
        right.length == 2 ? Optional.of(TeamTargets.checkTag(right[1])) : Optional.empty();
    return new BundleRef(repository, team, name, tag);
  }

  /** {@code TEAM/NAME} or {@code TEAM/NAME:TAG}, without the repository. */
  @Override
  public String toString() {
    return team + "/" + name + tag.map(t -> ":" + t).orElse("");
  }

  private static InvalidBundleReferenceException malformed(String text, String problem) {
    return new InvalidBundleReferenceException(
        "expected a bundle reference "
            + FORMS
            + ", found "
            + PluginTargets.quote(text)
            + " ("
            + problem
            + ")");
  }
}
