package org.warder.client.net;

import org.warder.client.ClientException;

/** Every /30 of a NAT prefix is taken by other jails. */
public final class NatExhaustedException extends ClientException {
  private static final long serialVersionUID = 1L;

  public NatExhaustedException(String prefix) {
    super(
        Reason.CONFLICT,
        "expected a free /30 for a NAT jail in "
            + prefix
            + ".0.0/16, found every one taken by other jails; set nat_prefix to an unused"
            + " private prefix, e.g. 'warder set nat_prefix=10.240 NAME'");
  }
}
