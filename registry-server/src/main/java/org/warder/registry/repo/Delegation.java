package org.warder.registry.repo;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.warder.signing.Key;
import org.warder.signing.tuf.PathPatterns;
import org.warder.signing.tuf.Repository;

/**
 * The rules a delegation made by {@code warder-registry delegate} must follow: role names, path
 * patterns, keys and threshold. Stateless.
 */
public final class Delegation {
  /** Delegated role names: lower-case letters, digits and '-', starting with a letter or digit. */
  public static final Pattern ROLE_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Delegation() {}

  /** Why {@code role} cannot be a delegated role's name, if it cannot. */
  public static Optional<String> checkRoleName(String role) {
    if (!ROLE_NAME.matcher(role).matches()) {
      return Optional.of(
          "expected a role name of 1 to 63 lower-case letters, digits and '-', starting with a letter or"
              + " digit, found \""
              + role
              + "\"");
    }
    if (Repository.isTopLevel(role)) {
      return Optional.of(
          "\"" + role + "\" is a top-level role, not a name a delegated role can have");
    }
    return Optional.empty();
  }

  /** Why {@code pattern} cannot be a delegated path pattern, if it cannot. */
  public static Optional<String> checkPattern(String pattern) {
    if (pattern.isEmpty()) {
      return Optional.of("expected a path pattern such as plugins/acme-*, found an empty one");
    }
    if (pattern.startsWith("/")) {
      return Optional.of(
          "expected a relative path pattern (target paths never start with '/'), found \""
              + pattern
              + "\"");
    }
    if (pattern.indexOf('\\') >= 0 || pattern.indexOf('\0') >= 0) {
      return Optional.of(
          "expected a path pattern without backslash or NUL, found \"" + pattern + "\"");
    }
    Optional<String> capped = PathPatterns.check(pattern);
    if (capped.isPresent()) {
      return capped;
    }
    for (String segment : pattern.split("/", -1)) {
      if (segment.equals("..") || segment.equals(".") || segment.isEmpty()) {
        return Optional.of(
            "expected a path pattern without empty, '.' or '..' segments, found \""
                + pattern
                + "\"");
      }
    }
    return Optional.empty();
  }

  /** The first reason the delegation cannot be made, if any. */
  public static Optional<String> check(
      String role, List<Key> keys, int threshold, List<String> paths) {
    Optional<String> problem = checkRoleName(role);
    if (problem.isPresent()) {
      return problem;
    }
    if (keys.isEmpty()) {
      return Optional.of("expected at least one key for " + role + ", found none");
    }
    if (new HashSet<>(keys.stream().map(Key::keyId).toList()).size() != keys.size()) {
      return Optional.of("expected distinct keys for " + role + ", found one key given twice");
    }
    if (threshold < 1 || threshold > keys.size()) {
      return Optional.of(
          "expected a threshold from 1 to the number of keys ("
              + keys.size()
              + "), found "
              + threshold);
    }
    if (paths.isEmpty()) {
      return Optional.of("expected at least one path pattern for " + role + ", found none");
    }
    for (String p : paths) {
      problem = checkPattern(p);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }
}
