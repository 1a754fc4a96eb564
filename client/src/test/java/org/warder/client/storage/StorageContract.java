package org.warder.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Storage} does, whatever is behind it: directories, ZFS datasets, the test
 * double. Each adapter's test extends this (or {@link SnapshotStorageContract}) and supplies a
 * fresh storage; callers may rely on exactly what these tests assert.
 */
abstract class StorageContract {
  /** A fresh, empty storage for one test. */
  abstract Storage storage();

  /** Writes {@code text} to {@code file} below {@code name}'s path. */
  static void write(Storage storage, String name, String file, String text) throws Exception {
    Path p = storage.path(name).resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  static String read(Storage storage, String name, String file) throws Exception {
    return Files.readString(storage.path(name).resolve(file));
  }

  @Test
  void testCreate_makesMissingParentsAndExistsUntilDestroyed() throws Exception {
    Storage storage = storage();
    assertThat(storage.exists("jails/web")).isFalse();
    Path web = storage.create("jails/web");
    assertThat(web).isEqualTo(storage.path("jails/web")).isDirectory();
    assertThat(storage.exists("jails")).isTrue();
    assertThat(storage.exists("jails/web")).isTrue();
    write(storage, "jails/web", "root/etc/rc.conf", "sshd_enable=YES\n");
    storage.destroy("jails/web");
    assertThat(storage.exists("jails/web")).isFalse();
    assertThat(web).doesNotExist();
    assertThat(storage.exists("jails")).isTrue();
    storage.destroy("jails/web"); // nothing when it does not exist
  }

  @Test
  void testCreatePrivate_isTheOwnersOnly() throws Exception {
    Storage storage = storage();
    Path dir = storage.createPrivate("staging/import-1");
    assertThat(Files.getPosixFilePermissions(dir))
        .containsExactlyInAnyOrderElementsOf(org.warder.signing.PrivateFiles.DIRECTORY);
  }

  @Test
  void testRename_movesTheContentToAnotherParent() throws Exception {
    Storage storage = storage();
    storage.create("staging/import-1");
    write(storage, "staging/import-1", "root/hello", "hi");
    storage.create("jails");
    storage.rename("staging/import-1", "jails/web");
    assertThat(storage.exists("staging/import-1")).isFalse();
    assertThat(storage.exists("jails/web")).isTrue();
    assertThat(read(storage, "jails/web", "root/hello")).isEqualTo("hi");
  }

  @Test
  void testCloneOf_isAnIndependentCopyOfTheSourceAsItWas() throws Exception {
    Storage storage = storage();
    storage.create("releases/14.2-RELEASE");
    write(storage, "releases/14.2-RELEASE", "bin/sh", "v1");
    Path clone = storage.cloneOf("releases/14.2-RELEASE", "web", "jails/web");
    assertThat(clone).isEqualTo(storage.path("jails/web"));
    write(storage, "jails/web", "bin/sh", "changed in the clone");
    write(storage, "releases/14.2-RELEASE", "bin/new", "added to the source");
    assertThat(read(storage, "releases/14.2-RELEASE", "bin/sh")).isEqualTo("v1");
    assertThat(storage.path("jails/web").resolve("bin/new")).doesNotExist();
    assertThat(storage.clonesOf("releases/14.2-RELEASE"))
        .isEqualTo(
            storage.snapshots().isPresent() ? java.util.List.of("jails/web") : java.util.List.of());
  }

  @Test
  void testCopyOf_isIndependentAndNoClone() throws Exception {
    Storage storage = storage();
    storage.create("templates/base");
    write(storage, "templates/base", "etc/motd", "hello");
    storage.copyOf("templates/base", "jails/thick");
    write(storage, "jails/thick", "etc/motd", "changed");
    assertThat(read(storage, "templates/base", "etc/motd")).isEqualTo("hello");
    assertThat(storage.clonesOf("templates/base")).isEmpty();
    storage.destroy("templates/base"); // nothing depends on it
    assertThat(read(storage, "jails/thick", "etc/motd")).isEqualTo("changed");
  }

  @Test
  void testCopyInto_laysTheTreeOverTheTarget() throws Exception {
    Storage storage = storage();
    storage.create("jails/web");
    write(storage, "jails/web", "etc/kept", "kept");
    write(storage, "jails/web", "etc/motd", "old");
    Path from = storage.create("staging/files");
    write(storage, "staging/files", "etc/motd", "new");
    write(storage, "staging/files", "usr/local/app", "app");
    storage.copyInto(from, storage.path("jails/web"));
    assertThat(read(storage, "jails/web", "etc/kept")).isEqualTo("kept");
    assertThat(read(storage, "jails/web", "etc/motd")).isEqualTo("new");
    assertThat(read(storage, "jails/web", "usr/local/app")).isEqualTo("app");
  }

  @Test
  void testSetReadOnly_canBeUndone() throws Exception {
    Storage storage = storage();
    storage.create("templates/base");
    storage.setReadOnly("templates/base", true);
    storage.setReadOnly("templates/base", false);
    write(storage, "templates/base", "etc/motd", "writable again");
    assertThat(read(storage, "templates/base", "etc/motd")).isEqualTo("writable again");
  }
}
