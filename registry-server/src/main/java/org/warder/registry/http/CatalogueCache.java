package org.warder.registry.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.warder.registry.catalogue.CataloguePage;
import org.warder.registry.catalogue.CatalogueReader;
import org.warder.registry.repo.RegistryRepository;
import org.warder.signing.SigningException;

/**
 * The catalogue page of {@code /}, built again only when the snapshot version changes (every
 * publication writes a new snapshot). Thread-safe.
 */
final class CatalogueCache {
  private final RegistryRepository repository;
  private final CatalogueReader reader;
  private long version = -1;
  private byte[] page = new byte[0];

  CatalogueCache(RegistryRepository repository, CatalogueReader reader) {
    this.repository = repository;
    this.reader = reader;
  }

  /** The page of the current snapshot, UTF-8. */
  synchronized byte[] page() throws IOException, SigningException {
    long current = repository.status().snapshotVersion();
    if (current != version) {
      page = CataloguePage.render(reader.read(repository.load())).getBytes(StandardCharsets.UTF_8);
      version = current;
    }
    return page;
  }
}
