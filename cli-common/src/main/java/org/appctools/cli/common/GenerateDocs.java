package org.appctools.cli.common;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * Run at build time by each CLI module: writes the bash completion script and the man pages of
 * every tool named, from the tool's own command model, so that every command, including those
 * added later, is covered without a list kept by hand.
 *
 * <p>Usage: {@code GenerateDocs OUTPUT-DIR VERSION CLASS...}, where each class has a public static
 * {@code commandLine()} returning the tool's complete model. Writes {@code
 * OUTPUT-DIR/completion/TOOL.bash} (bash, and zsh after {@code bashcompinit}) and {@code
 * OUTPUT-DIR/man/man1/*.1}.
 */
public final class GenerateDocs {
  private GenerateDocs() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: GenerateDocs OUTPUT-DIR VERSION CLASS...");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    String version = args[1];
    for (int i = 2; i < args.length; i++) {
      write(model(args[i]), out, version);
    }
  }

  /** Writes the completion script and man pages of the tool {@code root} into {@code out}. */
  public static void write(CommandLine root, Path out, String version) throws IOException {
    String tool = root.getCommandName();
    Path completion = Files.createDirectories(out.resolve("completion"));
    Files.writeString(completion.resolve(tool + ".bash"), AutoComplete.bash(tool, root), StandardCharsets.UTF_8);
    Path man = Files.createDirectories(out.resolve("man/man1"));
    for (Map.Entry<String, String> page : ManPage.all(root, "appctools " + version).entrySet()) {
      Files.writeString(man.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
    }
  }

  private static CommandLine model(String className) throws ReflectiveOperationException {
    try {
      return (CommandLine) Class.forName(className).getMethod("commandLine").invoke(null);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(className + ".commandLine() failed", e.getCause());
    }
  }
}
