package org.appctools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Convention C1: core never prints, never exits and knows nothing of the command lines. */
class CoreHygieneTest {
  private static final Path MAIN = Paths.get("src", "main", "java");

  private static final Pattern PICOCLI_IMPORT = Pattern.compile("^\\s*import\\s+(static\\s+)?picocli\\.", Pattern.MULTILINE);
  private static final Pattern CLI_IMPORT =
      Pattern.compile("^\\s*import\\s+(static\\s+)?org\\.appctools\\.([\\w.]*\\.)?cli[.;]", Pattern.MULTILINE);
  private static final Pattern EXIT = Pattern.compile("\\b(System|Runtime\\.getRuntime\\(\\))\\s*\\.\\s*(exit|halt)\\s*\\(");
  private static final Pattern PRINT = Pattern.compile("\\bSystem\\s*\\.\\s*(out|err)\\b");

  private static List<String> violations(Pattern p) throws IOException {
    assertThat(MAIN).as("run from the core module directory").isDirectory();
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(MAIN)) {
      for (Path f : files.filter(x -> x.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(f);
        if (p.matcher(text).find()) {
          found.add(MAIN.relativize(f).toString());
        }
      }
    }
    return found;
  }

  @Test
  void mainSources_importPicocli_none() throws IOException {
    assertThat(violations(PICOCLI_IMPORT)).isEmpty();
  }

  @Test
  void mainSources_importCliPackage_none() throws IOException {
    assertThat(violations(CLI_IMPORT)).isEmpty();
  }

  @Test
  void mainSources_callSystemExit_none() throws IOException {
    assertThat(violations(EXIT)).isEmpty();
  }

  @Test
  void mainSources_printToSystemOutOrErr_none() throws IOException {
    assertThat(violations(PRINT)).isEmpty();
  }

  @Test
  void patterns_knownViolations_match() {
    assertThat(PICOCLI_IMPORT.matcher("import picocli.CommandLine;").find()).isTrue();
    assertThat(CLI_IMPORT.matcher("import org.appctools.actool.cli.Main;").find()).isTrue();
    assertThat(CLI_IMPORT.matcher("import org.appctools.cli.Main;").find()).isTrue();
    assertThat(CLI_IMPORT.matcher("import org.appctools.client.Main;").find()).isFalse();
    assertThat(EXIT.matcher("System.exit(1);").find()).isTrue();
    assertThat(PRINT.matcher("System.out.println(x);").find()).isTrue();
    assertThat(PRINT.matcher("System.err.print(x);").find()).isTrue();
  }
}
