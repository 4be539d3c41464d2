package org.appctools.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the samples' scripts as a user does, as processes with the checkout's {@code bin/} tools,
 * and finds the fixtures of {@code .ci/fixtures.sh} they read (a missing one fails the test under
 * CI and skips it elsewhere).
 */
final class Samples {
  private Samples() {}

  /** What a script printed (stdout and stderr together, in order) and returned. */
  record Result(int code, String output) {
    Result expectOk() {
      assertThat(code).as("exit code; output:%n%s", output).isZero();
      return this;
    }

    /** The value of the first line {@code KEY: VALUE}, as the samples print their results. */
    String value(String key) {
      return output.lines().filter(l -> l.startsWith(key + ":")).findFirst()
          .map(l -> l.substring(key.length() + 1).strip())
          .orElseThrow(() -> new AssertionError("no '" + key + ":' line in:\n" + output));
    }
  }

  /** The samples directory (the module's own). */
  static Path dir() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath();
  }

  /** The fixtures directory, as the scripts find it through {@code ACI_FIXTURES}. */
  static Path fixtures() {
    return Path.of(System.getProperty("aci.fixtures"));
  }

  /** A fixture of {@code .ci/fixtures.sh} (step {@code step}). */
  static Path fixture(String relative, String step) {
    Path p = fixtures().resolve(relative);
    require(Files.exists(p), "fixture " + p + " is missing: run .ci/fixtures.sh " + step);
    return p;
  }

  /** A program the sample calls, installed by {@code .ci/fixtures.sh step}. */
  static void requireTool(String program, String step) {
    require(Files.isExecutable(Path.of("/usr/bin", program)), program + " is missing: run .ci/fixtures.sh " + step);
  }

  /** Skips a test that needs root (pods, overlay mounts) when not run as root. */
  static void requireRoot() {
    assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
  }

  private static void require(boolean present, String message) {
    if (!present) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(message);
      }
      assumeTrue(false, message);
    }
  }

  /**
   * Runs {@code command} in {@code dir} with {@code ACI_FIXTURES} and {@code TMPDIR} set (the
   * latter to {@code tmp}, so that a test can see what a script leaves there) and {@code env}
   * added; the output goes through a file (no pipe to fill).
   */
  static Result run(Path dir, Path tmp, Map<String, String> env, String... command) throws IOException, InterruptedException {
    Path log = Files.createTempFile(tmp, "run", ".log");
    ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("ACI_FIXTURES", fixtures().toString());
    pb.environment().put("TMPDIR", tmp.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not end within 10 minutes");
    }
    String output = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    return new Result(p.exitValue(), output);
  }

  /** The entry names of an ACI, through GNU tar. */
  static List<String> entries(Path aci) throws IOException, InterruptedException {
    Result r = run(aci.getParent(), aci.getParent(), Map.of(), "tar", "-tf", aci.toString()).expectOk();
    return new ArrayList<>(r.output().lines().toList());
  }
}
