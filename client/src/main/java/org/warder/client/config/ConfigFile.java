package org.warder.client.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.warder.client.ClientException;
import org.warder.client.ClientException.Reason;
import org.warder.client.keys.PublisherKeys;
import org.warder.client.repo.RepoConfig;
import org.warder.index.EditDistance;

/**
 * The configuration file: {@code $WARDER_CONFIG} when set, else {@code /usr/local/etc/warder.conf}
 * when it exists. Its format is that of rc.conf without the shell: one {@code key = value} a line,
 * the value optionally in double quotes, {@code #} starting a comment (at the start of a line, or
 * after a blank in an unquoted value); blank lines are ignored. The keys are {@code repository},
 * {@code key}, {@code token_file}, {@code root} and {@code retry_deadline}; anything else, a key
 * set twice or a bad value is refused with its line number.
 */
public final class ConfigFile {
  /** Where FreeBSD's ports put a program's configuration. */
  public static final Path DEFAULT = Path.of("/usr/local/etc/warder.conf");

  /** The environment variable that names another file. */
  public static final String VARIABLE = "WARDER_CONFIG";

  static final List<String> KEYS =
      List.of("repository", "key", "token_file", "root", "retry_deadline");

  private ConfigFile() {}

  /**
   * The configuration {@code env} points to: the file {@code $WARDER_CONFIG} names (which must
   * exist), else {@code defaultFile} if it exists, else none.
   */
  public static ClientConfig load(Map<String, String> env, Path defaultFile)
      throws ClientException {
    String named = env.get(VARIABLE);
    Path file;
    if (named != null && !named.isBlank()) {
      file = Path.of(named);
      if (!Files.exists(file)) {
        throw new ClientException(
            Reason.NOT_FOUND,
            VARIABLE
                + " names "
                + file
                + ", which does not exist; create it (see the end of 'warder --help') or unset "
                + VARIABLE);
      }
    } else if (Files.exists(defaultFile)) {
      file = defaultFile;
    } else {
      return ClientConfig.none();
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    } catch (IOException e) {
      throw new ClientException(
          Reason.HOST,
          "cannot read the configuration file "
              + file
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + "); expected a readable text file of 'key = value' lines",
          e);
    }
  }

  /** The configuration in {@code text}; {@code source} names it in messages. */
  public static ClientConfig parse(String text, String source) throws ClientException {
    Map<String, String> values = new HashMap<>();
    Map<String, Integer> lineOf = new HashMap<>();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      int number = i + 1;
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw invalid(source, number, "expected 'key = value', found \"" + line + "\"");
      }
      String key = line.substring(0, eq).strip();
      if (!KEYS.contains(key)) {
        throw invalid(
            source,
            number,
            "unknown key \""
                + key
                + "\""
                + closest(key).map(k -> "; did you mean " + k + "?").orElse("")
                + " (known keys: "
                + String.join(", ", KEYS)
                + ")");
      }
      if (lineOf.containsKey(key)) {
        throw invalid(
            source,
            number,
            key + " is set twice (first at line " + lineOf.get(key) + "); keep one of them");
      }
      String value = value(line.substring(eq + 1).strip(), key, source, number);
      check(key, value, source, number);
      values.put(key, value);
      lineOf.put(key, number);
    }
    return new ClientConfig(
        Optional.ofNullable(values.get("repository")),
        Optional.ofNullable(values.get("key")),
        Optional.ofNullable(values.get("token_file")).map(Path::of),
        Optional.ofNullable(values.get("root")).map(Path::of),
        Optional.ofNullable(values.get("retry_deadline"))
            .map(seconds -> Duration.ofSeconds(Long.parseLong(seconds))),
        source);
  }

  /** The value as written: in double quotes, or up to a blank-preceded {@code #} comment. */
  private static String value(String raw, String key, String source, int number)
      throws ClientException {
    if (raw.startsWith("\"")) {
      int close = raw.indexOf('"', 1);
      String rest = close < 0 ? "" : raw.substring(close + 1).strip();
      if (close < 0 || !(rest.isEmpty() || rest.startsWith("#"))) {
        throw invalid(
            source,
            number,
            "the value of "
                + key
                + " opens a double quote that does not end it: expected "
                + key
                + " = \"VALUE\", found "
                + raw);
      }
      return raw.substring(1, close);
    }
    if (raw.startsWith("#")) {
      return "";
    }
    int comment = raw.indexOf(" #");
    int tabComment = raw.indexOf("\t#");
    int cut = comment < 0 ? tabComment : tabComment < 0 ? comment : Math.min(comment, tabComment);
    return (cut < 0 ? raw : raw.substring(0, cut)).strip();
  }

  private static void check(String key, String value, String source, int number)
      throws ClientException {
    if (value.isEmpty()) {
      throw invalid(source, number, key + " has no value; give one or remove the line");
    }
    switch (key) {
      case "repository" -> {
        if (!RepoConfig.isValidName(value)) {
          throw invalid(
              source,
              number,
              "repository must be a repository name as 'warder repo list' shows (lower-case"
                  + " letters, digits, '_' and '-'), found \""
                  + value
                  + "\"");
        }
      }
      case "key" -> {
        if (!PublisherKeys.isValidName(value)) {
          throw invalid(
              source,
              number,
              "key must be a key name as 'warder key list' shows (letters, digits, '.', '_',"
                  + " '-'), found \""
                  + value
                  + "\"");
        }
      }
      case "retry_deadline" -> {
        if (!value.matches("[1-9][0-9]{0,5}")) {
          throw invalid(
              source,
              number,
              "retry_deadline must be a whole number of seconds from 1 to 999999, found \""
                  + value
                  + "\"");
        }
      }
      default -> {
        if (!Path.of(value).isAbsolute()) {
          throw invalid(source, number, key + " must be an absolute path, found \"" + value + "\"");
        }
      }
    }
  }

  private static Optional<String> closest(String typed) {
    return KEYS.stream()
        .filter(k -> EditDistance.between(typed, k) <= Math.max(2, k.length() / 3))
        .min(Comparator.comparingInt(k -> EditDistance.between(typed, k)))
        .or(
            () ->
                KEYS.stream().filter(k -> k.startsWith(typed) || typed.startsWith(k)).findFirst());
  }

  private static ClientException invalid(String source, int line, String what) {
    return new ClientException(Reason.INVALID_INPUT, source + ":" + line + ": " + what);
  }
}
