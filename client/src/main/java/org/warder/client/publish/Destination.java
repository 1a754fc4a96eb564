package org.warder.client.publish;

import java.net.URI;
import java.util.List;
import org.warder.client.progress.ProgressListener;
import org.warder.signing.Signer;
import org.warder.signing.tuf.Updater;

/**
 * Where and how to publish as a delegated role: the registry's TUF updater and target URLs (to read
 * what is published), its publishing API, the publisher's signing key, and the upload progress
 * listener.
 */
public record Destination(
    Updater updater,
    List<URI> targetMirrors,
    RegistryClient registry,
    Signer signer,
    ProgressListener progress) {
  public Destination {
    targetMirrors = List.copyOf(targetMirrors);
  }
}
