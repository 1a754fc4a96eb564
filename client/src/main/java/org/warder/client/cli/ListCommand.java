package org.warder.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.ClientException;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailLifecycle;
import org.warder.client.jail.JailStore;
import org.warder.client.plugin.PluginCatalog;
import org.warder.client.plugin.PluginListing;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.release.ReleaseRecord;
import org.warder.client.release.Releases;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.state.StateFiles;
import org.warder.client.team.BundleKind;
import org.warder.client.team.RemoteBundle;
import org.warder.signing.SigningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code warder list}: what is on this host, or ({@code -PR}) the plugins a registry publishes. */
@Command(
    name = "list",
    description = {
      "List what is on this host, or what a registry publishes.",
      "  (none)  jails: JID, NAME, STATE, RELEASE, IP4, TYPE",
      "  -t      templates; -t --repo REPO: the templates and tags teams published there",
      "  -r      fetched releases",
      "  -P      installed plugins and their revisions",
      "  -PR     plugins published in the registry (from its signed INDEXes); the ID column is what fetch -P takes"
    })
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(
      names = {"-r", "--release"},
      description = "List fetched releases.")
  boolean releases;

  @Option(
      names = {"-t", "--template"},
      description = "List templates.")
  boolean templates;

  @Option(
      names = {"-P", "--plugins"},
      description = "List installed plugins (with -R: those a registry publishes).")
  boolean plugins;

  @Option(
      names = {"-R", "--remote"},
      description = "With -P: list the registry's plugins.")
  boolean remote;

  @Option(
      names = "--repo",
      paramLabel = "NAME",
      description =
          "Registry for -PR (default: the only one); with -t: list the templates teams published there.")
  Optional<String> repo = Optional.empty();

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    int modes = (releases ? 1 : 0) + (templates ? 1 : 0) + (plugins ? 1 : 0);
    if (modes > 1 || (remote && !plugins)) {
      throw new ParameterException(spec.commandLine(), "choose one of -r, -t, -P or -PR");
    }
    if (plugins) {
      return remote ? remotePlugins(ctx) : installedPlugins(ctx);
    }
    if (templates && repo.isPresent()) {
      return remoteTemplates(ctx);
    }
    if (releases) {
      Table table = new Table("RELEASE", "ARCH", "SOURCE", "FILES", "FETCHED");
      for (ReleaseRecord r : new Releases(ctx.layout, ctx.storage()).list()) {
        table.row(
            r.release(),
            r.arch(),
            r.source(),
            String.join(",", r.files().stream().map(ReleaseRecord.FileRecord::name).toList()),
            r.fetched().toString());
      }
      output.print(table, ctx);
      return 0;
    }
    Table table = new Table("JID", "NAME", "STATE", "RELEASE", "IP4", "TYPE");
    for (JailLifecycle.Status s : ctx.jails().lifecycle().list(templates)) {
      Jail j = s.jail();
      table.row(
          s.jid().isPresent() ? Long.toString(s.jid().getAsLong()) : "-",
          j.name().value(),
          s.running() ? "up" : "down",
          j.release(),
          j.props().value("ip4_addr"),
          templates ? "template" : j.props().identity("type").orElse("jail"));
    }
    output.print(table, ctx);
    return 0;
  }

  private int installedPlugins(Context ctx)
      throws ClientException, IOException, InterruptedException {
    Table table = new Table("NAME", "PLUGIN", "REVISION", "COMMIT", "STATE", "INSTALLED");
    for (JailLifecycle.Status s : ctx.jails().lifecycle().list(false)) {
      Jail j = s.jail();
      Path record = s.dir().resolve("plugin.json");
      Optional<byte[]> bytes = JailStore.readOwnFile(record, 1 << 20);
      if (bytes.isEmpty()) {
        continue;
      }
      JsonNode p = StateFiles.mapper().readTree(bytes.get());
      table.row(
          j.name().value(),
          p.path("plugin").asText(),
          p.path("revision").asText(),
          p.path("commit").asText(),
          s.running() ? "up" : "down",
          p.path("installed").asText());
    }
    output.print(table, ctx);
    return 0;
  }

  private int remotePlugins(Context ctx)
      throws ClientException, SigningException, IOException, InterruptedException {
    Repositories repos = ctx.repositories();
    RepoConfig config = repos.resolve(ctx.repository(repo));
    PluginCatalog catalog =
        new PluginCatalog(
            repos.updater(config),
            config.targetUrls(),
            ctx.layout.repoCache(config.name()),
            new ConsoleReporter(ctx.err));
    // NAME, DESCRIPTION and PKG first, as iocage prints them, so that scripts cutting -h columns
    // keep working
    Table table = new Table("NAME", "DESCRIPTION", "PKG", "OFFICIAL", "ID");
    for (PluginListing p : catalog.list()) {
      table.row(
          oneLine(p.entry().name()),
          oneLine(p.entry().description()),
          p.entry().primaryPkg().orElse(p.id()),
          Boolean.toString(p.entry().official()),
          p.qualifiedId());
    }
    output.print(table, ctx);
    return 0;
  }

  /** The templates teams published in a registry, each tag a row. */
  private int remoteTemplates(Context ctx)
      throws ClientException, SigningException, IOException, InterruptedException {
    RepoConfig config = ctx.repositories().resolve(ctx.repository(repo));
    Table table = new Table("NAME", "TAG", "RELEASE", "FORMAT", "BASE", "SIZE", "PUBLISHED");
    for (RemoteBundle b : ctx.remoteBundles(config).list(BundleKind.TEMPLATE)) {
      table.row(
          b.spec().team() + "/" + b.spec().name(),
          b.spec().tag(),
          b.spec().release(),
          b.spec().format().label(),
          b.spec().baseTag().orElse("-"),
          Long.toString(b.length()),
          b.published().toString());
    }
    output.print(table, ctx);
    return 0;
  }

  /** Descriptions may span lines; a table row may not. */
  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }
}
