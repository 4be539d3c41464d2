package org.appctools.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One authentication challenge of a {@code WWW-Authenticate} header (RFC 7235): a scheme such as
 * {@code Bearer} or {@code Basic} and its parameters ({@code realm}, {@code service}, {@code
 * scope}), quoted strings and commas inside them handled. The Go docker2aci required exactly
 * three comma-separated parameters and so failed on realms with commas or extra parameters.
 *
 * @param scheme the scheme, lowercase
 * @param params the parameters, names lowercase
 */
public record Challenge(String scheme, Map<String, String> params) {
  public Challenge {
    params = Map.copyOf(params);
  }

  /** The challenges of a header value; empty if there are none. */
  public static List<Challenge> parse(String header) {
    List<Challenge> out = new ArrayList<>();
    if (header == null) {
      return out;
    }
    int i = 0;
    int n = header.length();
    String scheme = null;
    Map<String, String> params = new LinkedHashMap<>();
    while (i < n) {
      while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ',')) {
        i++;
      }
      int start = i;
      while (i < n && isToken(header.charAt(i))) {
        i++;
      }
      if (i == start) {
        i++; // a character that fits nowhere: skip it
        continue;
      }
      String word = header.substring(start, i);
      int j = i;
      while (j < n && header.charAt(j) == ' ') {
        j++;
      }
      if (j < n && header.charAt(j) == '=' && scheme != null) {
        j++;
        while (j < n && header.charAt(j) == ' ') {
          j++;
        }
        StringBuilder value = new StringBuilder();
        if (j < n && header.charAt(j) == '"') {
          j++;
          while (j < n && header.charAt(j) != '"') {
            if (header.charAt(j) == '\\' && j + 1 < n) {
              j++;
            }
            value.append(header.charAt(j++));
          }
          j++;
        } else {
          while (j < n && header.charAt(j) != ',' && header.charAt(j) != ' ') {
            value.append(header.charAt(j++));
          }
        }
        params.put(word.toLowerCase(Locale.ROOT), value.toString());
        i = j;
      } else {
        if (scheme != null) {
          out.add(new Challenge(scheme, params));
        }
        scheme = word.toLowerCase(Locale.ROOT);
        params = new LinkedHashMap<>();
      }
    }
    if (scheme != null) {
      out.add(new Challenge(scheme, params));
    }
    return out;
  }

  private static boolean isToken(char c) {
    return Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
  }
}
