package org.warder.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What canonical JSON cannot represent is refused with the path to the value (built only for the
 * refusal), and the JSON form of canonical bytes escapes exactly the control characters.
 */
class CanonicalJsonTest {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Test
  void testEncode_refusesAFloatNamingItsPath() {
    ObjectNode doc = NODES.objectNode();
    doc.putObject("signed").putArray("a").add(1).addObject().put("b", 1.5);

    assertThatThrownBy(() -> CanonicalJson.encode(doc))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessage("canonical JSON allows only integers, found 1.5 at $.signed.a[1].b");
  }

  @Test
  void testEncode_refusesAnUnpairedSurrogateNamingItsPath() {
    ObjectNode value = NODES.objectNode();
    value.putObject("k").putArray("x").add("ok").add("a\udc00");
    ObjectNode key = NODES.objectNode();
    key.putObject("k").put("\ud800", 1);

    assertThatThrownBy(() -> CanonicalJson.encode(value))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessage(
            "canonical JSON needs valid Unicode, found an unpaired surrogate in a string at $.k.x[1]");
    // a key is reported at the path of its object
    assertThatThrownBy(() -> CanonicalJson.encode(key))
        .isInstanceOf(MalformedJsonException.class)
        .hasMessageEndingWith(" at $.k");
  }

  @Test
  void testEncode_writesEveryCharacterAsUtf8() throws Exception {
    ObjectNode doc = NODES.objectNode().put("s", "a\"b\\c é € \ud83d\ude00 \u0001");

    assertThat(new String(CanonicalJson.encode(doc), StandardCharsets.UTF_8))
        .isEqualTo("{\"s\":\"a\\\"b\\\\c é € \ud83d\ude00 \u0001\"}");
  }

  @Test
  void testAsJson_escapesControlCharactersOnly() throws Exception {
    byte[] plain = CanonicalJson.encode(NODES.objectNode().put("s", "é\"x"));
    byte[] controls = CanonicalJson.encode(NODES.objectNode().put("s", "a\n\u0000\u001fé"));

    assertThat(CanonicalJson.asJson(plain)).isSameAs(plain);
    assertThat(new String(CanonicalJson.asJson(controls), StandardCharsets.UTF_8))
        .isEqualTo("{\"s\":\"a\\u000a\\u0000\\u001fé\"}");
    assertThat(CanonicalJson.asJson(controls))
        .isEqualTo(CanonicalJson.encodeAsJson(StrictJson.parse(CanonicalJson.asJson(controls))));
  }
}
