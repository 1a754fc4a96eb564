package org.warder.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Typed cells: JSON numbers, booleans, null and arrays; their text in tables and -h. */
class TableTest {
  static Table table() {
    return new Table("NAME", "SIZE", "OFFICIAL", "JID", "FILES")
        .row("www", 1024L, true, Optional.empty(), List.of("base.txz", "lib32.txz"))
        .row("db", 7, false, Optional.of(3L), List.of());
  }

  static String print(Table t, boolean scripted, boolean json) {
    StringWriter out = new StringWriter();
    t.print(new PrintWriter(out), scripted, json);
    return out.toString();
  }

  @Test
  void testJson_typedValues() throws Exception {
    JsonNode rows = new ObjectMapper().readTree(print(table(), false, true));
    assertThat(rows.get(0).get("name").isTextual()).isTrue();
    assertThat(rows.get(0).get("size").isIntegralNumber()).isTrue();
    assertThat(rows.get(0).get("size").longValue()).isEqualTo(1024);
    assertThat(rows.get(0).get("official").isBoolean()).isTrue();
    assertThat(rows.get(0).get("jid").isNull()).isTrue();
    assertThat(rows.get(0).get("files").get(1).textValue()).isEqualTo("lib32.txz");
    assertThat(rows.get(1).get("jid").longValue()).isEqualTo(3);
    assertThat(rows.get(1).get("official").booleanValue()).isFalse();
  }

  @Test
  void testText_dashForNoneAndCommasForLists() {
    assertThat(print(table(), true, false))
        .isEqualTo("www\t1024\ttrue\t-\tbase.txz,lib32.txz\ndb\t7\tfalse\t3\t\n");
    assertThat(print(table(), false, false).lines().findFirst().orElseThrow())
        .isEqualTo("NAME  SIZE  OFFICIAL  JID  FILES");
  }

  @Test
  void testRow_refusesUntypedCells() {
    assertThatThrownBy(() -> new Table("A").row(1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("found java.lang.Double");
  }
}
