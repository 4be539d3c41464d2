package org.appctools.sign;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A secret key file of gpg-agent ({@code private-keys-v1.d/KEYGRIP.key}) as the canonical
 * S-expression BouncyCastle's {@code SExprParser} reads.
 *
 * <p>Files in the extended format (GnuPG 2.2.20 and later: {@code Name: value} lines, the key in
 * the {@code Key:} item, continued on lines that start with a space) hold the key in libgcrypt's
 * advanced S-expression syntax: tokens, {@code "quoted strings"} with C escapes, {@code #hex#} and
 * {@code |base64|}, with line breaks anywhere between them and inside hex and base64. GnuPG
 * writes binary data as a quoted string whenever its bytes look printable, as it often does for
 * the 8 bytes of a passphrase's salt; BouncyCastle's own reader of the format decodes such strings
 * as UTF-8 text and so failed on about one protected key in six. This reader keeps every byte.
 * Files in the older format already are a canonical S-expression and are returned as they are.
 */
final class GnupgKeyFile {
  private final byte[] in;
  private int pos;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private GnupgKeyFile(byte[] in) {
    this.in = in;
  }

  /** The canonical S-expression of the key in {@code file} (the bytes of a {@code .key} file). */
  static byte[] canonicalKey(byte[] file) throws IOException {
    if (file.length > 0 && file[0] == '(') {
      return file;
    }
    GnupgKeyFile r = new GnupgKeyFile(keyValue(file));
    r.skipSpace();
    r.expression();
    r.skipSpace();
    if (r.pos != r.in.length) {
      throw r.error("unexpected data after the key");
    }
    return r.out.toByteArray();
  }

  /** The value of the {@code Key:} item, its continuation lines joined by line breaks. */
  private static byte[] keyValue(byte[] file) throws IOException {
    String text = new String(file, StandardCharsets.ISO_8859_1);
    String[] lines = text.split("\n", -1);
    StringBuilder value = null;
    for (String line : lines) {
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      boolean continuation = !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
      if (value != null) {
        if (!continuation) {
          break;
        }
        value.append('\n').append(line);
      } else if (line.regionMatches(true, 0, "Key:", 0, 4)) {
        value = new StringBuilder(line.substring(4));
      }
    }
    if (value == null) {
      throw new IOException("key file: no Key: item");
    }
    return value.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private void expression() throws IOException {
    if (peek() != '(') {
      throw error("expected (");
    }
    pos++;
    out.write('(');
    while (true) {
      skipSpace();
      int c = peek();
      if (c == ')') {
        pos++;
        out.write(')');
        return;
      }
      if (c == '(') {
        expression();
      } else {
        atom();
      }
    }
  }

  private void atom() throws IOException {
    int c = peek();
    if (c == '[') { // a display hint, kept as one
      pos++;
      out.write('[');
      skipSpace();
      atom();
      skipSpace();
      if (peek() != ']') {
        throw error("expected ]");
      }
      pos++;
      out.write(']');
      skipSpace();
      atom();
      return;
    }
    if (c >= '0' && c <= '9') {
      int start = pos;
      while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
        pos++;
      }
      int next = pos < in.length ? in[pos] : -1;
      if (next == ':') { // a verbatim string: LENGTH:BYTES
        int length =
            Integer.parseInt(new String(in, start, pos - start, StandardCharsets.US_ASCII));
        pos++;
        if (length > in.length - pos) {
          throw error("verbatim string longer than the file");
        }
        emit(in, pos, length);
        pos += length;
        return;
      }
      if (next != '"' && next != '#' && next != '|') { // a token of digits
        pos = start;
      } // else a length before a string, which says nothing the string does not
      c = peek();
    }
    switch (c) {
      case '"' -> quoted();
      case '#' -> encoded('#', false);
      case '|' -> encoded('|', true);
      default -> token();
    }
  }

  private void token() throws IOException {
    int start = pos;
    while (pos < in.length && isTokenChar(in[pos])) {
      pos++;
    }
    if (pos == start) {
      throw error("unexpected character");
    }
    emit(in, start, pos - start);
  }

  private static boolean isTokenChar(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || "-./_:*+=".indexOf(b) >= 0;
  }

  /** {@code #hex#} or {@code |base64|}, white space inside ignored. */
  private void encoded(char end, boolean base64) throws IOException {
    pos++;
    StringBuilder digits = new StringBuilder();
    while (true) {
      if (pos >= in.length) {
        throw error("unterminated " + end + " string");
      }
      byte b = in[pos++];
      if (b == end) {
        break;
      }
      if (!isSpace(b)) {
        digits.append((char) b);
      }
    }
    byte[] bytes;
    try {
      if (base64) {
        bytes = Base64.getDecoder().decode(digits.toString());
      } else {
        if (digits.length() % 2 != 0) {
          throw error("odd number of hex digits");
        }
        bytes = java.util.HexFormat.of().parseHex(digits);
      }
    } catch (IllegalArgumentException e) {
      throw error("bad " + (base64 ? "base64" : "hex") + " string: " + e.getMessage());
    }
    emit(bytes, 0, bytes.length);
  }

  /**
   * A quoted string: its bytes as they are but for libgcrypt's escapes ({@code \b \t \v \n \f \r
   * \" \' \\}, three octal digits, {@code \x} and two hex digits, and a backslash before a line
   * break, dropped with the break and the continuation line's space). A raw line break inside
   * the quotes can only be the line wrapping of the file, so it and the one space after it are
   * dropped.
   */
  private void quoted() throws IOException {
    pos++;
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    while (true) {
      if (pos >= in.length) {
        throw error("unterminated quoted string");
      }
      byte b = in[pos++];
      if (b == '"') {
        break;
      }
      if (b == '\n') {
        if (pos < in.length && in[pos] == ' ') {
          pos++;
        }
        continue;
      }
      if (b != '\\') {
        s.write(b);
        continue;
      }
      if (pos >= in.length) {
        throw error("unterminated quoted string");
      }
      byte e = in[pos++];
      switch (e) {
        case 'b' -> s.write('\b');
        case 't' -> s.write('\t');
        case 'v' -> s.write(0x0b);
        case 'n' -> s.write('\n');
        case 'f' -> s.write('\f');
        case 'r' -> s.write('\r');
        case '"', '\'', '\\' -> s.write(e);
        case 'x' -> s.write(number(2, 16));
        case '\n' -> {
          if (pos < in.length && in[pos] == ' ') { // the file's continuation mark
            pos++;
          }
        }
        default -> {
          if (e >= '0' && e <= '7') {
            pos--;
            s.write(number(3, 8));
          } else {
            throw error("unknown escape \\" + (char) e);
          }
        }
      }
    }
    byte[] bytes = s.toByteArray();
    emit(bytes, 0, bytes.length);
  }

  private int number(int digits, int radix) throws IOException {
    if (pos + digits > in.length) {
      throw error("short escape");
    }
    try {
      int v = Integer.parseInt(new String(in, pos, digits, StandardCharsets.US_ASCII), radix);
      pos += digits;
      if (v > 0xff) {
        throw error("escape out of range");
      }
      return v;
    } catch (NumberFormatException e) {
      throw error("bad escape");
    }
  }

  private void emit(byte[] b, int off, int len) {
    out.writeBytes(Integer.toString(len).getBytes(StandardCharsets.US_ASCII));
    out.write(':');
    out.write(b, off, len);
  }

  private int peek() throws IOException {
    if (pos >= in.length) {
      throw error("unexpected end");
    }
    return in[pos] & 0xff;
  }

  private void skipSpace() {
    while (pos < in.length && isSpace(in[pos])) {
      pos++;
    }
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == 0x0b;
  }

  private IOException error(String what) {
    return new IOException("key file: " + what + " at offset " + pos + " of the key");
  }
}
