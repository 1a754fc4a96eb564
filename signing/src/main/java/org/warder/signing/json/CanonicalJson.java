package org.warder.signing.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
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
    write(node, out, "$");
    return out.toByteArray();
  }

  private static void write(JsonNode node, ByteArrayOutputStream out, String path)
      throws MalformedJsonException {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<String> names = new ArrayList<>();
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
          writeString(name, out, path);
          out.write(':');
          write(node.get(name), out, path + "." + name);
        }
        out.write('}');
      }
      case ARRAY -> {
        out.write('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.write(',');
          }
          write(node.get(i), out, path + "[" + i + "]");
        }
        out.write(']');
      }
      case STRING -> writeString(node.textValue(), out, path);
      case NUMBER -> {
        if (!node.isIntegralNumber()) {
          throw new MalformedJsonException(
              "canonical JSON allows only integers, found " + node.asText() + " at " + path);
        }
        writeAscii(node.bigIntegerValue().toString(), out);
      }
      case BOOLEAN -> writeAscii(node.booleanValue() ? "true" : "false", out);
      case NULL -> writeAscii("null", out);
      default ->
          throw new MalformedJsonException(
              "canonical JSON cannot represent a " + node.getNodeType() + " value at " + path);
    }
  }

  private static void writeString(String s, ByteArrayOutputStream out, String path)
      throws MalformedJsonException {
    StringBuilder escaped = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' || c == '"') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    escaped.append('"');
    CharsetEncoder encoder =
        StandardCharsets.UTF_8
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    try {
      ByteBuffer bytes = encoder.encode(CharBuffer.wrap(escaped));
      out.write(bytes.array(), bytes.arrayOffset(), bytes.remaining());
    } catch (CharacterCodingException e) {
      throw new MalformedJsonException(
          "canonical JSON needs valid Unicode, found an unpaired surrogate in a string at " + path,
          e);
    }
  }

  private static void writeAscii(String s, ByteArrayOutputStream out) {
    out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
  }
}
