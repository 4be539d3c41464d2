package org.appctools.cli.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A man page (troff, section 1) of one command, written from its picocli model: NAME, SYNOPSIS,
 * DESCRIPTION, ARGUMENTS, OPTIONS, COMMANDS, EXAMPLES (the help's footer) and SEE ALSO. The page
 * of {@code actool image list} is {@code actool-image-list.1}.
 */
public final class ManPage {
  private ManPage() {}

  /** The page's file name: {@code actool-image-list.1}. */
  public static String fileName(CommandLine c) {
    return pageName(c) + ".1";
  }

  /** The page's title: {@code actool-image-list}. */
  static String pageName(CommandLine c) {
    return c.getCommandSpec().qualifiedName("-");
  }

  /** The troff text of {@code c}'s page; {@code source} is the footer's "what made it" ({@code appctools 0.1.0}). */
  public static String of(CommandLine c, String source) {
    CommandSpec spec = c.getCommandSpec();
    Help help = new Help(spec, Help.defaultColorScheme(Ansi.OFF));
    StringBuilder t = new StringBuilder();
    String page = pageName(c);
    t.append(".TH \"").append(escape(page.toUpperCase(java.util.Locale.ROOT))).append("\" \"1\" \"\" \"")
        .append(escape(source)).append("\" \"User Commands\"\n");
    t.append(".SH NAME\n").append(escape(page)).append(" \\- ").append(escape(summary(spec))).append('\n');

    t.append(".SH SYNOPSIS\n.nf\n");
    for (String line : help.synopsis(0).strip().split("\n")) {
      t.append(escapeLine(line)).append('\n');
    }
    t.append(".fi\n");

    List<String> description = Arrays.asList(spec.usageMessage().description());
    if (!description.isEmpty()) {
      t.append(".SH DESCRIPTION\n");
      paragraphs(t, description);
    }

    List<PositionalParamSpec> positionals = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
    if (!positionals.isEmpty()) {
      t.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : positionals) {
        t.append(".TP\n\\fI").append(escape(p.paramLabel())).append("\\fR\n");
        t.append(escapeLine(text(p.description(), p.defaultValueString(), p.completionCandidates()))).append('\n');
      }
    }

    List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
    if (!options.isEmpty()) {
      t.append(".SH OPTIONS\n");
      for (OptionSpec o : options) {
        t.append(".TP\n").append(optionNames(o)).append('\n');
        t.append(escapeLine(text(o.description(), o.defaultValueString(), o.completionCandidates()))).append('\n');
      }
    }

    List<CommandLine> subs = subcommands(c);
    if (!subs.isEmpty()) {
      t.append(".SH COMMANDS\n");
      for (CommandLine sub : subs) {
        t.append(".TP\n").append(commandNames(sub)).append('\n')
            .append(escapeLine(sentence(summary(sub.getCommandSpec())))).append(" See \\fB")
            .append(escape(pageName(sub))).append("\\fR(1).\n");
      }
    }

    String[] footer = spec.usageMessage().footer();
    if (footer.length > 0) {
      t.append(".SH EXAMPLES\n.nf\n");
      for (String line : footer) {
        t.append(escapeLine(line.stripLeading().isEmpty() ? "" : line.replaceFirst("^  ", ""))).append('\n');
      }
      t.append(".fi\n");
    }

    List<String> seeAlso = new ArrayList<>();
    if (c.getParent() != null) {
      seeAlso.add("\\fB" + escape(pageName(c.getParent())) + "\\fR(1)");
    }
    subs.forEach(sub -> seeAlso.add("\\fB" + escape(pageName(sub)) + "\\fR(1)"));
    if (!seeAlso.isEmpty()) {
      t.append(".SH SEE ALSO\n").append(String.join(", ", seeAlso)).append('\n');
    }
    return t.toString();
  }

  /** The distinct subcommands (not their aliases, not {@code help}). */
  private static List<CommandLine> subcommands(CommandLine c) {
    return c.getSubcommands().values().stream().distinct()
        .filter(s -> !(s.getCommand() instanceof HelpCommand)).toList();
  }

  /** {@code \fBremove\fR, \fBrm\fR}: the command's name and aliases in bold. */
  private static String commandNames(CommandLine c) {
    List<String> names = new ArrayList<>(List.of(c.getCommandName()));
    names.addAll(Arrays.asList(c.getCommandSpec().aliases()));
    return names.stream().map(n -> "\\fB" + escape(n) + "\\fR").collect(Collectors.joining(", "));
  }

  /** The first line of the description. */
  static String summary(CommandSpec spec) {
    String[] d = spec.usageMessage().description();
    return d.length == 0 ? "" : Help.Ansi.OFF.string(d[0]).strip();
  }

  /** {@code s} ending in a full stop. */
  private static String sentence(String s) {
    return s.isEmpty() || s.endsWith(".") ? s : s + ".";
  }

  /**
   * Description lines as paragraphs: an empty line starts a new one, and indented lines (lists,
   * command lines) are kept as they are.
   */
  private static void paragraphs(StringBuilder t, List<String> lines) {
    boolean literal = false;
    for (String line : lines) {
      String plain = Help.Ansi.OFF.string(line.replace("%n", "\n"));
      for (String l : plain.split("\n", -1)) {
        boolean indented = l.startsWith(" ") && !l.isBlank();
        if (indented != literal) {
          t.append(indented ? ".nf\n" : ".fi\n");
          literal = indented;
        }
        t.append(l.isBlank() ? ".PP" : escapeLine(indented ? l : l.strip())).append('\n');
      }
    }
    if (literal) {
      t.append(".fi\n");
    }
  }

  private static String optionNames(OptionSpec o) {
    String names = Arrays.stream(o.names()).map(n -> "\\fB" + escape(n) + "\\fR").collect(Collectors.joining(", "));
    boolean takesValue = !o.typeInfo().isBoolean() && o.arity().max() > 0;
    return takesValue ? names + "=\\fI" + escape(o.paramLabel()) + "\\fR" : names;
  }

  /** The description with the variables picocli's help expands. */
  private static String text(String[] description, String defaultValue, Iterable<String> candidates) {
    String s = String.join(" ", description);
    s = s.replace("${DEFAULT-VALUE}", String.valueOf(defaultValue));
    if (candidates != null) {
      List<String> c = new ArrayList<>();
      candidates.forEach(c::add);
      s = s.replace("${COMPLETION-CANDIDATES}", String.join(", ", c));
    }
    return Help.Ansi.OFF.string(s.replace("%n", " ")).strip();
  }

  /** Escapes a text line and keeps it from being read as a request ('.' or '\'' first). */
  static String escapeLine(String s) {
    String e = escape(s);
    return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
  }

  /** Backslashes and hyphens as troff needs them. */
  static String escape(String s) {
    return s.replace("\\", "\\e").replace("-", "\\-");
  }

  /** Every page of the tool whose root is {@code root}, by file name. */
  public static Map<String, String> all(CommandLine root, String source) {
    Map<String, String> pages = new java.util.LinkedHashMap<>();
    for (CommandLine c : CommandTree.commands(root)) {
      pages.put(fileName(c), of(c, source));
    }
    return pages;
  }
}
