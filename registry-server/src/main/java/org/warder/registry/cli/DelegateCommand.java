package org.warder.registry.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.warder.registry.repo.Delegation;
import org.warder.registry.repo.RegistryRepository;
import org.warder.signing.Key;
import org.warder.signing.tuf.PublicKeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder-registry delegate}: the owner trusts a publisher's keys for some target paths. */
@Command(
    name = "delegate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Delegate the target paths matching PATTERN to ROLE, signed by a threshold of the given public"
          + " keys. Adds the delegation to the top-level targets metadata (terminating), or replaces the"
          + " one ROLE already has, signs the next targets version with the offline targets key, then"
          + " writes a new snapshot and timestamp. A running server picks the change up at once.",
      "",
      "PUBKEY_FILE holds a publisher's public key as 'warder key generate' writes it",
      "(one line of canonical JSON, shown here wrapped):",
      "  {\"key\":{\"keytype\":\"ed25519\",",
      "          \"keyval\":{\"public\":\"<64 hex digits: the raw Ed25519 key>\"},",
      "          \"scheme\":\"ed25519\"},",
      "   \"keyid\":\"<64 hex digits: sha256 of the canonical key object>\"}",
      "or the bare TUF key object alone: {\"keytype\":...,\"scheme\":...,\"keyval\":{...}}.",
      "A keyid, when present, must be the key's TUF keyid.",
      "",
      "PATTERN is a TUF path pattern: '/'-separated segments with shell wildcards (*, ?, [..]) that"
          + " never cross '/'; e.g. plugins/acme-* or releases/*/base.txz. No leading '/', no '.' or '..'.",
      "ROLE is 1 to 63 lower-case letters, digits and '-', not a top-level role name."
    })
final class DelegateCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "ROLE",
      description = "The delegated role, e.g. a publisher's name.")
  String role;

  @Option(
      names = "--key",
      required = true,
      arity = "1..*",
      paramLabel = "PUBKEY_FILE",
      description = "A public key file of ROLE (repeatable).")
  List<Path> keyFiles = new ArrayList<>();

  @Option(
      names = "--paths",
      required = true,
      arity = "1..*",
      paramLabel = "PATTERN",
      description = "Target path patterns ROLE may sign for (repeatable).")
  List<String> paths = new ArrayList<>();

  @Option(
      names = "--threshold",
      paramLabel = "N",
      defaultValue = "1",
      description = "How many of the keys must sign ROLE's metadata (default: ${DEFAULT-VALUE}).")
  int threshold;

  @Mixin OfflineTargetsKey targetsKey;

  @Mixin DataOption data;
  @Mixin DatabaseOption database;

  @Mixin ConfigOption config;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Delegation.checkRoleName(role).ifPresent(this::badUsage);
    for (String p : paths) {
      Delegation.checkPattern(p).ifPresent(this::badUsage);
    }
    List<Key> keys = new ArrayList<>();
    for (Path file : keyFiles) {
      if (!Files.isRegularFile(file)) {
        badUsage(
            "--key "
                + file
                + ": no such file (looked for "
                + file.toAbsolutePath()
                + "); give the public key file 'warder key generate --name NAME' wrote, NAME.pub.json"
                + " in the publisher's keys directory ($WARDER_KEYS)");
      }
      keys.add(PublicKeyFiles.read(file));
    }
    Delegation.check(role, keys, threshold, paths).ifPresent(this::badUsage);

    RegistryRepository.Delegated done =
        targetsKey.sign(
            data,
            database,
            config,
            spec.commandLine().getErr(),
            (repository, key) -> repository.delegate(role, keys, threshold, paths, key));

    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%s %s (terminating) to %d key%s, threshold %d, for %s%n",
        done.replaced() ? "Replaced the delegation of" : "Delegated",
        role,
        keys.size(),
        keys.size() == 1 ? "" : "s",
        threshold,
        String.join(" ", paths));
    for (Key k : keys) {
      out.println("  keyid " + k.keyId());
    }
    out.printf(
        "targets version %d, snapshot %d, timestamp %d%n",
        done.targetsVersion(), done.snapshot(), done.timestamp());
    done.staleRoleVersion()
        .ifPresent(
            v ->
                out.printf(
                    "Note: %s's published metadata (version %d) was signed for the old keys; clients refuse it until the"
                        + " publisher submits version %d or later signed with the new ones.%n",
                    role, v, v + 1));
    return 0;
  }

  private void badUsage(String problem) {
    throw new ParameterException(spec.commandLine(), problem);
  }
}
