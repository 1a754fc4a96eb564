package org.warder.client.bundle.iocage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** iocage's defaults recognized in any of iocage's boolean spellings, and literally otherwise. */
class IocageDefaultsTest {
  @Test
  void aBooleanDefault_matchesEverySpellingOfFalse() {
    for (String off : new String[] {"0", "off", "no", "false", "NO", " False "}) {
      assertThat(IocageDefaults.isDefault("jail_zfs", off)).as(off).isTrue();
    }
    for (String on : new String[] {"1", "on", "yes", "true"}) {
      assertThat(IocageDefaults.isDefault("jail_zfs", on)).as(on).isFalse();
    }
  }

  @Test
  void aLiteralDefault_matchesItselfOnly() {
    assertThat(IocageDefaults.isDefault("memoryuse", "off")).isTrue();
    assertThat(IocageDefaults.isDefault("memoryuse", "OFF")).isTrue();
    assertThat(IocageDefaults.isDefault("memoryuse", "0")).isFalse();
    assertThat(IocageDefaults.isDefault("memoryuse", "8G:deny")).isFalse();
    assertThat(IocageDefaults.isDefault("vnet0_mtu", "auto")).isTrue();
  }
}
