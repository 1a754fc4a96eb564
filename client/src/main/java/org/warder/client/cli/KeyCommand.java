package org.warder.client.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.ClientException;
import org.warder.client.keys.PublisherKeys;
import org.warder.signing.Key;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.PublicKeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder key}: publisher signing keys. */
@Command(
    name = "key",
    description = "Manage your publisher signing keys.",
    mixinStandardHelpOptions = true,
    subcommands = {KeyCommand.Generate.class, KeyCommand.ListKeys.class, KeyCommand.Trust.class})
final class KeyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code key generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Create an Ed25519 signing key, encrypted with a passphrase.",
        "Send the printed .pub.json file to the registry administrator, who delegates a role to it"
            + " with 'warder-registry delegate ROLE --key FILE --paths PATTERN'."
      })
  static final class Generate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--name",
        defaultValue = "default",
        description = "Key name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(
        names = "--passphrase-file",
        paramLabel = "FILE",
        description = "Read the passphrase from FILE's first line.")
    Optional<Path> passphraseFile = Optional.empty();

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws IOException, SigningException, ClientException {
      Context ctx = WarderMain.context(spec);
      if (dryRun.dryRun) {
        DryRunOption.print(
            ctx, ctx.keys().describeGenerate(name), "no key was generated; nothing was written");
        return 0;
      }
      char[] pass = ctx.passphrase(passphraseFile, "new key " + name, true);
      PublisherKeys.Entry e = ctx.keys().generate(name, pass);
      java.util.Arrays.fill(pass, '\0');
      ctx.out.println("key " + e.name() + ": keyid " + e.keyid());
      ctx.out.println("  private (encrypted, 0600): " + e.privateKey());
      ctx.out.println("  public (give to the registry administrator): " + e.publicKey());
      return 0;
    }
  }

  /** {@code key list}. */
  @Command(name = "list", description = "List your signing keys.")
  static final class ListKeys implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin OutputOptions output;

    @Override
    public Integer call() throws IOException, SigningException, ClientException {
      Context ctx = WarderMain.context(spec);
      Table table = new Table("NAME", "KEYID", "PUBLIC");
      for (PublisherKeys.Entry e : ctx.keys().list()) {
        table.row(e.name(), e.keyid(), e.publicKey().toString());
      }
      output.print(table, ctx);
      return 0;
    }
  }

  /** {@code key trust}. */
  @Command(
      name = "trust",
      mixinStandardHelpOptions = true,
      description = {
        "Trust a public key file (someone's .pub.json) to sign bundles this host imports.",
        "'warder import --require-signature' then accepts bundles that key signed."
      })
  static final class Trust implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "PUBFILE",
        description = "The public key file, as 'warder key generate' writes it.")
    Path file;

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws IOException, SigningException, ClientException {
      Context ctx = WarderMain.context(spec);
      Key key = PublicKeyFiles.read(file);
      Path target = ctx.layout.trustedKeys().resolve(key.keyId() + ".pub.json");
      if (dryRun.dryRun) {
        DryRunOption.print(
            ctx,
            List.of(
                "trust key " + key.keyId() + " to sign bundles this host imports",
                "write " + target),
            "the key was not trusted; nothing was written");
        return 0;
      }
      PublicKeyFiles.write(key, target);
      ctx.out.println("trusted key " + key.keyId() + " (" + target + ")");
      return 0;
    }
  }
}
