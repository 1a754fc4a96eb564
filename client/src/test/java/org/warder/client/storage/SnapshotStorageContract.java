package org.warder.client.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every storage with the {@link Snapshots} capability does, on top of {@link StorageContract}.
 */
abstract class SnapshotStorageContract extends StorageContract {
  private Snapshots snapshots(Storage storage) {
    return storage.snapshots().orElseThrow();
  }

  @Test
  void testSnapshots_listedOldestFirstAndDestroyedOneByOne() throws Exception {
    Storage storage = storage();
    Snapshots snapshots = snapshots(storage);
    storage.create("jails/web");
    assertThat(snapshots.list("jails/web")).isEmpty();
    snapshots.snapshot("jails/web", "s1");
    snapshots.snapshot("jails/web", "s2");
    snapshots.snapshot("jails/web", "s3");
    assertThat(snapshots.list("jails/web")).containsExactly("s1", "s2", "s3");
    snapshots.destroySnapshot("jails/web", "s2");
    snapshots.destroySnapshot("jails/web", "never-was");
    assertThat(snapshots.list("jails/web")).containsExactly("s1", "s3");
  }

  @Test
  void testRollback_restoresTheSnapshotAndDestroysLaterOnes() throws Exception {
    Storage storage = storage();
    Snapshots snapshots = snapshots(storage);
    storage.create("jails/web");
    write(storage, "jails/web", "etc/motd", "v1");
    snapshots.snapshot("jails/web", "s1");
    write(storage, "jails/web", "etc/motd", "v2");
    write(storage, "jails/web", "etc/added", "later");
    snapshots.snapshot("jails/web", "s2");
    write(storage, "jails/web", "etc/motd", "v3");
    snapshots.rollback("jails/web", "s1");
    assertThat(read(storage, "jails/web", "etc/motd")).isEqualTo("v1");
    assertThat(storage.path("jails/web").resolve("etc/added")).doesNotExist();
    assertThat(snapshots.list("jails/web")).containsExactly("s1");
  }

  @Test
  void testCloneSnapshot_holdsTheSnapshotsTreeAndIsAClone() throws Exception {
    Storage storage = storage();
    Snapshots snapshots = snapshots(storage);
    storage.create("templates/base");
    write(storage, "templates/base", "etc/motd", "tag 1");
    snapshots.snapshot("templates/base", "tag-1");
    write(storage, "templates/base", "etc/motd", "tag 2");
    snapshots.cloneSnapshot("templates/base", "tag-1", "jails/web");
    assertThat(read(storage, "jails/web", "etc/motd")).isEqualTo("tag 1");
    assertThat(storage.clonesOf("templates/base")).containsExactly("jails/web");
  }

  @Test
  void testSendReceive_fullThenIncrementalRoundTrip() throws Exception {
    Storage storage = storage();
    Snapshots snapshots = snapshots(storage);
    storage.create("templates/base");
    write(storage, "templates/base", "etc/motd", "tag 1");
    write(storage, "templates/base", "etc/gone", "removed in tag 2");
    write(storage, "templates/base", "etc/kept", "in both tags");
    Files.createSymbolicLink(
        storage.path("templates/base").resolve("etc/link"), java.nio.file.Path.of("motd"));
    snapshots.snapshot("templates/base", "tag-1");
    ByteArrayOutputStream full = new ByteArrayOutputStream();
    snapshots.send("templates/base", "tag-1", Optional.empty(), full);
    snapshots.receive("templates/copy", new ByteArrayInputStream(full.toByteArray()));
    // read-only, as a received template is, so that reading it changes nothing (atime) that an
    // incremental receive would refuse
    storage.setReadOnly("templates/copy", true);
    // files the incremental stream changes are read only after it: zfs-fuse serves a file's
    // cached content after a receive changed it underneath
    assertThat(read(storage, "templates/copy", "etc/kept")).isEqualTo("in both tags");
    assertThat(Files.readSymbolicLink(storage.path("templates/copy").resolve("etc/link")))
        .hasToString("motd");
    assertThat(snapshots.list("templates/copy")).containsExactly("tag-1");

    write(storage, "templates/base", "etc/motd", "tag 2");
    Files.delete(storage.path("templates/base").resolve("etc/gone"));
    snapshots.snapshot("templates/base", "tag-2");
    ByteArrayOutputStream incremental = new ByteArrayOutputStream();
    snapshots.send("templates/base", "tag-2", Optional.of("tag-1"), incremental);
    snapshots.receive("templates/copy", new ByteArrayInputStream(incremental.toByteArray()));
    assertThat(read(storage, "templates/copy", "etc/motd")).isEqualTo("tag 2");
    assertThat(storage.path("templates/copy").resolve("etc/gone")).doesNotExist();
    assertThat(snapshots.list("templates/copy")).containsExactly("tag-1", "tag-2");
  }
}
