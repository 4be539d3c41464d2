package org.appctools.cli.acbuild;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs a whole small acbuild session in a temporary directory, so that a JVM started with
 * {@code -XX:ArchiveClassesAtExit} records the classes real runs load. The build runs it at
 * package time to make {@code target/acbuild-cli.jsa}, which bin/acbuild passes to the JVM.
 * Exits non-zero if a command failed.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    // the start-up work of main(), which the commands below do not pass through
    Acbuild.warmUp(LabelCommand.class);
    Path dir = Files.createTempDirectory("acbuild-cds-training");
    try {
      Path work = Files.createDirectories(dir.resolve("work"));
      Path file = Files.writeString(dir.resolve("hello"), "#!/bin/sh\necho hello\n");
      Path isolator = Files.writeString(dir.resolve("memory.json"), "{\"limit\":\"1G\"}");
      String w = work.toString();
      String aci = dir.resolve("t.aci").toString();
      Path ctx = Files.createDirectories(dir.resolve("ctx"));
      Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nARG V=1\nENV V=$V\nCOPY hello /bin/hello\n"
          + "WORKDIR /srv\nEXPOSE 80\nCMD [\"/bin/hello\"]\n");
      Files.writeString(ctx.resolve(".dockerignore"), "*.tmp\n");
      Files.copy(file, ctx.resolve("hello"));
      String store = "--store-dir=" + dir.resolve("store");
      String built = dir.resolve("built.aci").toString();
      String[][] commands = {
        // a Dockerfile built twice: every step run, then every step from the cache
        {store, "build", "--tag", "example.com/training:1.0", "-o", built, ctx.toString()},
        {store, "build", "--tag", "example.com/training:1.0", "-o", built, "--overwrite", ctx.toString()},
        {"--work-path", w, "begin"},
        {"--work-path", w, "set-name", "example.com/training"},
        {"--work-path", w, "copy", file.toString(), "/bin/hello"},
        {"--work-path", w, "copy-to-dir", file.toString(), "/opt"},
        {"--work-path", w, "set-exec", "--", "/bin/hello", "world"},
        {"--work-path", w, "set-user", "0"},
        {"--work-path", w, "set-group", "0"},
        {"--work-path", w, "label", "add", "version", "1.0"},
        {"--work-path", w, "label", "remove", "version"},
        {"--work-path", w, "annotation", "add", "authors", "training"},
        {"--work-path", w, "environment", "add", "FOO", "bar"},
        {"--work-path", w, "mount", "add", "data", "/data"},
        {"--work-path", w, "port", "add", "http", "tcp", "80"},
        {"--work-path", w, "isolator", "add", "resource/memory", isolator.toString()},
        {"--work-path", w, "dependency", "add", "example.com/base:1.0"},
        {"--work-path", w, "dependency", "remove", "example.com/base"},
        {"--work-path", w, "cat-manifest", "--pretty-print"},
        {"--work-path", w, "write", aci},
        {"--work-path", w, "end"},
        // the OCI build mode's classes (OciBuild, OciImage, LayerDiff, the layout writer)
        {"--work-path", w, "begin", "--build-mode", "oci"},
        {"--work-path", w, "copy", file.toString(), "/bin/hello"},
        {"--work-path", w, "layer"},
        {"--work-path", w, "set-exec", "--", "/bin/hello", "world"},
        {"--work-path", w, "set-tag", "training"},
        {"--work-path", w, "write", dir.resolve("t.oci.tar").toString()},
        {"--work-path", w, "end"},
        {"version"},
        {"help"},
      };
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      for (String[] command : commands) {
        int code = Acbuild.run(new ByteArrayInputStream(new byte[0]), sink, sink, command);
        if (code != 0) {
          System.err.println("cds training: acbuild " + String.join(" ", command) + " exited " + code);
          System.exit(code);
        }
      }
      // run's command line (a bad engine: exit 3 before anything runs; the build needs no root)
      Acbuild.run(new ByteArrayInputStream(new byte[0]), sink, sink, "--work-path", w, "run", "--engine", "training", "--", "true");
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
