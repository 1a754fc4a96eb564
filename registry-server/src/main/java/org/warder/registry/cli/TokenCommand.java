package org.warder.registry.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.warder.registry.repo.Delegation;
import org.warder.registry.storage.TokenStore;
import org.warder.signing.StrictJson;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code warder-registry token}: publisher tokens for the publishing API. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Manage the bearer tokens publishers use with the publishing API (/api/v1/).",
      "Only a token's sha256 is stored, in <data>/tokens.json (mode 0600), or in the database of"
          + " --database-url; changes apply to running servers at once."
    },
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.ListTokens.class,
      TokenCommand.Revoke.class
    })
final class TokenCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "expected a subcommand: create, list or revoke");
  }

  /** {@code token create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Create a token for a publisher and print it once on standard output (wrd_<id>_<secret>).",
        "The token may upload blobs and submit the metadata of the given delegated roles, within its limits:"
            + " requests past them are refused with QUOTA_EXCEEDED (403) or TOO_LARGE (413)."
      })
  static final class Create implements Callable<Integer> {
    private static final Pattern PUBLISHER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    @Option(
        names = "--publisher",
        required = true,
        paramLabel = "NAME",
        description = "Who the token is for.")
    String publisher;

    @Option(
        names = "--role",
        required = true,
        arity = "1..*",
        paramLabel = "ROLE",
        description = "A delegated role the token may publish (repeatable).")
    List<String> roles = new ArrayList<>();

    @Option(
        names = "--max-sessions",
        paramLabel = "N",
        defaultValue = "8",
        description =
            "Upload sessions the token may have open at once (default: ${DEFAULT-VALUE}).")
    int maxSessions;

    @Option(
        names = "--max-pending",
        paramLabel = "SIZE",
        defaultValue = "64G",
        description =
            "Bytes the token may hold unpublished: its open uploads plus the blobs it committed that no"
                + " metadata names yet; bytes, or with K, M, G, T (default: ${DEFAULT-VALUE}).")
    String maxPending;

    @Option(
        names = "--max-blob-size",
        paramLabel = "SIZE",
        defaultValue = "64G",
        description =
            "Largest blob the token may upload (serve --max-blob-size applies too) (default: ${DEFAULT-VALUE}).")
    String maxBlobSize;

    @Mixin DataOption data;
    @Mixin DatabaseOption database;
    @Mixin ConfigOption config;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (maxSessions < 1) {
        throw new ParameterException(
            spec.commandLine(), "expected --max-sessions of at least 1, found " + maxSessions);
      }
      TokenStore.Limits limits =
          new TokenStore.Limits(
              maxSessions,
              Quantities.size(spec, "--max-pending", maxPending),
              Quantities.size(spec, "--max-blob-size", maxBlobSize));
      if (!PUBLISHER.matcher(publisher).matches()) {
        throw new ParameterException(
            spec.commandLine(),
            "expected a publisher name of letters, digits and . _ @ - (at most 128), found \""
                + publisher
                + "\"");
      }
      for (String role : roles) {
        Delegation.checkRoleName(role)
            .ifPresent(
                p -> {
                  throw new ParameterException(spec.commandLine(), p);
                });
      }
      TokenStore.Created created;
      try (DatabaseOption.Offline shared = database.offline(config.database())) {
        created =
            shared
                .tokens(data.layout(), Clock.systemUTC())
                .create(publisher, roles.stream().distinct().toList(), limits);
      }
      spec.commandLine().getOut().println(created.secret());
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "Created token "
              + created.token().id()
              + " for "
              + publisher
              + ", roles "
              + String.join(",", created.token().roles())
              + ", limits: "
              + maxSessions
              + " open uploads, "
              + limits.maxPendingBytes()
              + " bytes unpublished, "
              + limits.maxBlobSize()
              + " bytes per blob.");
      err.println("It is shown only this once: hand it to the publisher over a safe channel.");
      return 0;
    }
  }

  /** {@code token list}. */
  @Command(
      name = "list",
      description =
          "List tokens: id, publisher, roles, created (--json: and limits). Secrets are never shown (nor stored).")
  static final class ListTokens implements Callable<Integer> {
    @Option(names = "-h", description = "Scripting mode: no header, tab-separated fields.")
    boolean scripting;

    @Option(
        names = "--json",
        description =
            "A JSON array of {id, publisher, roles, created, limits: {max_sessions, max_pending_bytes, max_blob_size}}.")
    boolean json;

    @Option(names = "--help", usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin DataOption data;
    @Mixin DatabaseOption database;
    @Mixin ConfigOption config;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      List<TokenStore.Token> tokens;
      try (DatabaseOption.Offline shared = database.offline(config.database())) {
        tokens = shared.tokens(data.layout(), Clock.systemUTC()).list();
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (TokenStore.Token t : tokens) {
          ObjectNode o = array.addObject();
          o.put("id", t.id());
          o.put("publisher", t.publisher());
          t.roles().forEach(o.putArray("roles")::add);
          o.put("created", t.created().toString());
          o.putObject("limits")
              .put("max_sessions", t.limits().maxSessions())
              .put("max_pending_bytes", t.limits().maxPendingBytes())
              .put("max_blob_size", t.limits().maxBlobSize());
        }
        out.println(StrictJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(array));
      } else if (scripting) {
        for (TokenStore.Token t : tokens) {
          out.println(
              t.id()
                  + "\t"
                  + t.publisher()
                  + "\t"
                  + String.join(",", t.roles())
                  + "\t"
                  + t.created());
        }
      } else {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "PUBLISHER", "ROLES", "CREATED"});
        tokens.forEach(
            t ->
                rows.add(
                    new String[] {
                      t.id(), t.publisher(), String.join(",", t.roles()), t.created().toString()
                    }));
        Columns.print(out, rows);
      }
      return 0;
    }
  }

  /** {@code token revoke}. */
  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = "Revoke a token: requests carrying it are refused (401) from now on.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The token's id, as 'token list' shows it.")
    String id;

    @Mixin DataOption data;
    @Mixin DatabaseOption database;
    @Mixin ConfigOption config;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (!TokenStore.isId(id)) {
        throw new ParameterException(
            spec.commandLine(), "expected a token id of 12 hex digits, found \"" + id + "\"");
      }
      boolean revoked;
      try (DatabaseOption.Offline shared = database.offline(config.database())) {
        revoked = shared.tokens(data.layout(), Clock.systemUTC()).revoke(id);
      }
      if (!revoked) {
        throw new java.io.IOException(
            "no token with id " + id + "; 'warder-registry token list' shows them");
      }
      spec.commandLine().getOut().println("Revoked token " + id + ".");
      return 0;
    }
  }
}
