package org.appctools.cli.actool;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Runs every actool command once on a tiny image in a temporary directory, so that a JVM started
 * with {@code -XX:ArchiveClassesAtExit} records the classes real runs load. The build runs it at
 * package time to make {@code target/actool-cli.jsa}, which bin/actool passes to the JVM: every
 * later start skips loading and verifying those classes. Exits non-zero if a command failed.
 */
public final class CdsTraining {
  private CdsTraining() {}

  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("actool-cds-training");
    try {
      Path layout = Files.createDirectories(dir.resolve("layout"));
      Files.createDirectories(layout.resolve("rootfs/bin"));
      Files.writeString(layout.resolve("rootfs/bin/hello"), "#!/bin/sh\necho hello\n");
      Files.createSymbolicLink(layout.resolve("rootfs/bin/hi"), Path.of("hello"));
      Files.createLink(layout.resolve("rootfs/bin/hello2"), layout.resolve("rootfs/bin/hello"));
      Path manifest = layout.resolve("manifest");
      Files.writeString(manifest, "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/training\","
          + "\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}],"
          + "\"app\":{\"exec\":[\"/bin/hello\"],\"user\":\"0\",\"group\":\"0\","
          + "\"isolators\":[{\"name\":\"resource/memory\",\"value\":{\"limit\":\"1G\"}}]}}");
      String aci = dir.resolve("t.aci").toString();
      String store = "--store-dir=" + dir.resolve("store");
      String[][] commands = {
        {"build", layout.toString(), aci},
        {"validate", aci},
        {"validate", manifest.toString()},
        {"validate", layout.toString()},
        {"cat-manifest", "--pretty-print", aci},
        {"image-id", aci},
        {"patch-manifest", "--name=example.com/t2", "--isolators=resource/cpu,limit=1", "--replace", aci},
        {"build", "--overwrite", "--compression=xz", layout.toString(), aci},
        {"image-id", aci},
        {"build", "--overwrite", "--compression=zstd", layout.toString(), aci},
        {"validate", aci},
        {"build", "--overwrite", "--compression=bzip2", layout.toString(), aci},
        {"validate", aci},
        {"image", "import", store, aci},
        {"image", "list", store},
        {"image", "cat-manifest", store, "example.com/training"},
        {"image", "render", store, "example.com/training", dir.resolve("rendered").toString()},
        {"image", "verify", store, "example.com/training"},
        {"image", "rm", store, "example.com/training"},
        {"version"},
        {"help"},
      };
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      for (String[] command : commands) {
        int code = Actool.run(sink, sink, command);
        if (code != 0) {
          System.err.println("cds training: actool " + String.join(" ", command) + " exited " + code);
          System.exit(code);
        }
      }
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
