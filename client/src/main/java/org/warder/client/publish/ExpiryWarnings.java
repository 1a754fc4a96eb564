package org.warder.client.publish;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.RoleType;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.TufException;

/**
 * The roles a publisher's publications stand on that expire soon, as the registry serves them:
 * every role the publisher's token may publish, and the top-level targets that delegate to them.
 * Clients refuse a role once it has expired, with everything it signs, and the registry cannot
 * re-sign it: its publisher (or, for the top-level targets, the registry's owner) must. Stateless.
 */
public final class ExpiryWarnings {
  /** How long before a role expires its publisher is warned. */
  public static final Duration WITHIN = Duration.ofDays(30);

  private ExpiryWarnings() {}

  /**
   * One line per role {@code to}'s token may publish, or the top-level targets, expiring within
   * {@link #WITHIN} of {@code now}, naming the command that renews it; {@code repo} is the
   * repository's name in that command. Refreshes {@code to}'s updater first, so that what was just
   * published counts.
   */
  public static List<String> check(Destination to, String repo, Instant now)
      throws IOException, TufException, RegistryApiException {
    to.updater().refresh();
    List<String> lines = new ArrayList<>();
    String top = RoleType.TARGETS.value();
    soon(to, top, now)
        .ifPresent(
            left ->
                lines.add(
                    "the registry's top-level targets metadata "
                        + left
                        + "; clients then refuse everything published there; its owner renews it:"
                        + " warder-registry renew-targets"));
    for (String role : to.registry().token().roles()) {
      soon(to, role, now)
          .ifPresent(
              left ->
                  lines.add(
                      "role "
                          + role
                          + " "
                          + left
                          + "; clients then refuse its targets; renew it: "
                          + DelegatedRoles.renewCommand(role, repo)));
    }
    return List.copyOf(lines);
  }

  /** "expires in N days (when)" when {@code role}'s metadata expires within {@link #WITHIN}. */
  private static Optional<String> soon(Destination to, String role, Instant now)
      throws IOException, TufException {
    Optional<Metadata<Targets>> metadata = to.updater().roleMetadata(role);
    if (metadata.isEmpty()) {
      return Optional.empty();
    }
    Instant expires = metadata.get().signed().expires();
    if (!expires.isBefore(now.plus(WITHIN))) {
      return Optional.empty();
    }
    return Optional.of(
        "(version "
            + metadata.get().signed().version()
            + ") expires in "
            + Duration.between(now, expires).toDays()
            + " days, at "
            + expires);
  }
}
