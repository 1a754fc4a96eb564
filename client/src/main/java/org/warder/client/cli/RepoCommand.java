package org.warder.client.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.ClientException;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.repo.RootPin;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.Updater;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder repo}: the registries this host trusts. */
@Command(
    name = "repo",
    description = "Manage the registries this host trusts.",
    subcommands = {
      RepoCommand.Add.class,
      RepoCommand.ListRepos.class,
      RepoCommand.Refresh.class,
      RepoCommand.Remove.class
    },
    mixinStandardHelpOptions = true)
final class RepoCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code repo add}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = {
        "Trust the registry at URL under NAME, through a pinned root.",
        "The pin is the sha256 of the registry's 1.root.json (printed by 'warder-registry init'), or a root"
            + " file you obtained out of band. --trust-on-first-use trusts whatever root the server sends now"
            + " and prints it: no protection on first contact."
      })
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "URL")
    URI url;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Pin pin;

    @Option(
        names = "--mirror",
        paramLabel = "URL",
        description = "A mirror tried after URL, in order; repeatable.")
    List<URI> mirrors = List.of();

    static final class Pin {
      @Option(names = "--root-sha256", paramLabel = "HEX", required = true)
      String sha256;

      @Option(names = "--root-file", paramLabel = "FILE", required = true)
      Path file;

      @Option(names = "--trust-on-first-use", required = true)
      boolean tofu;
    }

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws ClientException, IOException {
      Context ctx = WarderMain.context(spec);
      RootPin rootPin =
          pin.sha256 != null
              ? new RootPin.Sha256(pin.sha256)
              : pin.file != null ? new RootPin.File(pin.file) : new RootPin.TrustOnFirstUse();
      if (dryRun.dryRun) {
        Repositories repos = ctx.repositories();
        DryRunOption.print(
            ctx,
            repos.describeAdd(
                repos.candidate(name, url, mirrors, rootPin, new ConsoleReporter(ctx.err))),
            name + " was not added; nothing was written");
        return 0;
      }
      RepoConfig config =
          ctx.repositories().add(name, url, mirrors, rootPin, new ConsoleReporter(ctx.err));
      ctx.out.println(
          "added " + config.name() + " (" + config.url() + "), root sha256 " + config.rootSha256());
      return 0;
    }
  }

  /** {@code repo list}. */
  @Command(
      name = "list",
      description = "List the trusted registries and their verified metadata versions.")
  static final class ListRepos implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin OutputOptions output;

    @Override
    public Integer call() throws ClientException, IOException {
      Context ctx = WarderMain.context(spec);
      Table table = new Table("NAME", "URL", "TRUST", "ROOT_SHA256", "MIRRORS");
      for (RepoConfig r : ctx.repositories().list()) {
        table.row(r.name(), r.url().toString(), r.trust(), r.rootSha256(), r.mirrors().size());
      }
      output.print(table, ctx);
      return 0;
    }
  }

  /** {@code repo refresh}. */
  @Command(
      name = "refresh",
      mixinStandardHelpOptions = true,
      description = "Update the signed metadata of NAME, or of every registry.")
  static final class Refresh implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "NAME")
    Optional<String> name = Optional.empty();

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws ClientException, IOException, SigningException {
      Context ctx = WarderMain.context(spec);
      Repositories repos = ctx.repositories();
      List<RepoConfig> targets = name.isPresent() ? List.of(repos.get(name.get())) : repos.list();
      for (RepoConfig r : targets) {
        Updater.RefreshResult result =
            dryRun.dryRun ? repos.refreshCopy(r) : repos.updater(r).refresh();
        ctx.out.println(
            r.name()
                + (dryRun.dryRun ? ": would reach" : ":")
                + " root v"
                + result.rootVersion()
                + ", timestamp v"
                + result.timestampVersion()
                + ", snapshot v"
                + result.snapshotVersion()
                + ", targets v"
                + result.targetsVersion());
        if (result.rootMayBeStale()) {
          ctx.err.println(
              "warning: "
                  + r.name()
                  + ": stopped after the maximum number of root rotations; refresh again");
        }
      }
      if (dryRun.dryRun) {
        DryRunOption.print(
            ctx, List.of(), "checked in a temporary copy; the trusted metadata was not changed");
      }
      return 0;
    }
  }

  /** {@code repo remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Forget registry NAME and its cache.")
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Mixin DryRunOption dryRun;

    @Override
    public Integer call() throws ClientException, IOException {
      Context ctx = WarderMain.context(spec);
      if (dryRun.dryRun) {
        DryRunOption.print(
            ctx,
            List.of(ctx.repositories().describeRemove(name)),
            name + " was not removed; nothing was changed");
        return 0;
      }
      ctx.repositories().remove(name);
      ctx.out.println("removed " + name);
      return 0;
    }
  }
}
