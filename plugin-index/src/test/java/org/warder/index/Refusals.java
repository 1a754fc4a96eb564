package org.warder.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * The one check of a catalogue refusal: an {@link InvalidFieldException} at the JSON path, saying
 * what was expected.
 */
final class Refusals {
  private Refusals() {}

  static void assertRefusedAt(
      ThrowingCallable parse, String json, String document, String path, String fragment) {
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, parse);
    assertThat(e).as("refusal of %s", json).isNotNull();
    assertThat(e.path()).isEqualTo(path);
    assertThat(e.getMessage()).startsWith(document + " " + path + ": expected ").contains(fragment);
  }
}
