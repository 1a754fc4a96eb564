package org.warder.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.warder.client.ClientException;
import org.warder.client.jail.Jail;
import org.warder.client.jail.JailLifecycle;
import org.warder.client.jail.JailStore;
import org.warder.client.plugin.PluginCatalog;
import org.warder.client.plugin.PluginListing;
import org.warder.client.progress.ConsoleReporter;
import org.warder.client.release.PublishedReleases;
import org.warder.client.release.ReleaseRecord;
import org.warder.client.release.Releases;
import org.warder.client.repo.RepoConfig;
import org.warder.client.repo.Repositories;
import org.warder.client.state.StateFiles;
import org.warder.client.team.BundleKind;
import org.warder.client.team.RemoteBundle;
import org.warder.client.team.RemoteBundles;
import org.warder.signing.SigningException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder list}: what is on this host, or ({@code -PR}) the plugins a registry publishes. */
@Command(
    name = "list",
    description = {
      "List what is on this host, or what a registry publishes.",
      "  (none)  jails: JID, NAME, STATE, RELEASE, IP4, TYPE",
      "  -t      templates; -t --repo REPO: the templates and jails teams published (pushed) there, KIND says which",
      "  -r      fetched releases; -r --repo REPO: the releases and architectures published there, with sizes",
      "  -P      installed plugins and their revisions",
      "  -PR [TEXT]  plugins published in the registry (from its signed INDEXes), those whose id, name,",
      "          description or publisher contain TEXT (any case) when given; the ID column is what fetch -P takes",
      "--json values are typed: numbers, booleans, null for none."
    })
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin OutputOptions output;

  @Option(
      names = {"-r", "--release"},
      description = "List fetched releases (with --repo: those the registry publishes).")
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
          "Registry for -PR (default: the only one); with -t or -r: list what is published there.")
  Optional<String> repo = Optional.empty();

  @Option(
      names = "--search",
      paramLabel = "TEXT",
      description =
          "With -PR: only plugins whose id, name, description or publisher contain TEXT (any case).")
  Optional<String> search = Optional.empty();

  @Parameters(
      arity = "0..1",
      paramLabel = "FILTER",
      description = "With -PR: the same as --search FILTER.")
  Optional<String> filter = Optional.empty();

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    int modes = (releases ? 1 : 0) + (templates ? 1 : 0) + (plugins ? 1 : 0);
    if (modes > 1 || (remote && !plugins)) {
      throw new ParameterException(spec.commandLine(), "choose one of -r, -t, -P or -PR");
    }
    if ((search.isPresent() || filter.isPresent()) && !(plugins && remote)) {
      throw new ParameterException(
          spec.commandLine(), "a search text (FILTER or --search) only applies with -PR");
    }
    if (search.isPresent() && filter.isPresent()) {
      throw new ParameterException(spec.commandLine(), "give FILTER or --search TEXT, not both");
    }
    if (plugins) {
      return remote ? remotePlugins(ctx, search.or(() -> filter)) : installedPlugins(ctx);
    }
    if (templates && repo.isPresent()) {
      return remoteBundles(ctx);
    }
    if (releases && repo.isPresent()) {
      return remoteReleases(ctx);
    }
    if (releases) {
      Table table = new Table("RELEASE", "ARCH", "SOURCE", "FILES", "FETCHED");
      for (ReleaseRecord r : new Releases(ctx.layout, ctx.storage()).list()) {
        table.row(
            r.release(),
            r.arch(),
            r.source(),
            r.files().stream().map(ReleaseRecord.FileRecord::name).toList(),
            r.fetched().toString());
      }
      output.print(table, ctx);
      return 0;
    }
    Table table = new Table("JID", "NAME", "STATE", "RELEASE", "IP4", "TYPE");
    for (JailLifecycle.Status s : ctx.jails().lifecycle().list(templates)) {
      Jail j = s.jail();
      table.row(
          s.jid().isPresent() ? Optional.of(s.jid().getAsLong()) : Optional.empty(),
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
          p.path("revision"),
          p.path("commit").asText(),
          s.running() ? "up" : "down",
          p.path("installed").asText());
    }
    output.print(table, ctx);
    return 0;
  }

  private int remotePlugins(Context ctx, Optional<String> text)
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
      if (text.isPresent() && !matches(p, text.get())) {
        continue;
      }
      table.row(
          oneLine(p.entry().name()),
          oneLine(p.entry().description()),
          p.entry().primaryPkg().orElse(p.id()),
          p.entry().official(),
          p.qualifiedId());
    }
    output.print(table, ctx);
    return 0;
  }

  /**
   * Whether {@code text} occurs, in any case, in the plugin's id, name, description or publisher.
   */
  static boolean matches(PluginListing p, String text) {
    String wanted = text.toLowerCase(Locale.ROOT);
    return Stream.of(p.id(), p.entry().name(), p.entry().description(), p.publisher())
        .anyMatch(field -> field.toLowerCase(Locale.ROOT).contains(wanted));
  }

  /**
   * The templates and jails teams published (pushed) in a registry, each tag a row, templates
   * first.
   */
  private int remoteBundles(Context ctx)
      throws ClientException, SigningException, IOException, InterruptedException {
    RepoConfig config = ctx.repositories().resolve(ctx.repository(repo));
    RemoteBundles remote = ctx.remoteBundles(config);
    Table table =
        new Table("NAME", "TAG", "RELEASE", "FORMAT", "BASE", "SIZE", "PUBLISHED", "KIND");
    for (BundleKind kind : List.of(BundleKind.TEMPLATE, BundleKind.JAIL)) {
      for (RemoteBundle b : remote.list(kind)) {
        table.row(
            b.spec().team() + "/" + b.spec().name(),
            b.spec().tag(),
            b.spec().release(),
            b.spec().format().label(),
            b.spec().baseTag(),
            b.length(),
            b.published().toString(),
            kind.noun());
      }
    }
    output.print(table, ctx);
    return 0;
  }

  /** The releases and architectures a registry publishes, with their files and signed sizes. */
  private int remoteReleases(Context ctx)
      throws ClientException, SigningException, IOException, InterruptedException {
    RepoConfig config = ctx.repositories().resolve(ctx.repository(repo));
    Table table = new Table("RELEASE", "ARCH", "FILES", "SIZE");
    for (PublishedReleases.Published r :
        new PublishedReleases(ctx.repositories().updater(config), new ConsoleReporter(ctx.err))
            .list()) {
      table.row(r.release(), r.arch(), r.fileNames(), r.size());
    }
    output.print(table, ctx);
    return 0;
  }

  /** Descriptions may span lines; a table row may not. */
  private static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }
}
