package org.warder.client.repo;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How a new repository's first root is trusted: the sha256 of its {@code 1.root.json}, a root file
 * obtained out of band, or trust on first use (explicitly asked for).
 */
public sealed interface RootPin {
  /** The sha256 of {@code 1.root.json} must equal {@code hex}. */
  record Sha256(String hex) implements RootPin {}

  /** This root file is the anchor. */
  record File(Path path) implements RootPin {}

  /** Whatever {@code 1.root.json} the server sends now; printed, never silent. */
  record TrustOnFirstUse() implements RootPin {}

  /** A short label stored in repo.json. */
  default String label() {
    if (this instanceof Sha256) {
      return "root-sha256";
    }
    return this instanceof File ? "root-file" : "trust-on-first-use";
  }

  /** The pinned hash, when pinned by hash. */
  default Optional<String> sha256() {
    return this instanceof Sha256 s ? Optional.of(s.hex()) : Optional.empty();
  }
}
