package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a pod could leave on the host, looked for after each test (issue 7, item 7): mounts under
 * a directory (in this process's mount namespace, the host's), pod cgroups under any hierarchy,
 * and processes whose command line names a directory.
 */
final class Leftovers {
  private Leftovers() {}

  /** Mount points at or under {@code dir}. */
  static List<String> mountsUnder(Path dir) throws IOException {
    String d = dir.toRealPath().toString();
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
      String mp = line.split(" ")[4].replace("\\040", " ");
      if (mp.equals(d) || mp.startsWith(d + "/")) {
        out.add(mp);
      }
    }
    return out;
  }

  /** The pod cgroups ({@code appctools/UUID}) under every hierarchy. */
  static List<Path> podCgroups() throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> roots = Files.newDirectoryStream(Path.of("/sys/fs/cgroup"))) {
      for (Path root : roots) {
        Path parent = root.resolve("appctools");
        if (!Files.isDirectory(parent)) {
          continue;
        }
        try (DirectoryStream<Path> pods = Files.newDirectoryStream(parent, Files::isDirectory)) {
          pods.forEach(out::add);
        }
      }
    }
    return out;
  }

  /** Processes (other than this JVM) whose command line mentions {@code text}. */
  static List<String> processesMentioning(String text) throws IOException {
    List<String> out = new ArrayList<>();
    long self = ProcessHandle.current().pid();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("[0-9]+"))) {
      for (Path p : procs) {
        if (Long.parseLong(p.getFileName().toString()) == self) {
          continue;
        }
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
          if (cmd.contains(text)) {
            out.add(p.getFileName() + ": " + cmd.strip());
          }
        } catch (IOException e) {
          // gone meanwhile
        }
      }
    }
    return out;
  }

  /** Asserts nothing is left of the pods of {@code podsDir} and of work under {@code dir}. */
  static void assertNone(Path podsDir, Path dir) throws Exception {
    // the kernel takes a moment to reap what a killed pod left
    for (int i = 0; i < 100 && !processesMentioning(podsDir.toString()).isEmpty(); i++) {
      Thread.sleep(50);
    }
    assertThat(processesMentioning(podsDir.toString())).as("processes of the pods").isEmpty();
    assertThat(mountsUnder(dir)).as("mounts under " + dir).isEmpty();
    assertThat(podCgroups()).as("pod cgroups").isEmpty();
  }
}
