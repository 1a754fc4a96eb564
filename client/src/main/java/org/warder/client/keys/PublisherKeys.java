package org.warder.client.keys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.warder.signing.Ed25519SigningKey;
import org.warder.signing.KeyFiles;
import org.warder.signing.PrivateFiles;
import org.warder.signing.SigningException;
import org.warder.signing.tuf.PublicKeyFiles;

/**
 * A publisher's signing keys: {@code <dir>/<name>.pem} (passphrase-encrypted, mode 0600) and {@code
 * <dir>/<name>.pub.json}, the public key file ({@link PublicKeyFiles}) a registry administrator
 * passes to {@code warder-registry delegate --key}. The directory is {@code $WARDER_KEYS}, else
 * {@code $XDG_CONFIG_HOME/warder/keys}, else {@code ~/.config/warder/keys}. Not thread-safe.
 */
public final class PublisherKeys {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private final Path dir;

  /** A key as listed: its name, keyid and files. */
  public record Entry(String name, String keyid, Path privateKey, Path publicKey) {}

  public PublisherKeys(Path dir) {
    this.dir = dir;
  }

  /** The default key directory for {@code env}. */
  public static Path defaultDir(Map<String, String> env) {
    if (env.get("WARDER_KEYS") != null) {
      return Path.of(env.get("WARDER_KEYS"));
    }
    String xdg = env.get("XDG_CONFIG_HOME");
    Path config = xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
    return config.resolve("warder").resolve("keys");
  }

  /** Whether {@code name} can name a key (letters, digits, '.', '_', '-'; at most 64). */
  public static boolean isValidName(String name) {
    return NAME.matcher(name).matches();
  }

  public Path dir() {
    return dir;
  }

  /** Generates a key called {@code name}, encrypted with {@code passphrase}. */
  public Entry generate(String name, char[] passphrase) throws IOException, SigningException {
    Path pem = newKey(name);
    PrivateFiles.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PrivateFiles.DIRECTORY); // one made earlier by hand too
    Ed25519SigningKey key = Ed25519SigningKey.generate();
    KeyFiles.write(key, pem, passphrase);
    PublicKeyFiles.write(key.publicKey(), dir.resolve(name + ".pub.json"));
    return new Entry(name, key.keyId(), pem, dir.resolve(name + ".pub.json"));
  }

  /**
   * What {@link #generate} would write for {@code name}, after the same checks; writes nothing and
   * asks for no passphrase.
   */
  public List<String> describeGenerate(String name) throws SigningException {
    Path pem = newKey(name);
    return List.of(
        "generate an Ed25519 key " + name,
        "write " + pem + " (encrypted with a passphrase asked for then, mode 0600)",
        "write " + dir.resolve(name + ".pub.json") + " (the public key, for the registry)");
  }

  /** The private key file of a new key {@code name}; refused when the name is bad or taken. */
  private Path newKey(String name) throws SigningException {
    checkName(name);
    Path pem = dir.resolve(name + ".pem");
    if (Files.exists(pem)) {
      throw new SigningException(
          "a key named " + name + " already exists in " + dir + "; choose another --name");
    }
    return pem;
  }

  /** All keys, by name. */
  public List<Entry> list() throws IOException, SigningException {
    List<Entry> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path pub :
          files.filter(p -> p.getFileName().toString().endsWith(".pub.json")).sorted().toList()) {
        String name = pub.getFileName().toString().replaceFirst("\\.pub\\.json$", "");
        out.add(new Entry(name, PublicKeyFiles.read(pub).keyId(), dir.resolve(name + ".pem"), pub));
      }
    }
    return out;
  }

  /** Loads the private key {@code name} with {@code passphrase}. */
  public Ed25519SigningKey load(String name, char[] passphrase)
      throws IOException, SigningException {
    checkName(name);
    Path pem = dir.resolve(name + ".pem");
    if (!Files.exists(pem)) {
      throw new SigningException(
          "no key named "
              + name
              + " in "
              + dir
              + "; create one with 'warder key generate --name "
              + name
              + "'");
    }
    return KeyFiles.read(pem, passphrase);
  }

  private static void checkName(String name) throws SigningException {
    if (!isValidName(name)) {
      throw new SigningException(
          "expected a key name of letters, digits, '.', '_' and '-', found \"" + name + "\"");
    }
  }
}
