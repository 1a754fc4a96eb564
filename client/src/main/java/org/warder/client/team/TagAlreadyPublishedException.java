package org.warder.client.team;

/** The tag is already published with other bytes; published tags never change. */
public final class TagAlreadyPublishedException extends TeamBundleException {
  private static final long serialVersionUID = 1L;

  public TagAlreadyPublishedException(String message) {
    super(Reason.CONFLICT, message);
  }
}
