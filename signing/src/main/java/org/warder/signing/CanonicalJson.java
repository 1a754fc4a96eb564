package org.warder.signing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Canonical JSON exactly as securesystemslib's {@code encode_canonical} writes it for TUF: object
 * keys sorted by code point, no whitespace, only {@code "} and {@code \} escaped, every other
 * character written raw in UTF-8, integers only. Thread-safe.
 */
public final class CanonicalJson {
  /** Orders strings by Unicode code point, as Python sorts {@code str}. */
  static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  private CanonicalJson() {}

  /** The canonical UTF-8 bytes of {@code node}. */
  public static byte[] encode(JsonNode node) throws MalformedJsonException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      write(node, out);
    } catch (RefusedValue e) {
      throw new MalformedJsonException(e.message("$"));
    }
    return out.toByteArray();
  }

  /**
   * The canonical form of {@code node} made valid JSON: as {@link #encode}, except that control
   * characters (U+0000 to U+001F), which canonical JSON writes raw and JSON forbids raw, are
   * written as JSON's six-character escapes (a backslash, {@code u}, four hex digits). The same
   * bytes as {@link #encode} for text without them. For files that other readers (warder's strict
   * reader, python-tuf, tuf-js) must read; signatures cover {@link #encode}.
   */
  public static byte[] encodeAsJson(JsonNode node) throws MalformedJsonException {
    return asJson(encode(node));
  }

  /**
   * Canonical bytes (from {@link #encode}) made valid JSON, as {@link #encodeAsJson} writes them:
   * canonical JSON has no whitespace, so every byte below 0x20 is a control character in a string,
   * and none is part of a longer UTF-8 sequence. Returns {@code canonical} itself when it has none.
   */
  public static byte[] asJson(byte[] canonical) {
    int controls = 0;
    for (byte b : canonical) {
      if (b >= 0 && b < 0x20) {
        controls++;
      }
    }
    if (controls == 0) {
      return canonical;
    }
    byte[] out = new byte[canonical.length + 5 * controls];
    int o = 0;
    for (byte b : canonical) {
      if (b >= 0 && b < 0x20) {
        out[o++] = '\\';
        out[o++] = 'u';
        out[o++] = '0';
        out[o++] = '0';
        out[o++] = (byte) HEX[b >> 4];
        out[o++] = (byte) HEX[b & 0xf];
      } else {
        out[o++] = b;
      }
    }
    return out;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static void write(JsonNode node, ByteArrayOutputStream out) throws RefusedValue {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>(node.size());
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
        names.sort(CODE_POINT_ORDER);
        out.write('{');
        boolean first = true;
        for (String name : names) {
          if (!first) {
            out.write(',');
          }
          first = false;
          writeString(name, out);
          out.write(':');
          try {
            write(node.get(name), out);
          } catch (RefusedValue e) {
            throw e.under("." + name);
          }
        }
        out.write('}');
      }
      case ARRAY -> {
        out.write('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.write(',');
          }
          try {
            write(node.get(i), out);
          } catch (RefusedValue e) {
            throw e.under("[" + i + "]");
          }
        }
        out.write(']');
      }
      case STRING -> writeString(node.textValue(), out);
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new RefusedValue("canonical JSON allows only integers, found " + node.asText());
        }
        writeAscii(node.bigIntegerValue().toString(), out);
      }
      case BOOLEAN -> writeAscii(node.booleanValue() ? "true" : "false", out);
      case NULL -> writeAscii("null", out);
      default ->
          throw new RefusedValue(
              "canonical JSON cannot represent a " + node.getNodeType() + " value");
    }
  }

  /** {@code s} quoted, only {@code "} and {@code \} escaped, in UTF-8. */
  private static void writeString(String s, ByteArrayOutputStream out) throws RefusedValue {
    out.write('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '"') {
        out.write('\\');
        out.write(c);
      } else if (c < 0x80) {
        out.write(c);
      } else if (c < 0x800) {
        out.write(0xc0 | (c >> 6));
        out.write(0x80 | (c & 0x3f));
      } else if (!Character.isSurrogate(c)) {
        out.write(0xe0 | (c >> 12));
        out.write(0x80 | ((c >> 6) & 0x3f));
        out.write(0x80 | (c & 0x3f));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        out.write(0xf0 | (cp >> 18));
        out.write(0x80 | ((cp >> 12) & 0x3f));
        out.write(0x80 | ((cp >> 6) & 0x3f));
        out.write(0x80 | (cp & 0x3f));
      } else {
        throw new RefusedValue(
            "canonical JSON needs valid Unicode, found an unpaired surrogate in a string");
      }
    }
    out.write('"');
  }

  private static void writeAscii(String s, ByteArrayOutputStream out) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
