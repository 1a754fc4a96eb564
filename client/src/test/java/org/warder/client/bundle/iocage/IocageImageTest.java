package org.warder.client.bundle.iocage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.warder.client.bundle.BadBundleException;

/** iocage's export names: the file, the companion, the snapshot, and members in both styles. */
class IocageImageTest {
  private final IocageImage web = new IocageImage("web_front", "2024-05-01");

  @Test
  void testParse_takesNameAndDateAsIocageDoes() throws Exception {
    assertThat(IocageImage.parse("web_front_2024-05-01.zip")).isEqualTo(web);
    assertThat(IocageImage.parse("a_b.zip")).isEqualTo(new IocageImage("a", "b"));
    assertThat(web.fileName()).isEqualTo("web_front_2024-05-01.zip");
    assertThat(web.snapshot()).isEqualTo("ioc-export-2024-05-01");
    assertThat(IocageImage.of("web", LocalDate.of(2024, 5, 1)).fileName())
        .isEqualTo("web_2024-05-01.zip");
    assertThat(IocageImage.sha256File(Path.of("/x/images/web_front_2024-05-01.zip")))
        .isEqualTo(Path.of("/x/images/web_front_2024-05-01.sha256"));
  }

  @Test
  void testParse_refusesOtherNames() {
    for (String name :
        new String[] {
          "web.zip",
          "_2024-05-01.zip",
          "web_.zip",
          "web_2024-05-01.tar.xz",
          "web_2024-05-01 (1).zip"
        }) {
      assertThatThrownBy(() -> IocageImage.parse(name))
          .as(name)
          .isInstanceOf(BadBundleException.class)
          .hasMessage(
              "expected an iocage export named NAME_DATE.zip (iocage reads the jail's name and the export's"
                  + " date from it, e.g. web_2024-05-01.zip), found \""
                  + name
                  + "\"; give it back its name");
    }
  }

  @Test
  void testDataset_bothMemberNameStyles() throws Exception {
    for (String prefix : new String[] {"", "iocage/images/", "mnt/tank/iocage/images/"}) {
      assertThat(web.dataset(prefix + "web_front_2024-05-01")).as(prefix).isEqualTo("");
      assertThat(web.dataset(prefix + "web_front_2024-05-01_root")).as(prefix).isEqualTo("root");
      assertThat(web.dataset(prefix + "web_front_2024-05-01_data_dir"))
          .as(prefix)
          .isEqualTo("data/dir");
    }
    assertThat(web.memberName("")).isEqualTo("iocage/images/web_front_2024-05-01");
    assertThat(web.memberName("root")).isEqualTo("iocage/images/web_front_2024-05-01_root");
    assertThat(web.memberName("data/dir")).isEqualTo("iocage/images/web_front_2024-05-01_data_dir");
  }

  @Test
  void testDataset_refusesPathsBeyondTheKnownPrefixes() {
    for (String member :
        new String[] {
          "../web_front_2024-05-01_root",
          "/iocage/images/web_front_2024-05-01_root",
          "etc/web_front_2024-05-01_root",
          "iocage/images/../../web_front_2024-05-01_root",
          "images//web_front_2024-05-01",
          "./images/web_front_2024-05-01"
        }) {
      assertThatThrownBy(() -> web.dataset(member))
          .as(member)
          .isInstanceOf(BadBundleException.class)
          .hasMessageStartingWith(
              "member \""
                  + member
                  + "\": expected web_front_2024-05-01[_DATASET] at the top of"
                  + " the zip or under an iocage images/ directory");
    }
  }

  @Test
  void testDataset_refusesOtherJailsAndNonDatasetChildren() {
    for (String member :
        new String[] {
          "db_2024-05-01_root",
          "web_front_2024-05-02_root",
          "web_front_2024-05-01_",
          "web_front_2024-05-01_root__x",
          "web_front_2024-05-01_.._x",
          "web_front_2024-05-01_root x",
          "README",
          "iocage/images/"
        }) {
      assertThatThrownBy(() -> web.dataset(member))
          .as(member)
          .isInstanceOf(BadBundleException.class)
          .hasMessageStartingWith(
              "member \"" + member + "\": expected a stream of web_front_2024-05-01 named");
    }
  }
}
