package org.warder.registry.storage;

/** The {@link RegistryStoreContract} against the data directory. */
class FileSystemStoreTest extends RegistryStoreContract {
  @Override
  RegistryStore store() throws Exception {
    return new FileSystemStore(new RegistryLayout(tmp.resolve("store")));
  }
}
