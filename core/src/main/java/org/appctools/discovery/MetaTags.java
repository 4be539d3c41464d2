package org.appctools.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code ac-*} meta tags of an HTML page, read the way the Go reference reads them (its
 * {@code extractACMeta} over {@code golang.org/x/net/html}'s tokenizer): every {@code <meta>}
 * start or self-closing tag anywhere in the page, tag and attribute names case-insensitive,
 * attributes in any order, values in double, single or no quotes with character references
 * decoded; nothing inside comments, {@code <!...>} and {@code <?...>} declarations, or the raw text of
 * {@code script}, {@code style}, {@code title}, {@code textarea} and the like; a tag cut off by the
 * end of the page is dropped. A tag counts when its {@code name} starts with {@code ac-} and its
 * {@code content}, trimmed, is a prefix, one space, and a non-empty URL (also trimmed).
 */
final class MetaTags {
  /** One tag: {@code name} as written (e.g. {@code ac-discovery}), the prefix, the URL or template. */
  record Meta(String name, String prefix, String uri) {}

  private static final List<String> RAW_TEXT =
      List.of("iframe", "noembed", "noframes", "noscript", "plaintext", "script", "style", "textarea", "title", "xmp");

  private final String html;
  private int pos;

  private MetaTags(String html) {
    this.html = html;
  }

  static List<Meta> parse(String html) {
    return new MetaTags(html).metas();
  }

  private List<Meta> metas() {
    List<Meta> found = new ArrayList<>();
    int n = html.length();
    while (true) {
      int lt = html.indexOf('<', pos);
      if (lt < 0 || lt + 1 >= n) {
        return found;
      }
      pos = lt + 1;
      char c = html.charAt(pos);
      if (html.startsWith("!--", pos)) {
        int end = html.indexOf("-->", pos + 3);
        pos = end < 0 ? n : end + 3;
      } else if (c == '!' || c == '?' || c == '/') {
        int end = html.indexOf('>', pos);
        pos = end < 0 ? n : end + 1;
      } else if (isAsciiLetter(c)) {
        List<String[]> attrs = new ArrayList<>();
        String tag = readTag(attrs);
        if (tag == null) {
          return found;
        }
        if (tag.equals("meta")) {
          Meta m = meta(attrs);
          if (m != null) {
            found.add(m);
          }
        } else if (tag.equals("plaintext")) {
          return found;
        } else if (RAW_TEXT.contains(tag)) {
          skipRawText(tag);
        }
      }
    }
  }

  /** Go's {@code appendMeta}: the last name and the last well-formed content win. */
  private static Meta meta(List<String[]> attrs) {
    String name = "";
    String prefix = "";
    String uri = "";
    for (String[] a : attrs) {
      if (a[0].equals("name")) {
        name = a[1];
      } else if (a[0].equals("content")) {
        String content = a[1].strip();
        int space = content.indexOf(' ');
        if (space >= 0) {
          prefix = content.substring(0, space);
          uri = content.substring(space + 1).strip();
        }
      }
    }
    return name.startsWith("ac-") && !prefix.isEmpty() && !uri.isEmpty() ? new Meta(name, prefix, uri) : null;
  }

  /** Reads a start tag from its name on; null when the page ends inside it. */
  private String readTag(List<String[]> attrs) {
    int n = html.length();
    int start = pos;
    while (pos < n && !isSpace(html.charAt(pos)) && html.charAt(pos) != '/' && html.charAt(pos) != '>') {
      pos++;
    }
    String tag = html.substring(start, pos).toLowerCase(Locale.ROOT);
    skipSpace();
    while (true) {
      if (pos >= n) {
        return null;
      }
      if (html.charAt(pos) == '>') {
        pos++;
        return tag;
      }
      int keyStart = pos;
      if (html.charAt(pos) == '/') {
        pos++;
      } else {
        while (pos < n && !isSpace(html.charAt(pos)) && html.charAt(pos) != '/' && html.charAt(pos) != '=' && html.charAt(pos) != '>') {
          pos++;
        }
      }
      String key = html.substring(keyStart, pos).toLowerCase(Locale.ROOT);
      String value = readValue();
      if (pos > n) {
        return null;
      }
      if (!key.isEmpty() && !key.equals("/")) {
        attrs.add(new String[] {key, unescape(value.replace("\r\n", "\n").replace('\r', '\n'))});
      }
      skipSpace();
    }
  }

  /** An attribute's value after its key: "" when there is no {@code =}. */
  private String readValue() {
    int n = html.length();
    int mark = pos;
    skipSpace();
    if (pos >= n || html.charAt(pos) != '=') {
      pos = mark;
      return "";
    }
    pos++;
    skipSpace();
    if (pos >= n) {
      return "";
    }
    char q = html.charAt(pos);
    if (q == '>') {
      return "";
    }
    if (q == '"' || q == '\'') {
      int end = html.indexOf(q, pos + 1);
      if (end < 0) {
        pos = n + 1;
        return "";
      }
      String v = html.substring(pos + 1, end);
      pos = end + 1;
      return v;
    }
    int start = pos;
    while (pos < n && !isSpace(html.charAt(pos)) && html.charAt(pos) != '>') {
      pos++;
    }
    return html.substring(start, pos);
  }

  /** Skips the raw text of {@code tag} up to its end tag {@code </tag} followed by space, / or >. */
  private void skipRawText(String tag) {
    int n = html.length();
    String lower = html.toLowerCase(Locale.ROOT);
    int from = pos;
    while (true) {
      int end = lower.indexOf("</" + tag, from);
      if (end < 0) {
        pos = n;
        return;
      }
      int after = end + 2 + tag.length();
      if (after >= n || isSpace(html.charAt(after)) || html.charAt(after) == '/' || html.charAt(after) == '>') {
        pos = end;
        return;
      }
      from = after;
    }
  }

  private void skipSpace() {
    while (pos < html.length() && isSpace(html.charAt(pos))) {
      pos++;
    }
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /**
   * Decodes the character references a URL in an attribute may hold: {@code &amp; &lt; &gt;
   * &quot; &apos;}, decimal and hex ones; others stay as written.
   */
  static String unescape(String s) {
    int amp = s.indexOf('&');
    if (amp < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    int i = 0;
    while (amp >= 0) {
      b.append(s, i, amp);
      int semi = s.indexOf(';', amp);
      String ref = semi < 0 ? null : s.substring(amp + 1, semi);
      String decoded = ref == null ? null : decode(ref);
      if (decoded == null) {
        b.append('&');
        i = amp + 1;
      } else {
        b.append(decoded);
        i = semi + 1;
      }
      amp = s.indexOf('&', i);
    }
    return b.append(s, i, s.length()).toString();
  }

  private static String decode(String ref) {
    switch (ref) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return "\"";
      case "apos":
        return "'";
      default:
        break;
    }
    if (ref.length() < 2 || ref.charAt(0) != '#') {
      return null;
    }
    boolean hex = ref.charAt(1) == 'x' || ref.charAt(1) == 'X';
    String digits = ref.substring(hex ? 2 : 1);
    try {
      int cp = Integer.parseInt(digits, hex ? 16 : 10);
      return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
