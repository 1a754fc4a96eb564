package org.warder.client;

/**
 * The base of every checked exception the client's domain throws: a message that says what was
 * expected, what was found and what to do, and a {@link Reason} the command line maps to an exit
 * code and a message prefix. Subclasses exist only where a caller or a test needs the type; all
 * other failures are a {@code ClientException} with the right reason.
 */
public class ClientException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed, in the terms a script or an administrator acts on. */
  public enum Reason {
    /** The input (a name, a property, a file, an archive) is not what was expected. */
    INVALID_INPUT,
    /** Something named does not exist: a jail, a release, a plugin, a repository. */
    NOT_FOUND,
    /** The operation would clash with what exists: a name taken, a jail running. */
    CONFLICT,
    /** A signature, a digest, a policy or a consent check refused the input. */
    REFUSED,
    /** A host command or host file operation failed. */
    HOST,
    /** A registry or mirror could not be reached or answered wrongly. */
    NETWORK,
    /** The operation needs privileges this process lacks: root, or a registry token's role. */
    PRIVILEGE
  }

  private final Reason reason;

  public ClientException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public ClientException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Why the operation failed. */
  public Reason reason() {
    return reason;
  }
}
