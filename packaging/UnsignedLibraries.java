import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * {@code java UnsignedLibraries.java DIR}: rewrites each signed jar in DIR (an executable's lib/)
 * without its signature files (META-INF/*.SF, *.RSA, *.DSA, *.EC), every other entry as it was.
 * Run by {@code mvn package} (client and registry-server modules) before the class-data archive is
 * written. The JVM verifies a signed jar's signatures when it first loads a class from it (for
 * BouncyCastle's jars about a quarter of a second of CPU, certificates and digests, on every
 * {@code warder} run that checks a signature), and the class-data archive leaves a signed jar's classes
 * out; the jars come from the build's own dependency resolution, so the signatures add no check
 * the build has not made. OpenJDK uses an unsigned JCE provider as it is (Oracle's JDK would refuse
 * BouncyCastle's ciphers then). Prints each jar it rewrites; one without signature files is left
 * untouched, so running it again changes nothing.
 */
public final class UnsignedLibraries {
  private static final Pattern SIGNATURE =
      Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)", Pattern.CASE_INSENSITIVE);

  private UnsignedLibraries() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 || !Files.isDirectory(Path.of(args[0]))) {
      System.err.println("usage: java UnsignedLibraries.java DIR (a directory of jars)");
      System.exit(2);
    }
    try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(args[0]), "*.jar")) {
      for (Path jar : jars) {
        if (signed(jar)) {
          unsign(jar);
          System.out.println(jar + ": signature files removed");
        }
      }
    }
  }

  private static boolean signed(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().anyMatch(entry -> SIGNATURE.matcher(entry.getName()).matches());
    }
  }

  /** Writes the jar again beside itself without the signature files, then renames it over. */
  private static void unsign(Path jar) throws IOException {
    Path copy = jar.resolveSibling("." + jar.getFileName() + ".tmp");
    try (ZipFile in = new ZipFile(jar.toFile());
        OutputStream file = Files.newOutputStream(copy);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (Enumeration<? extends ZipEntry> entries = in.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        if (SIGNATURE.matcher(entry.getName()).matches()) {
          continue;
        }
        ZipEntry kept = new ZipEntry(entry.getName());
        kept.setTime(entry.getTime());
        out.putNextEntry(kept);
        try (InputStream data = in.getInputStream(entry)) {
          data.transferTo(out);
        }
        out.closeEntry();
      }
    } catch (IOException e) {
      Files.deleteIfExists(copy);
      throw e;
    }
    Files.move(copy, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
