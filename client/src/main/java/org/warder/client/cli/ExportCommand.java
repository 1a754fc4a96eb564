package org.warder.client.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.ClientException;
import org.warder.client.bundle.BundleCompanions;
import org.warder.client.bundle.JailExporter;
import org.warder.client.bundle.iocage.IocageExporter;
import org.warder.index.BundleManifest.Compression;
import org.warder.index.BundleManifest.Format;
import org.warder.signing.AtomicFiles;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.PrivateFiles;
import org.warder.signing.SigningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder export NAME}. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write jail or template NAME as one bundle file: a bundle.json listing every member's length"
          + " and sha256, then the members (the jail's own files, and its root as zfs send streams or a portable"
          + " tar). A NAME.sha256 companion is written beside it, and with --sign a detached signature NAME.sig.",
      "Default file: <root>/images/NAME_YYYY-MM-DD.warder.tar. Import it on any host with 'warder import FILE'.",
      "--format iocage writes NAME_YYYY-MM-DD.zip and NAME_YYYY-MM-DD.sha256 as iocage export does, for"
          + " 'iocage import' (ZFS storage; not base jails)."
    })
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The jail or template to export.")
  String name;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE|-",
      description = "Where to write the bundle; - is standard output.")
  Optional<String> output = Optional.empty();

  @Mixin BundleOptions bundle;

  @Option(
      names = "--live",
      description = "Export a running jail from a ZFS snapshot taken now (ZFS storage only).")
  boolean live;

  @Option(
      names = "--sign",
      paramLabel = "KEY",
      description = "Sign the bundle with your key KEY (see 'warder key list').")
  Optional<String> sign = Optional.empty();

  @Option(
      names = "--passphrase-file",
      paramLabel = "FILE",
      description = "With --sign: the key's passphrase, first line of FILE.")
  Optional<Path> passphraseFile = Optional.empty();

  @Mixin DryRunOption dryRun;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    if (bundle.iocage()) {
      if (dryRun.dryRun) {
        throw new ParameterException(
            spec.commandLine(), "--dry-run exports warder bundles only, not --format iocage");
      }
      return exportIocage(ctx);
    }
    Optional<Format> f = bundle.format(spec);
    Compression c = bundle.compression(spec);
    boolean toStdout = output.map("-"::equals).orElse(false);
    if (toStdout && sign.isPresent()) {
      throw new ParameterException(
          spec.commandLine(),
          "--sign writes NAME.sig beside the bundle file; export to a"
              + " file with -o FILE to sign it");
    }
    JailExporter exporter = ctx.exporter();
    JailExporter.Options options = JailExporter.Options.full(f, c, live);
    if (dryRun.dryRun) {
      Format format = exporter.format(name, options);
      String target = toStdout ? "standard output" : file(ctx).toString();
      List<String> lines = new ArrayList<>();
      if (format == Format.ZFS || live) {
        lines.add("snapshot the root of " + name + " for the export (destroyed after)");
      }
      lines.add("write " + name + " (" + format.label() + ", " + c.label() + ") to " + target);
      if (!toStdout) {
        lines.add("write " + target + ".sha256");
      }
      sign.ifPresent(k -> lines.add("sign it with key " + k + ": write " + target + ".sig"));
      lines.add(
          "the jail's files are read only by the real export: what it refuses among them is"
              + " found then");
      DryRunOption.print(ctx, lines, "nothing was exported or written");
      return 0;
    }
    Optional<Ed25519SigningKey> signer =
        sign.isPresent()
            ? Optional.of(ctx.signingKey(sign.get(), passphraseFile))
            : Optional.empty();
    if (toStdout) {
      try (OutputStream out = new BufferedOutputStream(ctx.stdout(), 1 << 16)) {
        JailExporter.Result r = exporter.export(name, options, out);
        out.flush();
        ctx.err.println(
            "exported "
                + name
                + " to standard output: "
                + r.length()
                + " bytes, sha256 "
                + r.sha256());
      }
      return 0;
    }
    Path file = file(ctx);
    // the bundle holds the jail's files (its master.passwd, its keys): the owner's only, from the
    // first byte
    PrivateFiles.createDirectories(file.getParent());
    Path part =
        AtomicFiles.createTemp(file.getParent(), file.getFileName().toString(), PrivateFiles.FILE);
    JailExporter.Result r;
    try {
      try (FileChannel channel =
          FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        r = exporter.export(name, options, channel);
      }
      AtomicFiles.move(part, file);
    } finally {
      Files.deleteIfExists(part);
    }
    BundleCompanions.writeSha256(file, r.sha256());
    if (signer.isPresent()) {
      BundleCompanions.writeSignature(file, r.sha256(), r.length(), signer.get());
    }
    ctx.out.println(
        "exported "
            + name
            + " ("
            + r.manifest().format().label()
            + ", "
            + c.label()
            + ") to "
            + file);
    ctx.out.println(
        "  "
            + r.length()
            + " bytes, sha256 "
            + r.sha256()
            + (signer.isPresent() ? ", signed by " + signer.get().keyId() : ""));
    return 0;
  }

  /** The bundle file: -o, or NAME_DATE.warder.tar in the images directory. */
  private Path file(Context ctx) {
    return output
        .map(Path::of)
        .orElseGet(
            () ->
                ctx.layout
                    .images()
                    .resolve(
                        name
                            + "_"
                            + LocalDate.now(ctx.clock.withZone(ZoneOffset.UTC))
                            + ".warder.tar"))
        .toAbsolutePath();
  }

  private int exportIocage(Context ctx)
      throws ClientException, SigningException, IOException, InterruptedException {
    if (output.map("-"::equals).orElse(false)) {
      throw new ParameterException(
          spec.commandLine(),
          "--format iocage writes a zip file whose name iocage reads the"
              + " jail's name and date from; give -o NAME_DATE.zip or no -o, not -");
    }
    Optional<Ed25519SigningKey> signer =
        sign.isPresent()
            ? Optional.of(ctx.signingKey(sign.get(), passphraseFile))
            : Optional.empty();
    IocageExporter.Exported r = ctx.iocageExporter().export(name, output.map(Path::of), live);
    if (signer.isPresent()) {
      BundleCompanions.writeSignature(r.file(), r.sha256(), r.length(), signer.get());
    }
    ctx.out.println("exported " + name + " (iocage zip) to " + r.file());
    ctx.out.println(
        "  "
            + r.length()
            + " bytes, sha256 "
            + r.sha256()
            + (signer.isPresent() ? ", signed by " + signer.get().keyId() : ""));
    return 0;
  }
}
