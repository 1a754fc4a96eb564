package org.warder.registry.storage;

/**
 * Named points in the write paths where a test can make the process die at once, as a power cut or
 * {@code kill -9} would: when the system property {@value #PROPERTY} names a point, reaching it
 * halts the JVM ({@link Runtime#halt}, no shutdown hooks, no flushing) with status {@value
 * #HALT_STATUS}. With {@value #STALL_PROPERTY} set to a number of seconds, the thread that reaches
 * it stalls that long instead and then goes on, so that a test can {@code kill -9} the process at
 * that step, or stop it ({@code SIGSTOP}) and let it go on later as a node that lost its lease.
 * Without the property this does nothing. Thread-safe.
 */
public final class FailPoints {
  public static final String PROPERTY = "warder.failpoint";

  /** Seconds to stall at the fail point instead of halting. */
  public static final String STALL_PROPERTY = "warder.failpoint.stall";

  /** The exit status of a halt at a fail point. */
  public static final int HALT_STATUS = 99;

  /** An upload's bytes are verified and fsynced, not yet renamed into blobs/. */
  public static final String BLOB_AFTER_TEMP = "blob.after-temp";

  /** A blob was renamed into blobs/, the session not yet removed nor the client answered. */
  public static final String BLOB_AFTER_RENAME = "blob.after-rename";

  /**
   * A chunk of a shared upload session is stored as a part object, not yet recorded in the
   * database: the part is an orphan no session names, the session's offset is unchanged.
   */
  public static final String UPLOAD_AFTER_PART_STORED = "upload.after-part-stored";

  /**
   * A shared upload session is closing, its parts assembled and checked in the node's incoming
   * directory, the blob not yet put into the store.
   */
  public static final String UPLOAD_BEFORE_COMMIT_PUT = "upload.before-commit-put";

  /** A delegated role's new metadata file is written, no snapshot names it yet. */
  public static final String PUBLISH_AFTER_ROLE = "publish.after-role";

  /** The new snapshot is written, the timestamp still names the old one. */
  public static final String PUBLISH_AFTER_SNAPSHOT = "publish.after-snapshot";

  /** The new timestamp is written to its temporary file, not yet renamed over timestamp.json. */
  public static final String PUBLISH_BEFORE_TIMESTAMP_RENAME = "publish.before-timestamp-rename";

  /** The new timestamp is in place, the client not yet answered. */
  public static final String PUBLISH_AFTER_TIMESTAMP = "publish.after-timestamp";

  /** A re-signed timestamp (nothing else changed) is signed, not yet written to the store. */
  public static final String RESIGN_BEFORE_TIMESTAMP = "resign.before-timestamp";

  private static final String ACTIVE = System.getProperty(PROPERTY, "");
  private static final long STALL_SECONDS = Long.getLong(STALL_PROPERTY, 0);

  private FailPoints() {}

  /** Halts the JVM, or stalls, if {@code name} is the active fail point. */
  public static void hit(String name) {
    if (ACTIVE.isEmpty() || !ACTIVE.equals(name)) {
      return;
    }
    if (STALL_SECONDS <= 0) {
      System.err.println("warder-registry: fail point " + name + " reached; halting");
      System.err.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }
    System.err.println(
        "warder-registry: fail point " + name + " reached; stalling " + STALL_SECONDS + " s");
    System.err.flush();
    try {
      Thread.sleep(STALL_SECONDS * 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.err.println("warder-registry: fail point " + name + " passed; going on");
    System.err.flush();
  }
}
