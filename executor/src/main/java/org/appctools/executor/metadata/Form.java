package org.appctools.executor.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The fields of a POSTed form, read as Go's {@code Request.FormValue} reads them for rkt: the body
 * when it is {@code application/x-www-form-urlencoded} or {@code multipart/form-data} (file parts
 * skipped), then the URL's query; the first value of a name wins. Values are the raw bytes after
 * percent-decoding, so an HMAC covers exactly what the client sent.
 */
final class Form {
  /** RFC 2046's limit; it also bounds the cost of searching for the boundary. */
  private static final int MAX_BOUNDARY = 70;

  /** A body or query that cannot be decoded. */
  static final class MalformedFormException extends Exception {
    MalformedFormException(String message) {
      super(message);
    }
  }

  private final Map<String, byte[]> fields;

  private Form(Map<String, byte[]> fields) {
    this.fields = fields;
  }

  /** The first value of {@code name}, or null. */
  byte[] value(String name) {
    return fields.get(name);
  }

  /**
   * Reads the fields of {@code body} (of the request's {@code contentType}, may be null) and of
   * {@code rawQuery} (may be null).
   */
  static Form parse(String contentType, byte[] body, String rawQuery) throws MalformedFormException {
    Map<String, byte[]> fields = new HashMap<>();
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (mediaType.equals("application/x-www-form-urlencoded")) {
      urlEncoded(body, fields);
    } else if (mediaType.equals("multipart/form-data")) {
      multipart(body, boundary(contentType), fields);
    }
    if (rawQuery != null) {
      urlEncoded(rawQuery.getBytes(StandardCharsets.ISO_8859_1), fields);
    }
    return new Form(fields);
  }

  private static void urlEncoded(byte[] text, Map<String, byte[]> fields) throws MalformedFormException {
    int start = 0;
    while (start <= text.length) {
      int end = indexOf(text, (byte) '&', start, text.length);
      if (end < 0) {
        end = text.length;
      }
      if (end > start) {
        int eq = indexOf(text, (byte) '=', start, end);
        int keyEnd = eq >= 0 ? eq : end;
        String key = new String(unescape(text, start, keyEnd), StandardCharsets.UTF_8);
        byte[] value = keyEnd == end ? new byte[0] : unescape(text, keyEnd + 1, end);
        fields.putIfAbsent(key, value);
      }
      start = end + 1;
    }
  }

  /** Percent-decoding with {@code +} as a space, as Go's {@code url.QueryUnescape}. */
  private static byte[] unescape(byte[] text, int from, int to) throws MalformedFormException {
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      byte b = text[i];
      if (b == '+') {
        out[n++] = ' ';
      } else if (b == '%') {
        int hi = i + 2 < to ? Character.digit(text[i + 1], 16) : -1;
        int lo = hi >= 0 ? Character.digit(text[i + 2], 16) : -1;
        if (lo < 0) {
          throw new MalformedFormException("invalid percent escape in the form");
        }
        out[n++] = (byte) (hi << 4 | lo);
        i += 2;
      } else {
        out[n++] = b;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static String boundary(String contentType) throws MalformedFormException {
    String boundary = parameter(contentType, "boundary");
    if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
      throw new MalformedFormException("multipart form without a boundary of 1 to " + MAX_BOUNDARY + " characters");
    }
    return boundary;
  }

  private static void multipart(byte[] body, String boundary, Map<String, byte[]> fields) throws MalformedFormException {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[] nextDelimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw new MalformedFormException("multipart form without its boundary");
    }
    at += delimiter.length;
    while (true) {
      if (startsWith(body, at, "--")) {
        return;
      }
      if (!startsWith(body, at, "\r\n")) {
        throw new MalformedFormException("malformed multipart boundary line");
      }
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
      int partEnd = headersEnd < 0 ? -1 : indexOf(body, nextDelimiter, headersEnd + 4);
      if (partEnd < 0) {
        throw new MalformedFormException("truncated multipart form");
      }
      String disposition = null;
      String headers = headersEnd == at ? "" : new String(body, at + 2, headersEnd - at - 2, StandardCharsets.UTF_8);
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
          disposition = line.substring(colon + 1);
        }
      }
      String name = disposition == null ? null : parameter(disposition, "name");
      if (name != null && parameter(disposition, "filename") == null) {
        fields.putIfAbsent(name, Arrays.copyOfRange(body, headersEnd + 4, partEnd));
      }
      at = partEnd + nextDelimiter.length;
    }
  }

  /** The value of parameter {@code name} in a header value such as {@code form-data; name="x"}. */
  private static String parameter(String header, String name) {
    String[] parts = header.split(";");
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
        String v = p.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
      }
    }
    return null;
  }

  private static boolean startsWith(byte[] data, int at, String prefix) {
    return at + prefix.length() <= data.length
        && Arrays.equals(data, at, at + prefix.length(), prefix.getBytes(StandardCharsets.ISO_8859_1), 0, prefix.length());
  }

  private static int indexOf(byte[] data, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    for (int i = from; i + pattern.length <= data.length; i++) {
      if (Arrays.equals(data, i, i + pattern.length, pattern, 0, pattern.length)) {
        return i;
      }
    }
    return -1;
  }
}
