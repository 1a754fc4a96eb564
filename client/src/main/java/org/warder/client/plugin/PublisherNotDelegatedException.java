package org.warder.client.plugin;

/** The registry does not delegate the role plugins-P to anyone, so P cannot publish there. */
public final class PublisherNotDelegatedException extends PluginException {
  private static final long serialVersionUID = 1L;

  public PublisherNotDelegatedException(String message) {
    super(Reason.REFUSED, message);
  }

  public PublisherNotDelegatedException(String message, Throwable cause) {
    super(Reason.REFUSED, message, cause);
  }
}
