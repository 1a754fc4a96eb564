package org.warder.client.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.ClientException;
import org.warder.client.bundle.BadBundleException;
import org.warder.client.bundle.BundleCompanions;
import org.warder.client.bundle.BundleSignatureException;
import org.warder.client.bundle.JailImporter;
import org.warder.client.bundle.iocage.IocageImage;
import org.warder.client.bundle.iocage.IocageImporter;
import org.warder.client.jail.props.Consent;
import org.warder.client.keys.PublisherKeys;
import org.warder.signing.Key;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.PublicKeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder import FILE|-}. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import a bundle written by 'warder export' (a file, or - for standard input), or an iocage"
          + " export NAME_DATE.zip (ZFS storage only; its config.json is translated, its fstab written again).",
      "Every member's length and sha256 is checked against the bundle's bundle.json while it is received into a"
          + " staging area, then the whole bundle against FILE.sha256 and FILE.sig when they are beside it (or"
          + " given); only then does the jail appear. A damaged, truncated or altered bundle leaves nothing behind."
    })
final class ImportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE|-", description = "The bundle; - reads standard input.")
  String file;

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NEWNAME",
      description = "Import under this name instead of the bundle's.")
  Optional<String> name = Optional.empty();

  @Option(
      names = "--require-signature",
      description =
          "Refuse the bundle unless a key this host trusts signed it (FILE.sig, or --signature).")
  boolean requireSignature;

  @Option(
      names = "--signature",
      paramLabel = "SIGFILE",
      description = "The detached signature (default: FILE.sig if present).")
  Optional<Path> signature = Optional.empty();

  @Option(
      names = "--sha256",
      paramLabel = "HEX|FILE",
      description =
          "The bundle's expected sha256, or a file holding it (default: FILE.sha256 if present).")
  Optional<String> sha256 = Optional.empty();

  @Option(
      names = "--trusted-key",
      paramLabel = "PUBFILE",
      description =
          "Also trust this public key file for the signature (besides 'warder key trust' and your own keys).")
  List<Path> trustedKeys = new ArrayList<>();

  @Option(
      names = "--dry-run",
      description =
          "Print the steps and check the whole bundle (its members' digests, .sha256 and signature);"
              + " change nothing.")
  boolean dryRun;

  @picocli.CommandLine.Mixin ConsentOptions consent;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    Consent allowed = consent.consent(spec);
    boolean stdin = file.equals("-");
    Path path = Path.of(file).toAbsolutePath();
    Optional<String> expected = expectedSha256(stdin, path);
    Optional<Path> sig =
        signature.or(
            () ->
                stdin || !Files.exists(BundleCompanions.signatureFile(path))
                    ? Optional.empty()
                    : Optional.of(BundleCompanions.signatureFile(path)));
    if (requireSignature && sig.isEmpty()) {
      throw new BundleSignatureException(
          "--require-signature: expected a detached signature "
              + (stdin ? "(--signature SIGFILE)" : BundleCompanions.signatureFile(path).toString())
              + ", found none");
    }
    List<Key> trusted = trusted(ctx);
    JailImporter.WholeBundleCheck check =
        (sha, length) -> {
          if (expected.isPresent() && !expected.get().equals(sha)) {
            throw new BadBundleException(
                "expected the bundle's sha256 to be "
                    + expected.get()
                    + " (its .sha256), found "
                    + sha
                    + "; the bundle was altered or damaged; nothing was imported");
          }
          if (sig.isPresent()) {
            try {
              String keyid = BundleCompanions.verifySignature(sig.get(), sha, length, trusted);
              ctx.err.println("signature by trusted key " + keyid + " verified");
            } catch (BundleSignatureException e) {
              if (requireSignature) {
                throw e;
              }
              ctx.err.println(
                  "warning: "
                      + e.getMessage()
                      + " (not required: pass --require-signature to refuse it)");
            } catch (java.io.IOException e) {
              throw new BundleSignatureException(
                  "cannot read " + sig.get() + ": " + e.getMessage(), e);
            }
          }
          if (expected.isEmpty() && sig.isEmpty()) {
            ctx.err.println(
                "note: no .sha256 or signature: each member was checked against bundle.json (an iocage zip:"
                    + " its CRC-32s), which detects damage but not a deliberate change; sign bundles with 'warder export --sign"
                    + " KEY'");
          }
        };
    if (!stdin && IocageImage.isZip(path)) {
      if (dryRun) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--dry-run imports warder bundles only; found the iocage export " + path);
      }
      IocageImporter.Imported imported = ctx.iocageImporter().importZip(path, name, allowed, check);
      ctx.out.println(
          "imported "
              + imported.jail().name()
              + " from iocage export "
              + path
              + " ("
              + imported.length()
              + " bytes, sha256 "
              + imported.sha256()
              + ")");
      return 0;
    }
    try (InputStream in =
        new BufferedInputStream(stdin ? ctx.stdin() : Files.newInputStream(path), 1 << 16)) {
      JailImporter importer = ctx.importer();
      JailImporter.Import planned = importer.plan(in, name, java.util.Map.of(), allowed);
      if (dryRun) {
        planned.plan().describe().forEach(ctx.out::println);
        String sha = importer.verify(planned, check);
        ctx.out.println(
            "(--dry-run: "
                + planned.jail().name()
                + " was not imported; nothing was written; the bundle's sha256 is "
                + sha
                + ")");
        return 0;
      }
      JailImporter.Imported imported = importer.run(planned, check);
      ctx.out.println(
          "imported "
              + imported.jail().name()
              + " from "
              + (stdin ? "standard input" : path)
              + " ("
              + imported.length()
              + " bytes, sha256 "
              + imported.sha256()
              + ")");
    }
    return 0;
  }

  private Optional<String> expectedSha256(boolean stdin, Path path)
      throws ClientException, IOException, InterruptedException {
    if (sha256.isPresent()) {
      String v = sha256.get();
      return Optional.of(
          v.matches("[0-9A-Fa-f]{64}")
              ? v.toLowerCase(java.util.Locale.ROOT)
              : BundleCompanions.readSha256(Path.of(v)));
    }
    Path companion =
        IocageImage.isZip(path) ? IocageImage.sha256File(path) : BundleCompanions.sha256File(path);
    return stdin || !Files.exists(companion)
        ? Optional.empty()
        : Optional.of(BundleCompanions.readSha256(companion));
  }

  /**
   * Keys trusted to sign bundles: {@code <root>/trusted-keys}, this user's own keys, and
   * --trusted-key.
   */
  private List<Key> trusted(Context ctx)
      throws ClientException, SigningException, IOException, InterruptedException {
    List<Key> keys = new ArrayList<>();
    for (Path p : trustedKeys) {
      keys.add(PublicKeyFiles.read(p));
    }
    if (Files.isDirectory(ctx.layout.trustedKeys())) {
      try (var files = Files.list(ctx.layout.trustedKeys())) {
        for (Path p : files.filter(f -> f.toString().endsWith(".pub.json")).sorted().toList()) {
          keys.add(PublicKeyFiles.read(p));
        }
      }
    }
    for (PublisherKeys.Entry e : ctx.keys().list()) {
      keys.add(PublicKeyFiles.read(e.publicKey()));
    }
    return keys;
  }
}
