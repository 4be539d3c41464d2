package org.appctools.build.file;

import java.util.List;
import java.util.Map;

/**
 * One instruction of a Dockerfile as written, before variable substitution.
 *
 * @param file the Dockerfile's name, for messages
 * @param line the line the instruction starts on (1-based)
 * @param keyword the instruction in upper case ({@code RUN}, {@code COPY}...)
 * @param flags the leading {@code --name=value} flags in order ({@code --name} alone has the value
 *     {@code null})
 * @param text the arguments after the flags as one line (continuations joined, the escape and
 *     newline removed), for the shell form
 * @param json the arguments of the exec form (a JSON array of strings), or null for the shell form
 */
public record Instruction(String file, int line, String keyword, Map<String, String> flags,
    String text, List<String> json) {
  public Instruction {
    flags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(flags));
    json = json == null ? null : List.copyOf(json);
  }

  /** {@code Dockerfile:12}, the prefix of every message about this instruction. */
  public String where() {
    return file + ":" + line;
  }

  /** The instruction as written on one line, e.g. {@code COPY --chown=1:1 a /b}. */
  public String display() {
    StringBuilder b = new StringBuilder(keyword);
    flags.forEach((k, v) -> b.append(" --").append(k).append(v == null ? "" : "=" + v));
    if (!text.isEmpty()) {
      b.append(' ').append(text);
    }
    return b.toString();
  }
}
