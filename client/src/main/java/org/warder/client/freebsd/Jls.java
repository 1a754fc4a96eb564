package org.warder.client.freebsd;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code jls --libxo json} output (jls(8), libxo version "2"): {@code
 * {"__version":"2","jail-information":{"jail":[...]}}}. Reads both forms that carry the jail name:
 * {@code -n} (keys are parameter names: "jid" as a string, "name", "path", "host.hostname",
 * "ip4.addr" and "ip6.addr" as lists, "dying" as a boolean) and {@code -v} ("jid" as a number,
 * "hostname", "state" ACTIVE or DYING, "ipv4_addrs" and "ipv6_addrs"). The default form has no name
 * and is refused. Addresses are accepted as a list of strings, a list of {"ipv4_addr": ...} objects
 * or one comma-separated string, since libxo renders jls's address lists differently across
 * versions.
 */
public final class Jls {
  private static final int MAX_CHARS = 16 * 1024 * 1024;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  private Jls() {}

  /** The jails in {@code json}, in jls's order (by jid). */
  public static List<RunningJail> parse(String json) throws FreeBsdInputException {
    if (json.length() > MAX_CHARS) {
      throw bad("more than " + MAX_CHARS + " characters");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      throw bad("not JSON (" + e.getOriginalMessage() + ")");
    }
    JsonNode list = root == null ? null : root.path("jail-information").path("jail");
    if (list == null || !list.isArray()) {
      throw bad("no \"jail-information\": {\"jail\": [...]} list");
    }
    List<RunningJail> out = new ArrayList<>();
    for (JsonNode j : list) {
      out.add(jail(j));
    }
    return List.copyOf(out);
  }

  /** The jail named {@code name} in {@code jails}. */
  public static Optional<RunningJail> find(List<RunningJail> jails, String name) {
    return jails.stream().filter(j -> j.name().equals(name)).findFirst();
  }

  private static RunningJail jail(JsonNode j) throws FreeBsdInputException {
    JsonNode jid = j.path("jid");
    int id;
    if (jid.isIntegralNumber()) {
      id = jid.intValue();
    } else if (jid.isTextual() && jid.textValue().matches("[0-9]{1,9}")) {
      id = Integer.parseInt(jid.textValue());
    } else {
      throw bad("a jail without a numeric \"jid\"");
    }
    String name =
        text(j, "name")
            .orElseThrow(
                () ->
                    bad(
                        "jail "
                            + id
                            + " has no \"name\"; run jls with -n or -v (the default output has no names)"));
    String path = text(j, "path").orElseThrow(() -> bad("jail " + id + " has no \"path\""));
    String hostname = text(j, "host.hostname").or(() -> text(j, "hostname")).orElse("");
    boolean dying = j.path("dying").asBoolean(false) || "DYING".equals(j.path("state").asText(""));
    return new RunningJail(
        id,
        name,
        Path.of(path),
        hostname,
        addresses(j, "ip4.addr", "ipv4_addrs", "ipv4_addr"),
        addresses(j, "ip6.addr", "ipv6_addrs", "ipv6_addr"),
        dying);
  }

  private static Optional<String> text(JsonNode j, String key) {
    JsonNode n = j.get(key);
    return n != null && n.isValueNode() && !n.isNull() ? Optional.of(n.asText()) : Optional.empty();
  }

  private static List<String> addresses(
      JsonNode j, String nameKey, String verboseKey, String leafKey) {
    JsonNode n = j.has(nameKey) ? j.get(nameKey) : j.get(verboseKey);
    List<String> out = new ArrayList<>();
    collect(n, leafKey, out);
    return out;
  }

  private static void collect(JsonNode n, String leafKey, List<String> out) {
    if (n == null || n.isNull()) {
      return;
    }
    if (n.isTextual()) {
      for (String a : n.textValue().split(",")) {
        if (!a.isBlank() && !a.trim().equals("-")) {
          out.add(a.trim());
        }
      }
    } else if (n.isArray()) {
      for (JsonNode e : n) {
        collect(e, leafKey, out);
      }
    } else if (n.isObject()) {
      collect(n.get(leafKey), leafKey, out);
    }
  }

  private static FreeBsdInputException bad(String what) {
    return new FreeBsdInputException(
        "jls output", "jls output: expected jls --libxo json output, found " + what);
  }
}
