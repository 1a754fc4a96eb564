package org.warder.client.jail.props;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** iocage's boolean spellings (ioc_common.py truthy_values / truthy_inverse_values). */
class IocageBooleanTest {
  @ParameterizedTest
  @ValueSource(strings = {"1", "on", "yes", "true", "YES", "On", "TRUE", " 1 ", "yes\n"})
  void trueSpellings(String value) {
    assertThat(IocageBoolean.parse(value)).contains(true);
    assertThat(IocageBoolean.isTrue(value)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "off", "no", "false", "OFF", "No", "FALSE", " 0"})
  void falseSpellings(String value) {
    assertThat(IocageBoolean.parse(value)).contains(false);
    assertThat(IocageBoolean.isTrue(value)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2", "y", "n", "none", "-", "enabled", "1.0", "t"})
  void anythingElse_isNeither_andNotTrue(String value) {
    assertThat(IocageBoolean.parse(value)).isEqualTo(Optional.empty());
    assertThat(IocageBoolean.isTrue(value)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"on", "YES", "true", "1"})
  void aBooleanProperty_takesEverySpelling_andKeepsIocagesOne(String value)
      throws PropertyException {
    JailProperties props = JailProperties.parse(List.of("boot=" + value));
    assertThat(props.isTrue("boot")).isTrue();
    assertThat(props.explicit()).containsEntry("boot", "1");
    assertThat(props.with(java.util.Map.of("boot", "off")).isTrue("boot")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"maybe", "y", "2"})
  void aBooleanProperty_refusesOtherSpellings(String value) {
    assertThatThrownBy(() -> JailProperties.parse(List.of("boot=" + value)))
        .isInstanceOf(PropertyException.class)
        .hasMessageContaining("expected 0 or 1");
  }
}
