package org.warder.client.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.BundleWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.warder.signing.Digests;

/**
 * {@link ArtifactCheckout} on real bundles: the pinned commit's tree exactly, and hostile trees
 * refused with nothing left.
 */
class ArtifactCheckoutTest {
  @TempDir Path tmp;

  private static GitTrees.Item file(String path, String text) {
    return new GitTrees.Item(path, FileMode.REGULAR_FILE, text);
  }

  private static GitTrees.Item link(String path, String target) {
    return new GitTrees.Item(path, FileMode.SYMLINK, target);
  }

  private ObjectId bundle(String name, GitTrees.Item... items) throws Exception {
    return GitTrees.bundle(
        tmp.resolve(name + ".git"), List.of(items), tmp.resolve(name + ".bundle"));
  }

  /** A checkout reading its bundle from a file, which must be the bytes read. */
  private record FromFile(ArtifactCheckout checkout) {
    CheckedOutArtifact checkout(Path bundle, String commit, Path destination) throws Exception {
      String sha256 = Digests.sha256Hex(bundle);
      long length = Files.size(bundle);
      try (InputStream in = Files.newInputStream(bundle)) {
        return checkout.checkout(
            in,
            bundle.toString(),
            (found, n) -> assertThat(found + " " + n).isEqualTo(sha256 + " " + length),
            commit,
            destination);
      }
    }
  }

