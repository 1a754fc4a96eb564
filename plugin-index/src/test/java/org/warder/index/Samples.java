package org.warder.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real iocage files under {@code src/test/resources/iocage-samples/} (see its README). */
final class Samples {
  static final String DIR = "/iocage-samples/";
  static final String INDEX = "ix-plugin-hub__iocage-plugin-index__master__INDEX";

  private Samples() {}

  static byte[] read(String name) {
    try (InputStream in = Samples.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IllegalStateException("test fixture " + DIR + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** File names of every manifest sample ({@code *.json}), sorted. */
  static List<String> manifests() {
    URL dir = Samples.class.getResource(DIR);
    if (dir == null) {
      throw new IllegalStateException("test fixtures " + DIR + " are missing");
    }
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
