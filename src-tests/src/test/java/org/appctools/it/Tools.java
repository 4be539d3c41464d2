package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import org.appctools.cli.acbuild.Acbuild;
import org.appctools.cli.actool.Actool;
import org.appctools.cli.docker2aci.Docker2aci;

/** Runs the tools the way a user does: in-process through run(), or as processes through bin/. */
final class Tools {
  private Tools() {}

  /** What one command run printed and returned. */
  record Result(int code, String out, String err) {
    Result expectOk() {
      assertThat(code).as("exit code; stderr: %s", err).isZero();
      return this;
    }
  }

  static Result actool(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Actool.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  static Result docker2aci(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Docker2aci.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Runs {@code acbuild --work-path WORK ARGS...} in-process, with an empty stdin. */
  static Result acbuild(Path workPath, String... args) {
    return acbuildWithInput(new byte[0], workPath, args);
  }

  /** As {@link #acbuild}, with {@code stdin} as the standard input. */
  static Result acbuildWithInput(byte[] stdin, Path workPath, String... args) {
    List<String> all = new ArrayList<>();
    all.add("--work-path=" + workPath);
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Acbuild.run(new ByteArrayInputStream(stdin), new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** The manifest of the build in progress, through {@code acbuild cat-manifest}. */
  static JsonNode manifest(Path workPath) throws IOException {
    return new ObjectMapper().readTree(acbuild(workPath, "cat-manifest").expectOk().out());
  }

  /**
   * The rootfs of the build in progress as the image has it: written (under a name set for the
   * occasion if it has none) and extracted into {@code scratch}.
   */
  static Path rootfs(Path workPath, Path scratch) throws Exception {
    Path aci = scratch.resolve("rootfs-probe.aci");
    acbuild(workPath, "write", "--overwrite", aci.toString()).expectOk();
    Path into = scratch.resolve("rootfs-probe");
    org.appctools.aci.AciExtractor.extract(aci, into);
    return into.resolve("rootfs");
  }

  /** The checkout's root (src-tests' parent). */
  static Path projectRoot() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
  }

  /** Runs a program (absolute path, or bin/NAME of this checkout) with extra environment. */
  static Result process(Path workDir, Map<String, String> env, String... command) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
    pb.environment().putAll(env);
    Path outFile = Files.createTempFile("it-out", ".txt");
    Path errFile = Files.createTempFile("it-err", ".txt");
    try {
      pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
      Process p = pb.start();
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + cmd);
      }
      return new Result(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8), Files.readString(errFile, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(errFile);
    }
  }

  static Path bin(String tool) {
    return projectRoot().resolve("bin").resolve(tool);
  }

  /**
   * A fixture made by .ci/fixtures.sh. Missing fixtures skip the test on a developer's machine
   * but fail it in CI (CI=true), where .ci/run makes them first.
   */
  static Path fixture(String relative) {
    Path p = Path.of(System.getProperty("aci.fixtures", System.getProperty("user.home") + "/.cache/aci-fixtures")).resolve(relative);
    if (!Files.exists(p)) {
      String msg = "fixture " + p + " is missing: run .ci/fixtures.sh";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg);
      }
      assumeTrue(false, msg);
    }
    return p;
  }

  /**
   * A program that .ci/fixtures.sh installs: missing, it skips the test on a developer's machine
   * and fails it in CI, as {@link #fixture} does.
   */
  static void requireTool(Path program, String fixtureStep) {
    if (!Files.isExecutable(program)) {
      String msg = program + " is missing: run .ci/fixtures.sh (it installs " + fixtureStep + ")";
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(msg);
      }
      assumeTrue(false, msg);
    }
  }

  static Path referenceActool() {
    return fixture("bin/actool");
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