  private void assertNothingLeft() throws Exception {
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .allMatch(n -> n.endsWith(".bundle") || n.endsWith(".git"));
    }
  }

  @Test
  void testCheckout_pinnedCommitNotBranchHead() throws Exception {
    TestArtifactRepo repo = TestArtifactRepo.create(tmp.resolve("artifact"));
    Path bundle = tmp.resolve("all.bundle");
    try (Repository r = FileRepositoryBuilder.create(repo.dir().resolve(".git").toFile())) {
      BundleWriter w = new BundleWriter(r);
      w.include("refs/heads/main", ObjectId.fromString(repo.second()));
      try (OutputStream out = Files.newOutputStream(bundle)) {
        w.writeBundle(NullProgressMonitor.INSTANCE, out);
      }
    }
    CheckedOutArtifact out =
        new FromFile(new ArtifactCheckout())
            .checkout(bundle, repo.first(), tmp.resolve("out/first"));
    assertThat(out.commit()).isEqualTo(repo.first());
    assertThat(out.files()).isEqualTo(3);
    assertThat(TestArtifactRepo.tree(tmp.resolve("out/first"))).isEqualTo(repo.firstTree());
    assertThat(tmp.resolve("out/first/CHANGELOG")).doesNotExist();
    assertThat(Files.readString(tmp.resolve("out/first/ui.json"))).contains("8080");
    try (Stream<Path> siblings = Files.list(tmp.resolve("out"))) {
      assertThat(siblings).hasSize(1); // the temporary repository is gone
    }
  }

  @Test
  void testCheckout_branchNameRefused() throws Exception {
    bundle("b", file("post_install.sh", "true\n"));
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(tmp.resolve("b.bundle"), "main", tmp.resolve("out")))
        .isInstanceOf(ArtifactBundleException.class)
        .hasMessageContaining("40 lower-case hex digits")
        .hasMessageContaining("never a branch");
  }

  @Test
  void testCheckout_commitNotInBundleRefused() throws Exception {
    bundle("b", file("post_install.sh", "true\n"));
    String other = "0123456789abcdef0123456789abcdef01234567";
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(tmp.resolve("b.bundle"), other, tmp.resolve("out")))
        .isInstanceOf(ArtifactBundleException.class)
        .hasMessageContaining("expected commit " + other)
        .hasMessageContaining("found it missing");
    assertNothingLeft();
  }

  @Test
  void testCheckout_escapingSymlinkRefused() throws Exception {
    ObjectId c =
        bundle(
            "b",
            link("overlay/etc/passwd", "../../../../etc/passwd"),
            file("post_install.sh", "true\n"));
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(tmp.resolve("b.bundle"), c.name(), tmp.resolve("out")))
        .isInstanceOf(UnsafeArtifactException.class)
        .hasMessageContaining("overlay/etc/passwd")
        .hasMessageContaining("leaves it");
    assertNothingLeft();
  }

  @Test
  void testCheckout_absoluteSymlinkRefused() throws Exception {
    ObjectId c = bundle("b", link("overlay/root/.ssh", "/root/.ssh"));
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(tmp.resolve("b.bundle"), c.name(), tmp.resolve("out")))
        .isInstanceOf(UnsafeArtifactException.class)
        .hasMessageContaining("absolute target \"/root/.ssh\"");
    assertNothingLeft();
  }

  @Test
  void testCheckout_symlinkChainEscapeRefused() throws Exception {
    // each link looks harmless on its own: d is the tree itself, and d/.. is "." lexically; the
    // kernel says ".."
    ObjectId c = bundle("b", link("d", "."), link("l", "d/.."));
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(tmp.resolve("b.bundle"), c.name(), tmp.resolve("out")))
        .isInstanceOf(UnsafeArtifactException.class)
        .hasMessageContaining("symbolic link l");
  }

  @Test
  void testCheckout_dotDotEntryRefused() throws Exception {
    ObjectId c = bundle("b", file("../evil.sh", "rm -rf /\n"));
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(tmp.resolve("b.bundle"), c.name(), tmp.resolve("out")))
        .isInstanceOf(ArtifactBundleException.class)
        .hasMessageContaining("cannot be read");
    assertNothingLeft();
  }

  @Test
  void testCheckout_submoduleRefused() throws Exception {
    ObjectId c =
        bundle(
            "b",
            new GitTrees.Item(
                "vendor", FileMode.GITLINK, "0123456789abcdef0123456789abcdef01234567"));
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(tmp.resolve("b.bundle"), c.name(), tmp.resolve("out")))
        .isInstanceOf(UnsafeArtifactException.class)
        .hasMessageContaining("a submodule at vendor");
  }

  @Test
  void testCheckout_tooLargeRefused() throws Exception {
    ObjectId c = bundle("b", file("a", "12345"), file("b", "67890"));
    ArtifactCheckout small = new ArtifactCheckout(new ArtifactTree.Limits(8, 100));
    assertThatThrownBy(
            () ->
                new FromFile(small).checkout(tmp.resolve("b.bundle"), c.name(), tmp.resolve("out")))
        .isInstanceOf(ArtifactTooLargeException.class)
        .hasMessageContaining("at most 8 bytes");
    assertNothingLeft();
  }

  @Test
  void testCheckout_notABundleRefused() throws Exception {
    Files.writeString(tmp.resolve("junk.bundle"), "# v2 git bundle\nnot really\n");
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(
                        tmp.resolve("junk.bundle"),
                        "0123456789abcdef0123456789abcdef01234567",
                        tmp.resolve("out")))
        .isInstanceOf(ArtifactBundleException.class);
    assertNothingLeft();
  }

  @Test
  void testCheckout_existingDestinationRefused() throws Exception {
    ObjectId c = bundle("b", file("post_install.sh", "true\n"));
    Files.createDirectory(tmp.resolve("out"));
    assertThatThrownBy(
            () ->
                new FromFile(new ArtifactCheckout())
                    .checkout(tmp.resolve("b.bundle"), c.name(), tmp.resolve("out")))
        .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }

  /**
   * Checks out {@code commit} from {@code in} into {@code out}, expecting an {@link
   * ArtifactBundleException} whose message contains {@code message}, with nothing left.
   */
  private void assertRefusedLeavingNothing(
      InputStream in, ArtifactCheckout.WholeBundleCheck check, ObjectId commit, String message)
      throws Exception {
    assertThatThrownBy(
            () ->
                new ArtifactCheckout()
                    .checkout(in, "b.bundle", check, commit.name(), tmp.resolve("out")))
        .isInstanceOf(ArtifactBundleException.class)
        .hasMessageContaining(message);
    assertThat(tmp.resolve("out")).doesNotExist();
    assertNothingLeft();
  }

  @Test
  void testCheckout_bytesThatAreNotTheSignedBundle_refusedBeforeAnythingIsWritten()
      throws Exception {
    ObjectId c = bundle("b", file("post_install.sh", "true\n"));
    byte[] bytes = Files.readAllBytes(tmp.resolve("b.bundle"));
    assertRefusedLeavingNothing(
        new ByteArrayInputStream(bytes),
        (sha256, length) -> {
          assertThat(sha256).isEqualTo(Digests.sha256Hex(bytes));
          assertThat(length).isEqualTo(bytes.length);
          throw new ArtifactBundleException("expected other bytes");
        },
        c,
        "expected other bytes");
  }

  @Test
  void testCheckout_bytesAfterThePack_refused() throws Exception {
    ObjectId c = bundle("b", file("post_install.sh", "true\n"));
    byte[] bundle = Files.readAllBytes(tmp.resolve("b.bundle"));
    assertRefusedLeavingNothing(
        new ByteArrayInputStream(java.util.Arrays.copyOf(bundle, bundle.length + 5)),
        (sha256, length) -> {
          throw new AssertionError("no check of a bundle with bytes after its pack");
        },
        c,
        "expected EOF");
  }

  @Test
  void testCheckout_streamCutShort_leavesNothing() throws Exception {
    ObjectId c = bundle("b", file("post_install.sh", "true\n"), file("big", "x".repeat(100_000)));
    byte[] bytes = Files.readAllBytes(tmp.resolve("b.bundle"));
    InputStream cut =
        new java.io.SequenceInputStream(
            new ByteArrayInputStream(bytes, 0, bytes.length / 2),
            new InputStream() {
              @Override
              public int read() throws java.io.IOException {
                throw new java.io.IOException("connection reset");
              }

              @Override
              public int read(byte[] b, int off, int len) throws java.io.IOException {
                throw new java.io.IOException("connection reset");
              }
            });
    assertRefusedLeavingNothing(
        cut,
        (sha256, length) -> {
          throw new AssertionError("no check of a bundle cut short");
        },
        c,
        "expected a complete git bundle in b.bundle");
  }
}
