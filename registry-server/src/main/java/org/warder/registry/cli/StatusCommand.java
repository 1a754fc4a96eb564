package org.warder.registry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.warder.registry.repo.RegistryRepository;
import org.warder.registry.repo.RoleExpiry;
import org.warder.registry.storage.RegistryStore;
import org.warder.signing.StrictJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code warder-registry status}: every role's version and expiry, and who renews it. */
@Command(
    name = "status",
    description = {
      "Show the version and expiry of every role's current metadata, as clients see it: root,"
          + " timestamp, snapshot, the top-level targets and every published delegated role; and"
          + " who re-signs each before it expires. Clients refuse a role once it has expired, and"
          + " with a targets role every target it and the roles it delegates to sign.",
      "The server re-signs the snapshot and timestamp itself. Nobody else's key is on the server:"
          + " the owner renews the top-level targets ('warder-registry renew-targets'), each"
          + " publisher its delegated role ('warder publish renew ROLE')."
    })
final class StatusCommand implements Callable<Integer> {
  @Option(
      names = "-h",
      description =
          "Scripting mode: no header, tab-separated fields: role, version, expires,"
              + " seconds until it expires (negative: expired), who renews it.")
  boolean scripting;

  @Option(
      names = "--json",
      description =
          "A JSON array of {role, version, expires, expires_in_seconds, expired, renewal}.")
  boolean json;

  @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  @Mixin DataOption data;
  @Mixin ConfigOption config;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RegistryStore store = config.storage().open(data.layout());
    if (!RegistryRepository.isInitialised(store)) {
      throw new java.io.IOException(
          "no registry in "
              + store.describe()
              + "; give its data directory with --data (and its storage with --config)");
    }
    List<RoleExpiry> roles = RegistryRepository.expiries(store);
    Instant now = Clock.systemUTC().instant();
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ArrayNode array = JsonNodeFactory.instance.arrayNode();
      for (RoleExpiry r : roles) {
        array
            .addObject()
            .put("role", r.role())
            .put("version", r.version())
            .put("expires", r.expires().toString())
            .put("expires_in_seconds", r.left(now).toSeconds())
            .put("expired", r.expired(now))
            .put("renewal", r.renewal());
      }
      out.println(StrictJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } else if (scripting) {
      for (RoleExpiry r : roles) {
        out.println(
            String.join(
                "\t",
                r.role(),
                Long.toString(r.version()),
                r.expires().toString(),
                Long.toString(r.left(now).toSeconds()),
                r.renewal()));
      }
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"ROLE", "VERSION", "EXPIRES", "EXPIRES IN", "RENEWED BY"});
      for (RoleExpiry r : roles) {
        rows.add(
            new String[] {
              r.role(),
              Long.toString(r.version()),
              r.expires().toString(),
              r.expired(now)
                  ? "EXPIRED " + human(r.left(now).negated()) + " ago"
                  : human(r.left(now)),
              r.renewal()
            });
      }
      Columns.print(out, rows);
    }
    return 0;
  }

  /** {@code d} in the largest unit of which it holds at least two: days, hours or minutes. */
  static String human(Duration d) {
    if (d.toDays() >= 2) {
      return d.toDays() + " days";
    }
    if (d.toHours() >= 2) {
      return d.toHours() + " hours";
    }
    return d.toMinutes() + " minutes";
  }
}
