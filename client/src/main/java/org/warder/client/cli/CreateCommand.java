package org.warder.client.cli;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.warder.client.jail.CreateRequest;
import org.warder.client.jail.JailCreator;
import org.warder.client.jail.JailSource;
import org.warder.client.jail.props.Consent;
import org.warder.client.jail.props.JailName;
import org.warder.client.release.Releases;
import org.warder.client.repo.RepoConfig;
import org.warder.client.team.BundleRef;
import org.warder.client.team.BundleSync;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder create}: a jail from a release or a template. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = {
      "Create a jail from a fetched release (-r) or a template (-t), or an empty one (-e).",
      "Thin (default): a ZFS clone of the source (a copy on directory storage). -T: an independent copy.",
      "-b: a base jail, its system directories read-only mounts of the source (FreeBSD Mastery: Jails, ch. 6).",
      "Properties use iocage's names: ip4_addr=em0|192.0.2.10/24 boot=1 depends=db allow_raw_sockets=1 ..."
    })
final class CreateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-n", "--name"},
      required = true,
      paramLabel = "NAME",
      description = "The new jail's name.")
  String name;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(
        names = {"-r", "--release"},
        paramLabel = "REL",
        required = true,
        description = "A fetched release.")
    String release;

    @Option(
        names = {"-t", "--template"},
        paramLabel = "TEMPLATE",
        required = true,
        description =
            "A template (warder list -t), or a team's template in a registry: [REPO:]TEAM/NAME[:TAG]"
                + " (warder list -t --repo REPO), fetched once and kept as local template TEAM_NAME.")
    String template;

    @Option(
        names = {"-e", "--empty"},
        required = true,
        description = "An empty jail.")
    boolean empty;
  }

  @Option(
      names = {"-T", "--thickjail"},
      description = "An independent copy of the source.")
  boolean thick;

  @Option(
      names = {"-b", "--basejail"},
      description = "System directories mounted read-only from the source.")
  boolean base;

  @Parameters(paramLabel = "key=value", description = "Jail properties.")
  List<String> properties = List.of();

  /**
   * Applies to the template a -t REPO:TEAM/NAME pulls; a jail's own properties are the key=value
   * arguments.
   */
  @picocli.CommandLine.Mixin ConsentOptions consent;

  @Option(names = "--dry-run", description = "Print the steps; change nothing.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Context ctx = WarderMain.context(spec);
    if (thick && base) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "choose -T (thick) or -b (base), not both");
    }
    JailName jailName = JailName.of(name);
    CreateRequest.Mode mode =
        source.empty
            ? CreateRequest.Mode.EMPTY
            : thick
                ? CreateRequest.Mode.THICK
                : base ? CreateRequest.Mode.BASE : CreateRequest.Mode.THIN;
    // -t TEAM/NAME, with a slash, is a team's template in a registry; a local template has none
    boolean remote = source.template != null && source.template.contains("/");
    Map<String, String> identity = Map.of();
    JailSource from;
    if (source.release != null) {
      Releases.checkName(source.release);
      from = JailSource.Release.of(source.release);
    } else if (source.empty) {
      from = new JailSource.Empty();
    } else if (!remote) {
      from = new JailSource.Template(JailName.of(source.template));
    } else {
      // a team's template in a registry: kept here as a local template, fetched only where it lacks
      // the tag
      if (dryRun) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "--dry-run needs a release or a template of this host; pull "
                + source.template
                + " first ('warder pull'), then create from the local template");
      }
      BundleRef ref = BundleRef.parse(source.template);
      RepoConfig config = ctx.repositories().resolve(ref.repository());
      BundleSync.LocalTemplate t =
          ctx.bundleSync()
              .template(config.name(), ref, ctx.remoteBundles(config), consent.consent(spec));
      if (mode != CreateRequest.Mode.THIN
          && !t.template().props().identity("remote_tag").equals(Optional.of(t.tag()))) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(),
            "-T and -b copy the template as it is"
                + " (tag "
                + t.template().props().identity("remote_tag").orElse("?")
                + "); a thin jail can use tag "
                + t.tag());
      }
      JailName template = t.template().name();
      from =
          mode == CreateRequest.Mode.THIN && t.snapshot().isPresent()
              ? new JailSource.TemplateTag(template, t.snapshot().get())
              : new JailSource.Template(template);
      identity = t.identity();
    }
    if (!remote && !consent.allowed.isEmpty()) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          Consent.FLAG
              + " applies to a template"
              + " pulled from a registry (-t REPO:TEAM/NAME); a jail's own properties are the key=value arguments");
    }
    CreateRequest request = new CreateRequest(jailName, from, mode, properties, identity);
    JailCreator creator = ctx.jails().creator();
    if (dryRun) {
      creator.plan(request).plan().describe().forEach(ctx.out::println);
      ctx.out.println("(--dry-run: " + name + " was not created; nothing was written)");
      return 0;
    }
    creator.create(request);
    return 0;
  }
}
