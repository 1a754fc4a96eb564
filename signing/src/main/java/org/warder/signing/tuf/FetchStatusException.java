package org.warder.signing.tuf;

import java.io.IOException;
import java.net.URI;

/** A server answered a fetch with a non-success HTTP status. */
public final class FetchStatusException extends IOException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public FetchStatusException(URI url, int status) {
    super("GET " + Urls.redact(url) + " answered HTTP " + status);
    this.status = status;
  }

  public int status() {
    return status;
  }

  /** 403 and 404: the file does not exist (for root, "no newer root"). */
  public boolean isNotFound() {
    return status == 404 || status == 403;
  }
}
