package org.appctools.build.file;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.appctools.AppcException;

/**
 * Docker's word processing of instruction arguments ({@code shell_parser.go}): single quotes
 * keep everything, double quotes keep all but {@code $} and the escapes of {@code "}, {@code $}
 * and the escape character, the escape character outside quotes keeps the next character, and
 * variables are substituted: {@code $NAME}, {@code ${NAME}}, {@code ${NAME:-word}} (word when
 * unset or empty), {@code ${NAME-word}} (when unset), {@code ${NAME:+word}} (word when set and not
 * empty), {@code ${NAME+word}} (when set), {@code ${NAME:?message}} and {@code ${NAME?message}}
 * (an error naming the line). An unset variable is empty. Other modifiers ({@code #}, {@code %},
 * {@code /}) are refused with the line.
 */
public final class ShellLex {
  private final char escape;

  /** A lexer with the Dockerfile's escape character. */
  public ShellLex(char escape) {
    this.escape = escape;
  }

  /** The single word {@code text} with quotes removed and variables substituted. */
  public String word(String text, Map<String, String> vars, String where) throws AppcException {
    List<String> w = process(text, vars, where, false);
    return w.isEmpty() ? "" : w.get(0);
  }

  /** {@code text} split into words at unquoted whitespace, each processed as {@link #word}. */
  public List<String> words(String text, Map<String, String> vars, String where) throws AppcException {
    return process(text, vars, where, true);
  }

  private List<String> process(String text, Map<String, String> vars, String where, boolean split)
      throws AppcException {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (split && Character.isWhitespace(c)) {
        if (inWord) {
          out.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      inWord = true;
      if (c == '\'') {
        int end = text.indexOf('\'', i + 1);
        if (end < 0) {
          throw new AppcException(where + ": unexpected end of statement while looking for matching single-quote in " + text);
        }
        cur.append(text, i + 1, end);
        i = end + 1;
      } else if (c == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw new AppcException(where + ": unexpected end of statement while looking for matching double-quote in " + text);
          }
          char d = text.charAt(i);
          if (d == '"') {
            i++;
            break;
          }
          if (d == escape && i + 1 < n) {
            char e = text.charAt(i + 1);
            if (e == '"' || e == '$' || e == escape) {
              cur.append(e);
              i += 2;
              continue;
            }
            cur.append(d);
            i++;
            continue;
          }
          if (d == '$') {
            i = dollar(text, i, vars, where, cur);
            continue;
          }
          cur.append(d);
          i++;
        }
      } else if (c == escape) {
        if (i + 1 < n) {
          cur.append(text.charAt(i + 1));
        }
        i += 2;
      } else if (c == '$') {
        i = dollar(text, i, vars, where, cur);
      } else {
        cur.append(c);
        i++;
      }
    }
    if (inWord || !split) {
      out.add(cur.toString());
    }
    return out;
  }

  /** Substitutes the variable at {@code text[i] == '$'} into {@code cur}; returns the index after it. */
  private int dollar(String text, int i, Map<String, String> vars, String where, StringBuilder cur)
      throws AppcException {
    int n = text.length();
    if (i + 1 >= n) {
      cur.append('$');
      return i + 1;
    }
    char c = text.charAt(i + 1);
    if (c != '{') {
      int j = i + 1;
      while (j < n && isNameChar(text.charAt(j), j == i + 1)) {
        j++;
      }
      if (j == i + 1) {
        cur.append('$');
        return i + 1;
      }
      String v = vars.get(text.substring(i + 1, j));
      cur.append(v == null ? "" : v);
      return j;
    }
    int j = i + 2;
    while (j < n && isNameChar(text.charAt(j), j == i + 2)) {
      j++;
    }
    String name = text.substring(i + 2, j);
    if (name.isEmpty()) {
      throw new AppcException(where + ": bad substitution in " + text + " (a variable name must follow ${)");
    }
    if (j >= n) {
      throw new AppcException(where + ": missing '}' in " + text);
    }
    String value = vars.get(name);
    char m = text.charAt(j);
    if (m == '}') {
      cur.append(value == null ? "" : value);
      return j + 1;
    }
    boolean colon = m == ':';
    int op = colon ? j + 1 : j;
    if (op >= n) {
      throw new AppcException(where + ": missing '}' in " + text);
    }
    char o = text.charAt(op);
    if (o != '-' && o != '+' && o != '?') {
      throw new AppcException(where + ": unsupported modifier (" + (colon ? ":" : "") + o + ") in substitution ${"
          + name + "...} (supported: :- - :+ + :? ?)");
    }
    int end = closing(text, op + 1, where);
    String raw = text.substring(op + 1, end);
    boolean set = value != null && (!colon || !value.isEmpty());
    switch (o) {
      case '-' -> cur.append(set ? value : word(raw, vars, where));
      case '+' -> cur.append(set ? word(raw, vars, where) : "");
      default -> {
        if (!set) {
          String msg = word(raw, vars, where);
          throw new AppcException(where + ": " + name + ": " + (msg.isEmpty() ? "is not allowed to be unset" : msg));
        }
        cur.append(value);
      }
    }
    return end + 1;
  }

  /** The index of the {@code }} that closes a substitution whose word starts at {@code from}. */
  private int closing(String text, int from, String where) throws AppcException {
    int depth = 0;
    for (int k = from; k < text.length(); k++) {
      char c = text.charAt(k);
      if (c == escape) {
        k++;
      } else if (c == '$' && k + 1 < text.length() && text.charAt(k + 1) == '{') {
        depth++;
        k++;
      } else if (c == '}') {
        if (depth == 0) {
          return k;
        }
        depth--;
      }
    }
    throw new AppcException(where + ": missing '}' in " + text);
  }

  private static boolean isNameChar(char c, boolean first) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9');
  }
}
