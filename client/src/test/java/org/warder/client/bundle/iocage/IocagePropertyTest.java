package org.warder.client.bundle.iocage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.warder.client.bundle.BadBundleException;
import org.warder.client.bundle.BundleException;
import org.warder.client.jail.props.Consent;
import org.warder.signing.testing.BoundedParse;
import org.warder.signing.testing.Mutations;

/**
 * Properties of what warder reads from an iocage export: the file name ({@link IocageImage#parse}),
 * the member names ({@link IocageImage#dataset}), the zip itself (opened, its members mapped to
 * datasets and each read through its CRC check, as the importer does), and config.json ({@link
 * IocageConfigReader}). On generated and mutated input each gives a value or a {@link
 * BundleException}; a dataset it maps a member to is always a plain relative name.
 */
class IocagePropertyTest {
  /**
   * Fixed: the outcome statistics checked below must not depend on chance (failures still shrink).
   */
  private static final String FIXED_SEED = "20261202";

  private static final IocageImage WEB = new IocageImage("web", "2024-05-01");
  private static final List<String> MEMBER_PARTS =
      List.of(
          "web_2024-05-01",
          "web_2024-05-01_root",
          "web_2024-05-01_data_db",
          "web_2024-05-01_..",
          "web_2024-05-01_",
          "web_2024-05-01__x",
          "web_2024-05-02_root",
          "other_2024-05-01",
          "iocage",
          "images",
          "mnt",
          "tank",
          "..",
          ".",
          "",
          "/",
          "\u0000",
          "\\",
          "web_2024-05-01_\u00e9");
  private static final List<String> CONFIG_VALUES =
      List.of(
          "\"jail\"",
          "\"plugin\"",
          "\"template\"",
          "\"basejail\"",
          "\"pluginv2\"",
          "\"weird\"",
          "1",
          "0",
          "\"yes\"",
          "\"on\"",
          "\"13.2-RELEASE-p11\"",
          "\"../../etc\"",
          "\"vnet0|192.168.0.10/24\"",
          "\"none\"",
          "\"DEFAULT|10.0.0.2/33\"",
          "\"192.168.0.1\"",
          "\"2G:deny\"",
          "\"/bin/sh -c id\"",
          "\"web\"",
          "\"-x\"",
          "\"web_tpl\"",
          "\"iocage/jails/web/data\"",
          "\"lo0|127.0.0.2\"",
          "{\"a\":1}",
          "[1,2]");

  private static Path base;

  @BeforeContainer
  static void createBase() throws IOException {
    base = Files.createTempDirectory("warder-iocage-property");
  }

