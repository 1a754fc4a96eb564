package org.warder.client.publish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.signing.tuf.DelegatedRole;
import org.warder.signing.tuf.Metadata;
import org.warder.signing.tuf.RoleType;
import org.warder.signing.tuf.Targets;
import org.warder.signing.tuf.TufException;

/**
 * Whether a publisher may publish a role, checked before anything is exported or uploaded: the
 * token may publish the role (the registry's {@code GET /api/v1/token}), and the role is delegated
 * in the repository's signed metadata to the key the publisher signs with. A refusal says what is
 * missing and the command of whoever can fix it. Stateless.
 */
public final class PublishPermission {
  private PublishPermission() {}

  /**
   * Refuses ({@link Reason#PRIVILEGE}) unless {@code to}'s token may publish {@code role} and
   * {@code to}'s signing key is a key of {@code role}'s delegation; {@code keyFile} and {@code
   * paths} fill in the delegate command of the refusal.
   */
  public static void check(Destination to, String role, String keyFile, List<String> paths)
      throws ClientException, IOException {
    RegistryClient.TokenGrant grant;
    try {
      grant = to.registry().token();
    } catch (RegistryApiException e) {
      throw new ClientException(
          e.status() == 401 ? Reason.PRIVILEGE : Reason.NETWORK,
          "cannot publish " + role + ": " + e.getMessage() + "; nothing was exported or uploaded",
          e);
    }
    if (!grant.roles().contains(role)) {
      throw new ClientException(
          Reason.PRIVILEGE,
          "token "
              + grant.id()
              + " of publisher "
              + grant.publisher()
              + " may publish "
              + (grant.roles().isEmpty() ? "no role" : String.join(", ", grant.roles()))
              + ", not "
              + role
              + "; nothing was exported or uploaded; the registry's administrator gives one that"
              + " may: warder-registry token create --publisher "
              + grant.publisher()
              + " --role "
              + role);
    }
    Optional<DelegatedRole> delegation = delegation(to, role);
    String delegate = DelegatedRoles.delegateCommand(role, keyFile, paths);
    if (delegation.isEmpty()) {
      throw new ClientException(
          Reason.PRIVILEGE,
          "role "
              + role
              + " is not delegated in the registry's signed metadata; nothing was exported or"
              + " uploaded; the registry's administrator delegates it: "
              + delegate);
    }
    String keyId = to.signer().keyId();
    if (!delegation.get().keyids().contains(keyId)) {
      throw new ClientException(
          Reason.PRIVILEGE,
          "key "
              + keyFile
              + " (keyid "
              + keyId
              + ") is not a key of role "
              + role
              + " (its keys: "
              + String.join(", ", delegation.get().keyids())
              + "); nothing was exported or uploaded; sign with one of them (--key), or the"
              + " registry's administrator adds this key: "
              + delegate);
    }
  }

  /** The delegation of {@code role}, wherever in the signed delegation graph it is. */
  private static Optional<DelegatedRole> delegation(Destination to, String role)
      throws ClientException, IOException {
    try {
      List<String> delegators = new ArrayList<>(List.of(RoleType.TARGETS.value()));
      delegators.addAll(to.updater().delegatedRoleNames());
      for (String delegator : delegators) {
        Optional<DelegatedRole> found =
            to.updater()
                .roleMetadata(delegator)
                .map(Metadata::signed)
                .flatMap(Targets::delegations)
                .flatMap(d -> d.role(role));
        if (found.isPresent()) {
          return found;
        }
      }
      return Optional.empty();
    } catch (TufException e) {
      throw new ClientException(
          Reason.REFUSED, "the registry's signed metadata did not verify: " + e.getMessage(), e);
    }
  }
}
