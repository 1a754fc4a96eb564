package org.warder.signing;

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
import java.util.Locale;

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
    write(node, out, "$", false);
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
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    write(node, out, "$", true);
    return out.toByteArray();
  }

  private static void write(
      JsonNode node, ByteArrayOutputStream out, String path, boolean escapeControls)
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
          writeString(name, out, path, escapeControls);
          out.write(':');
          write(node.get(name), out, path + "." + name, escapeControls);
        }
        out.write('}');
      }
      case ARRAY -> {
        out.write('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            out.write(',');
          }
          write(node.get(i), out, path + "[" + i + "]", escapeControls);
        }
        out.write(']');
      }
      case STRING -> writeString(node.textValue(), out, path, escapeControls);
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

  private static void writeString(
      String s, ByteArrayOutputStream out, String path, boolean escapeControls)
      throws MalformedJsonException {
    StringBuilder escaped = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (escapeControls && c < 0x20) {
        escaped.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
        continue;
      }
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