  @AfterContainer
  static void removeBase() throws IOException {
    try (var files = Files.list(base)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(base);
  }

  @Property(tries = 300)
  void testParse_fileNames_imageOrRefusal(@ForAll("fileNames") String fileName) {
    BoundedParse.parsedOrRefused(BadBundleException.class, () -> IocageImage.parse(fileName))
        .ifPresent(
            image -> {
              assertThat(image.fileName()).isEqualTo(fileName);
              assertThat(image.name()).isNotEmpty();
            });
  }

  @Property(tries = 500)
  void testDataset_memberNames_plainRelativeDatasetOrRefusal(@ForAll("memberNames") String member) {
    BoundedParse.parsedOrRefused(BadBundleException.class, () -> WEB.dataset(member))
        .ifPresent(
            dataset -> {
              assertThat(member).doesNotStartWith("/");
              assertThat(member.split("/", -1)).doesNotContain("..", ".");
              if (!dataset.isEmpty()) {
                assertThat(dataset.split("/", -1))
                    .allSatisfy(
                        part -> {
                          assertThat(part).isNotEmpty().doesNotMatch("\\.+");
                          assertThat(part).matches("[A-Za-z0-9.:-]+");
                        });
              }
            });
  }

  @Property(tries = 120, seed = FIXED_SEED)
  void testRead_mutatedZips_membersOrRefusal(@ForAll("mutatedZips") byte[] zip) throws IOException {
    Path file = Files.createTempFile(base, "web_2024-05-01", ".zip");
    try {
      Files.write(file, zip);
      Optional<List<IocageMembers.Member>> read =
          BoundedParse.parsedOrRefused(BundleException.class, () -> readAll(file));
      Statistics.label("outcome").collect(read.isPresent() ? "read" : "refused");
      Statistics.label("outcome").coverage(c -> c.check("read").percentage(p -> p >= 2));
      read.ifPresent(
          members -> {
            assertThat(members).extracting(IocageMembers.Member::dataset).contains("", "root");
            members.forEach(
                m -> assertThat(m.dataset()).doesNotStartWith("/").doesNotContain(".."));
          });
    } finally {
      Files.delete(file);
    }
  }

  @Property(tries = 250, seed = FIXED_SEED)
  void testRead_mutatedConfigs_propertiesOrRefusal(@ForAll("mutatedConfigs") byte[] json) {
    Optional<ImportedConfig> read =
        BoundedParse.parsedOrRefused(
            BundleException.class,
            () ->
                IocageConfigReader.read(
                    json, WEB, "web", Instant.parse("2026-01-02T03:04:05Z"), Consent.none()));
    Statistics.label("outcome").collect(read.isPresent() ? "read" : "refused");
    Statistics.label("outcome").coverage(c -> c.check("read").percentage(p -> p >= 2));
    read.ifPresent(config -> assertThat(config.props().explicit()).containsEntry("name", "web"));
  }

  /**
   * The steps of the importer before zfs receive: open, map the members, read each to its CRC
   * check.
   */
  private static List<IocageMembers.Member> readAll(Path file)
      throws BadBundleException, IOException {
    try (ZipFile zip = IocageImporter.open(file)) {
      List<IocageMembers.Member> members = IocageMembers.of(zip, WEB);
      for (IocageMembers.Member m : members) {
        ZipArchiveEntry entry = m.entry();
        try (InputStream in =
            new CrcCheckedInputStream(
                zip.getInputStream(entry), entry.getName(), entry.getSize(), entry.getCrc())) {
          in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
          throw new BadBundleException("member " + entry.getName() + " is truncated or damaged", e);
        }
      }
      return members;
    }
  }

  @Provide
  Arbitrary<String> fileNames() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30),
        Combinators.combine(
                Arbitraries.of("web", "a_b", "", "_", "../x", "/abs", "web\u0000"),
                Arbitraries.of("_2024-05-01", "_", "2024", "_../x", "_a b", "__"),
                Arbitraries.of(".zip", ".ZIP", ""))
            .as((name, date, suffix) -> name + date + suffix));
  }

  @Provide
  Arbitrary<String> memberNames() {
    return Arbitraries.oneOf(
        Arbitraries.of(MEMBER_PARTS)
            .list()
            .ofMinSize(1)
            .ofMaxSize(5)
            .map(parts -> String.join("/", parts)),
        Arbitraries.strings().withChars("web_2024-05-01/.r").ofMaxLength(40));
  }

  @Provide
  Arbitrary<byte[]> mutatedZips() {
    Arbitrary<byte[]> zips =
        Arbitraries.of(MEMBER_PARTS)
            .list()
            .ofMinSize(1)
            .ofMaxSize(3)
            .map(parts -> String.join("/", parts))
            .list()
            .ofMaxSize(3)
            .flatMap(
                names ->
                    Arbitraries.of(ZipArchiveEntry.STORED, ZipArchiveEntry.DEFLATED)
                        .map(method -> zip(names, method)));
    return Arbitraries.oneOf(zips, zips.flatMap(z -> Mutations.ofBytes(List.of(z))));
  }

  @Provide
  Arbitrary<byte[]> mutatedConfigs() {
    List<byte[]> seeds =
        List.of(
            IocageConfigReaderTest.THIN.getBytes(StandardCharsets.UTF_8),
            "{\"type\":\"pluginv2\",\"plugin_name\":\"nextcloud\",\"plugin_repository\":\"https://x/y.git\",\"release\":\"13.2-RELEASE\"}"
                .getBytes(StandardCharsets.UTF_8),
            "{\"basejail\":1,\"cloned_release\":\"13.2-RELEASE\",\"source_template\":\"web_tpl\"}"
                .getBytes(StandardCharsets.UTF_8));
    return Arbitraries.oneOf(Mutations.ofBytes(seeds), Mutations.ofJson(seeds, CONFIG_VALUES));
  }

  /**
   * A zip of the jail directory's and the root's members and the names given, each holding a few
   * bytes.
   */
  private static byte[] zip(List<String> names, int method) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    List<String> all =
        new java.util.ArrayList<>(List.of(WEB.memberName(""), WEB.memberName("root")));
    all.addAll(names);
    try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(bytes)) {
      for (String name : all.stream().distinct().toList()) {
        ZipArchiveEntry e = new ZipArchiveEntry(name);
        e.setMethod(method);
        byte[] content = ("stream of " + name).getBytes(StandardCharsets.UTF_8);
        if (method == ZipArchiveEntry.STORED) {
          e.setSize(content.length);
          java.util.zip.CRC32 crc = new java.util.zip.CRC32();
          crc.update(content);
          e.setCrc(crc.getValue());
        }
        out.putArchiveEntry(e);
        out.write(content);
        out.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
