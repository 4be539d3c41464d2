package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * acbuild build (issue 12): Dockerfiles for a busybox app, a Debian image installing a local
 * package, a multi-stage build; the step cache's hits and misses on each kind of change, --no-cache,
 * gc; the errors of what appc cannot express. Every image is checked with the reference actool.
 */
class AcbuildBuildIT {
  @TempDir static Path shared;
  static Path busyboxAci;

  @TempDir Path tmp;
  Path ctx;
  Path store;

  @BeforeAll
  static void image() throws Exception {
    assumeTrue(Tools.isRoot(), "acbuild build runs RUN steps, which need root");
    Path layout = Files.createDirectories(shared.resolve("layout"));
    Tools.process(shared, Map.of(), "cp", "-a", Tools.fixture("rootfs/busybox").toString(), layout.resolve("rootfs").toString()).expectOk();
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\","
        + "\"name\":\"example.com/busybox\",\"labels\":[{\"name\":\"version\",\"value\":\"1.35\"},"
        + "{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}],"
        + "\"app\":{\"exec\":[\"/bin/sh\"],\"user\":\"0\",\"group\":\"0\"}}");
    busyboxAci = shared.resolve("busybox.aci");
    Tools.actool("build", layout.toString(), busyboxAci.toString()).expectOk();
  }

  @BeforeEach
  void context() throws Exception {
    ctx = Files.createDirectories(tmp.resolve("ctx"));
    store = tmp.resolve("store");
    Files.copy(busyboxAci, ctx.resolve("busybox.aci"));
  }

  @AfterEach
  void nothingLeft() throws Exception {
    Leftovers.assertNone(tmp, tmp);
    if (Files.isDirectory(store.resolve("tmp"))) {
      try (var s = Files.list(store.resolve("tmp"))) {
        assertThat(s.toList()).as("the store's tmp after the build").isEmpty();
      }
    }
  }

  private Tools.Result build(String... args) {
    List<String> all = new ArrayList<>(List.of("--store-dir=" + store, "build"));
    all.addAll(List.of(args));
    return Tools.acbuild(tmp, all.toArray(String[]::new));
  }

  private static List<String> steps(Tools.Result r) {
    return r.err().lines().filter(l -> l.startsWith("Step ")).toList();
  }

  private static void validate(Path aci) throws Exception {
    Tools.process(aci.getParent(), Map.of(), Tools.referenceActool().toString(), "validate", aci.toString()).expectOk();
  }

  private static JsonNode manifest(Path aci) throws Exception {
    return new ObjectMapper().readTree(Tools.actool("cat-manifest", aci.toString()).expectOk().out());
  }

  private static final String APP = """
      # syntax=docker/dockerfile:1
      ARG BASE=./busybox.aci
      FROM ${BASE}
      ARG GREETING=hello
      ENV APP_HOME=/opt/app \\
          MODE=prod
      WORKDIR $APP_HOME
      COPY --chown=1:1 app/ ./
      RUN echo "$GREETING from $MODE" > /opt/app/run.txt
      EXPOSE 8080/tcp 53/udp
      VOLUME /data
      LABEL org.example.title="hello app"
      USER 1:1
      ENTRYPOINT ["/bin/cat"]
      CMD ["/opt/app/hello.txt"]
      """;

  private void app() throws Exception {
    Files.writeString(ctx.resolve("Dockerfile"), APP);
    Files.createDirectories(ctx.resolve("app/logs"));
    Files.writeString(ctx.resolve("app/hello.txt"), "hello\n");
    Files.writeString(ctx.resolve("app/logs/debug.log"), "ignored\n");
    Files.writeString(ctx.resolve("app/secret.txt"), "ignored\n");
    Files.writeString(ctx.resolve(".dockerignore"), "**/*.log\napp/secret.txt\n");
  }

  @Test
  void build_busyboxApp_manifestAsDockerMapsIt_filesCopiedLessIgnored_validAci() throws Exception {
    app();
    Path out = tmp.resolve("app.aci");
    Tools.Result r = build("--tag", "example.com/hello:1.0", "-o", out.toString(), ctx.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).matches("sha512-[0-9a-f]{128}\n");
    assertThat(steps(r)).containsExactly(
        "Step 1/12 : FROM ./busybox.aci",
        "Step 2/12 : ARG GREETING=hello",
        "Step 3/12 : ENV APP_HOME=/opt/app MODE=prod",
        "Step 4/12 : WORKDIR /opt/app",
        "Step 5/12 : COPY --chown=1:1 app/ ./",
        "Step 6/12 : RUN echo \"$GREETING from $MODE\" > /opt/app/run.txt",
        "Step 7/12 : EXPOSE 8080/tcp 53/udp",
        "Step 8/12 : VOLUME [\"/data\"]",
        "Step 9/12 : LABEL org.example.title=hello app",
        "Step 10/12 : USER 1:1",
        "Step 11/12 : ENTRYPOINT [\"/bin/cat\"]",
        "Step 12/12 : CMD [\"/opt/app/hello.txt\"]");
    validate(out);
    JsonNode m = manifest(out);
    assertThat(m.get("name").asText()).isEqualTo("example.com/hello");
    assertThat(m.get("labels").toString()).contains("{\"name\":\"version\",\"value\":\"1.0\"}");
    JsonNode app = m.get("app");
    assertThat(app.get("exec").toString()).isEqualTo("[\"/bin/cat\",\"/opt/app/hello.txt\"]");
    assertThat(app.get("user").asText()).isEqualTo("1");
    assertThat(app.get("group").asText()).isEqualTo("1");
    assertThat(app.get("workingDirectory").asText()).isEqualTo("/opt/app");
    assertThat(app.get("environment").toString()).isEqualTo(
        "[{\"name\":\"APP_HOME\",\"value\":\"/opt/app\"},{\"name\":\"MODE\",\"value\":\"prod\"}]");
    assertThat(app.get("mountPoints").toString()).isEqualTo("[{\"name\":\"volume-data\",\"path\":\"/data\"}]");
    assertThat(app.get("ports").toString()).isEqualTo("[{\"name\":\"8080-tcp\",\"protocol\":\"tcp\",\"port\":8080,"
        + "\"count\":1,\"socketActivated\":false},{\"name\":\"53-udp\",\"protocol\":\"udp\",\"port\":53,\"count\":1,"
        + "\"socketActivated\":false}]");
    assertThat(app.get("userLabels").toString()).isEqualTo("{\"org.example.title\":\"hello app\"}");
    assertThat(m.get("annotations").toString()).isEqualTo("[{\"name\":\"appc.io/docker/entrypoint\",\"value\":\"[\\\"/bin/cat\\\"]\"},"
        + "{\"name\":\"appc.io/docker/cmd\",\"value\":\"[\\\"/opt/app/hello.txt\\\"]\"}]");
    String listing = Tools.process(tmp, Map.of(), "tar", "-tvzf", out.toString(), "--numeric-owner").expectOk().out();
    assertThat(listing).contains("rootfs/opt/app/hello.txt").contains("rootfs/opt/app/run.txt")
        .doesNotContain("secret.txt").doesNotContain("debug.log");
    assertThat(listing.lines().filter(l -> l.endsWith("rootfs/opt/app/hello.txt")).findFirst().orElseThrow())
        .contains(" 1/1 ").contains("1970-01-01");
    Path x = tmp.resolve("x");
    org.appctools.aci.AciExtractor.extract(out, x);
    assertThat(x.resolve("rootfs/opt/app/run.txt")).hasContent("hello from prod");
  }

  @Test
  void build_unchanged_allStepsCached_sameImageId_noCacheSameBytes() throws Exception {
    app();
    Path out = tmp.resolve("app.aci");
    String id = build("--tag", "example.com/hello:1.0", "-o", out.toString(), ctx.toString()).expectOk().out();
    Tools.Result again = build("--tag", "example.com/hello:1.0", "-o", tmp.resolve("again.aci").toString(), ctx.toString()).expectOk();
    assertThat(again.out()).isEqualTo(id);
    assertThat(steps(again)).hasSize(12).allMatch(l -> l.endsWith(" (cached)"));
    assertThat(again.err()).contains("Built example.com/hello:1.0 in 12 steps (12 cached), written to " + tmp.resolve("again.aci"));
    assertThat(Files.mismatch(out, tmp.resolve("again.aci"))).isEqualTo(-1L);
    Tools.Result fresh = build("--no-cache", "--tag", "example.com/hello:1.0", "-o", tmp.resolve("fresh.aci").toString(), ctx.toString()).expectOk();
    assertThat(steps(fresh)).noneMatch(l -> l.endsWith(" (cached)"));
    assertThat(fresh.out()).as("the same inputs give the same image without the cache").isEqualTo(id);
    validate(tmp.resolve("fresh.aci"));
    Path fast = tmp.resolve("fast.aci");
    Tools.Result level1 = build("--compression-level", "1", "--tag", "example.com/hello:1.0", "-o", fast.toString(), ctx.toString()).expectOk();
    assertThat(level1.out()).as("another level, the same tar").isEqualTo(id);
    assertThat(steps(level1)).allMatch(l -> l.endsWith(" (cached)"));
    assertThat(Files.mismatch(out, fast)).as("the image written again at level 1").isNotEqualTo(-1L);
    validate(fast);
  }

  @Test
  void build_changedCopyInput_onlyTheCopyAndLaterRootfsStepsRun() throws Exception {
    app();
    String id = build("--tag", "example.com/hello:1.0", "-o", tmp.resolve("a.aci").toString(), ctx.toString()).expectOk().out();
    Files.writeString(ctx.resolve("app/secret.txt"), "still ignored, no change\n");
    assertThat(build("--tag", "example.com/hello:1.0", "-o", tmp.resolve("b.aci").toString(), ctx.toString()).expectOk().out())
        .as("an ignored file changes nothing").isEqualTo(id);
    Files.writeString(ctx.resolve("app/hello.txt"), "changed\n");
    Tools.Result r = build("--tag", "example.com/hello:1.0", "-o", tmp.resolve("c.aci").toString(), ctx.toString()).expectOk();
    assertThat(r.out()).isNotEqualTo(id);
    List<String> s = steps(r);
    assertThat(s.subList(0, 4)).allMatch(l -> l.endsWith(" (cached)"));
    assertThat(s.subList(4, 12)).noneMatch(l -> l.endsWith(" (cached)"));
    validate(tmp.resolve("c.aci"));
  }

  @Test
  void build_changedBuildArgUsedByRun_runMisses_copyStillCached() throws Exception {
    app();
    build("--tag", "example.com/hello:1.0", "-o", tmp.resolve("a.aci").toString(), ctx.toString()).expectOk();
    Tools.Result r = build("--build-arg", "GREETING=bye", "--tag", "example.com/hello:1.0", "-o", tmp.resolve("b.aci").toString(),
        ctx.toString()).expectOk();
    List<String> s = steps(r);
    assertThat(s.get(4)).isEqualTo("Step 5/12 : COPY --chown=1:1 app/ ./ (cached)");
    assertThat(s.get(5)).isEqualTo("Step 6/12 : RUN echo \"$GREETING from $MODE\" > /opt/app/run.txt");
    Path x = tmp.resolve("x");
    org.appctools.aci.AciExtractor.extract(tmp.resolve("b.aci"), x);
    assertThat(x.resolve("rootfs/opt/app/run.txt")).hasContent("bye from prod");
    Tools.Result unused = build("--build-arg", "NOPE=1", "--tag", "example.com/hello:1.0", "-o", tmp.resolve("c.aci").toString(),
        ctx.toString()).expectOk();
    assertThat(unused.err()).contains("build: warning: the build argument NOPE was not consumed (no ARG NOPE in the Dockerfile)");
  }

  @Test
  void build_gc_emptiesTheCache_nextBuildRunsEverything() throws Exception {
    app();
    build("--tag", "example.com/hello:1.0", "-o", tmp.resolve("a.aci").toString(), ctx.toString()).expectOk();
    Tools.Result gc = Tools.acbuild(tmp, "--store-dir=" + store, "build-cache", "gc").expectOk();
    assertThat(gc.out()).isEqualTo("removed 4 cached steps and 1 cached images\n");
    Tools.Result r = build("--tag", "example.com/hello:1.0", "-o", tmp.resolve("b.aci").toString(), ctx.toString()).expectOk();
    assertThat(steps(r)).noneMatch(l -> l.endsWith(" (cached)"));
    assertThat(Tools.acbuild(tmp, "--store-dir=" + store, "build-cache", "gc", "--unused-for", "168h").expectOk().out())
        .isEqualTo("removed 0 cached steps and 0 cached images\n");
  }

  @Test
  void build_withoutOutput_importsIntoTheStore() throws Exception {
    app();
    String id = build("--tag", "example.com/hello:1.0", ctx.toString()).expectOk().out().strip();
    Tools.Result list = Tools.actool("image", "list", "--store-dir=" + store).expectOk();
    assertThat(list.out()).contains("example.com/hello");
    assertThat(Tools.actool("image", "cat-manifest", "--store-dir=" + store, id).expectOk().out())
        .contains("\"name\": \"example.com/hello\"");
  }

  @Test
  void build_multiStage_copiesFromAnEarlierStage_intoScratch() throws Exception {
    Files.writeString(ctx.resolve("Dockerfile"), """
        FROM ./busybox.aci AS builder
        RUN mkdir -p /out && echo built > /out/artifact && cp /bin/busybox /out/
        FROM builder AS tested
        ARG CHECK=yes
        USER 1:1
        RUN test "$(id -u):$(id -g)" = 1:1 && test "$CHECK" = yes && test -f /out/artifact
        FROM scratch
        COPY --from=builder /out/artifact /srv/
        COPY --from=0 /out/busybox /bin/busybox
        CMD ["/bin/busybox", "cat", "/srv/artifact"]
        """);
    Path out = tmp.resolve("multi.aci");
    Tools.Result r = build("--tag", "example.com/multi", "-o", out.toString(), ctx.toString());
    assertThat(r.code()).as(r.err()).isZero();
    validate(out);
    String listing = Tools.process(tmp, Map.of(), "tar", "-tzf", out.toString()).expectOk().out();
    assertThat(listing.lines().filter(l -> l.startsWith("rootfs/")).sorted().toList())
        .containsExactly("rootfs/", "rootfs/bin/", "rootfs/bin/busybox", "rootfs/srv/", "rootfs/srv/artifact");
    JsonNode m = manifest(out);
    assertThat(m.get("app").get("exec").toString()).isEqualTo("[\"/bin/busybox\",\"cat\",\"/srv/artifact\"]");
    assertThat(m.get("labels").toString()).doesNotContain("version");
    Tools.Result target = build("--target", "builder", "--tag", "example.com/builder", "-o", tmp.resolve("builder.aci").toString(),
        ctx.toString()).expectOk();
    assertThat(steps(target)).containsExactly("Step 1/2 : FROM ./busybox.aci AS builder (cached)",
        "Step 2/2 : RUN mkdir -p /out && echo built > /out/artifact && cp /bin/busybox /out/ (cached)");
    validate(tmp.resolve("builder.aci"));
  }

  @Test
  void build_debian_runInstallsALocalPackage_rebuildCached() throws Exception {
    Path pkg = Files.createDirectories(tmp.resolve("pkg/DEBIAN"));
    Files.writeString(pkg.resolve("control"), "Package: hello-appctools\nVersion: 1.0\nArchitecture: all\n"
        + "Maintainer: test <test@example.com>\nDescription: a test package\n");
    Path share = Files.createDirectories(tmp.resolve("pkg/usr/share/hello-appctools"));
    Files.writeString(share.resolve("greeting"), "hello from a .deb\n");
    Path debs = Files.createDirectories(ctx.resolve("debs"));
    Tools.process(tmp, Map.of(), "dpkg-deb", "--root-owner-group", "--build", tmp.resolve("pkg").toString(),
        debs.resolve("hello-appctools_1.0_all.deb").toString()).expectOk();
    Files.writeString(ctx.resolve("Dockerfile"), "FROM " + Tools.fixture("rootfs/debian") + "\n"
        + "COPY debs/ /tmp/debs/\n"
        + "RUN [\"dpkg\", \"-i\", \"/tmp/debs/hello-appctools_1.0_all.deb\"]\n"
        + "RUN rm -r /tmp/debs\n"
        + "CMD cat /usr/share/hello-appctools/greeting\n");
    Path out = tmp.resolve("debian.aci");
    Tools.Result r = build("--tag", "example.com/debian-hello", "--compression", "none", "-o", out.toString(), ctx.toString());
    assertThat(r.code()).as(r.err()).isZero();
    validate(out);
    JsonNode m = manifest(out);
    assertThat(m.get("app").get("exec").toString()).isEqualTo("[\"/bin/sh\",\"-c\",\"cat /usr/share/hello-appctools/greeting\"]");
    String listing = Tools.process(tmp, Map.of(), "tar", "-tf", out.toString()).expectOk().out();
    assertThat(listing).contains("rootfs/usr/share/hello-appctools/greeting").doesNotContain("rootfs/tmp/debs");
    Tools.Result again = build("--tag", "example.com/debian-hello", "--compression", "none", "-o", tmp.resolve("again.aci").toString(),
        ctx.toString()).expectOk();
    assertThat(again.out()).isEqualTo(r.out());
    assertThat(steps(again)).allMatch(l -> l.endsWith(" (cached)"));
  }

  @Test
  void build_unsupported_failsNamingTheLineAndTheFix_nothingWritten() throws Exception {
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("FROM ./busybox.aci\nHEALTHCHECK CMD true\n",
        "build: Dockerfile:2: HEALTHCHECK is not supported: appc has no health checks; check the app from outside (e.g. a probe of your orchestrator); remove the line");
    cases.put("FROM ./busybox.aci\nENV A=1\nONBUILD RUN true\n",
        "build: Dockerfile:3: ONBUILD is not supported: appc images have no triggers for builds on top of them; put the instructions in the Dockerfiles that use this image; remove the line");
    cases.put("FROM ./busybox.aci\nSTOPSIGNAL SIGINT\n",
        "build: Dockerfile:2: STOPSIGNAL is not supported: appc apps have no stop signal (the executor sends SIGTERM); handle SIGTERM in the app; remove the line");
    cases.put("FROM ./busybox.aci\nADD https://example.com/x.tgz /x\n",
        "build: Dockerfile:2: ADD https://example.com/x.tgz: URLs are not supported (the build is local and reproducible): download the file into the build context and ADD it");
    cases.put("FROM ./busybox.aci\nCOPY --link busybox.aci /x\n",
        "build: Dockerfile:2: COPY --link is not supported: drop --link (each COPY makes a new state of the whole rootfs here)");
    cases.put("FROM ./busybox.aci\nRUN <<EOF\necho hi\nEOF\n",
        "build: Dockerfile:2: RUN with a heredoc (<<WORD) is not supported: put the lines in a script file, COPY it and RUN it");
    cases.put("FROM ./busybox.aci\nRUN --mount=type=cache,target=/c true\n",
        "build: Dockerfile:2: RUN --mount is not supported: drop it; acbuild run's --mount and --net are not available in a Dockerfile");
    cases.put("FROM ./busybox.aci\nCOPY nothing-here /x\n",
        "build: Dockerfile:2: COPY nothing-here: no such file in the build context " + ctx.toRealPath() + " (or .dockerignore excludes it)");
    cases.put("FROM ./busybox.aci\nCOPY ../x /x\n", "build: Dockerfile:2: COPY ../x: forbidden path outside the build context");
    cases.put("FROM ./busybox.aci\nCOPY --from=nope /x /x\n",
        "build: Dockerfile:2: COPY --from=nope: no earlier stage of that name or number (an image cannot be copied from here: add a stage FROM it AS a name, and COPY --from=name)");
    cases.put("FROM ./busybox.aci\n\n# comment\nRUN exit 3\n",
        "build: Dockerfile:4: RUN exit 3: the command returned a non-zero code: 3");
    cases.put("RUN true\n", "build: Dockerfile:1: RUN before FROM: a Dockerfile must begin with FROM (only ARG may come before it)");
    cases.put("FROM ./busybox.aci\nUSER nobody-here\n",
        "build: Dockerfile:2: USER nobody-here: no such user in the image's /etc/passwd (add it with a RUN before, or give the group: USER nobody-here:GROUP)");
    cases.put("FROM ./busybox.aci\nFROBNICATE x\n", "build: Dockerfile:2: unknown instruction: FROBNICATE");
    Path out = tmp.resolve("never.aci");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      Files.writeString(ctx.resolve("Dockerfile"), c.getKey());
      Tools.Result r = build("--tag", "example.com/x", "-o", out.toString(), ctx.toString());
      assertThat(r.code()).as(c.getKey()).isEqualTo(1);
      assertThat(r.err().lines().filter(l -> !l.startsWith("Step ")).toList()).as(c.getKey()).containsExactly(c.getValue());
      assertThat(out).doesNotExist();
    }
  }

  @Test
  void build_withoutTag_usage() throws Exception {
    app();
    Tools.Result r = build(ctx.toString());
    assertThat(r.code()).isEqualTo(3);
    assertThat(r.err()).startsWith("acbuild: build needs --tag NAME[:VERSION]: appc images are named\n");
    Tools.Result level = build("--compression=zstd", "--compression-level=20", "--tag", "example.com/hello", ctx.toString());
    assertThat(level.code()).isEqualTo(3);
    assertThat(level.err()).startsWith("acbuild: --compression-level: compression level 20 is out of range for zstd (use 1-19)\n");
  }

  @Test
  void scriptCache_sharesTheCacheWithBuild_rerunCached_changedCopyInputRunsFromThere() throws Exception {
    app();
    build("--tag", "example.com/hello:1.0", "-o", tmp.resolve("a.aci").toString(), ctx.toString()).expectOk();
    Path out = tmp.resolve("script.aci");
    Path script = tmp.resolve("build.acb");
    Files.writeString(script, "begin " + ctx.resolve("busybox.aci") + "\n"
        + "copy " + ctx.resolve("app/hello.txt") + " /srv/hello.txt\n"
        + "run -- /bin/sh -c 'echo ran > /srv/ran.txt'\n"
        + "set-name example.com/scripted\n"
        + "set-exec -- /bin/cat /srv/hello.txt\n"
        + "write --overwrite " + out + "\n");
    Tools.Result first = Tools.acbuild(tmp, "--store-dir=" + store, "script", "--cache", script.toString());
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(steps(first).get(0)).as("the base was cached by acbuild build").endsWith(" (cached)");
    assertThat(steps(first).subList(1, 6)).noneMatch(l -> l.endsWith(" (cached)"));
    validate(out);
    JsonNode m = manifest(out);
    assertThat(m.get("annotations").toString()).contains("acbuild copy").contains("acbuild run");
    Tools.Result again = Tools.acbuild(tmp, "--store-dir=" + store, "script", "--cache", script.toString()).expectOk();
    assertThat(again.out()).isEqualTo(first.out());
    assertThat(steps(again)).hasSize(6).allMatch(l -> l.endsWith(" (cached)"));
    Files.writeString(ctx.resolve("app/hello.txt"), "changed\n");
    Tools.Result changed = Tools.acbuild(tmp, "--store-dir=" + store, "script", "--cache", script.toString()).expectOk();
    assertThat(steps(changed).get(0)).endsWith(" (cached)");
    assertThat(steps(changed).subList(1, 6)).noneMatch(l -> l.endsWith(" (cached)"));
    assertThat(changed.out()).isNotEqualTo(first.out());
    validate(out);
    Tools.Result plain = Tools.acbuild(tmp, "--store-dir=" + store, "script", script.toString()).expectOk();
    assertThat(plain.err()).as("plain acbuild script prints what the Go tool prints").doesNotContain("Step ");
  }

  @Test
  void build_fromADockerImageInARegistry_convertedAsDocker2aci_baseAnnotationsDropped_rebuildCached() throws Exception {
    try (Registry registry = Registry.start(tmp.resolve("registry"))) {
      registry.push("oci:" + Tools.fixture("oci").resolve("busybox") + ":latest", "library/busybox:latest");
      Files.writeString(ctx.resolve("Dockerfile"), """
          ARG REGISTRY
          FROM ${REGISTRY}/library/busybox:latest
          RUN test "$(id -u)" = 1000 && test "$FOO" = bar
          USER root
          RUN echo from-docker > /hello
          ENTRYPOINT ["/bin/cat", "/hello"]
          """);
      Path out = tmp.resolve("docker-based.aci");
      Tools.Result r = build("--insecure", "--build-arg", "REGISTRY=" + registry.address(), "--tag", "example.com/docker-based",
          "-o", out.toString(), ctx.toString());
      assertThat(r.code()).as(r.err()).isZero();
      validate(out);
      JsonNode m = manifest(out);
      assertThat(m.get("app").get("exec").toString()).isEqualTo("[\"/bin/cat\",\"/hello\"]");
      assertThat(m.get("app").get("user").asText() + ":" + m.get("app").get("group").asText())
          .as("the fixture's USER 1000, then root with its group from /etc/passwd").isEqualTo("root:0");
      assertThat(m.get("annotations").toString()).doesNotContain("appc.io/docker/originalname")
          .doesNotContain("appc.io/docker/imageid").contains("appc.io/docker/entrypoint");
      Tools.Result again = build("--insecure", "--build-arg", "REGISTRY=" + registry.address(), "--tag", "example.com/docker-based",
          "-o", tmp.resolve("again.aci").toString(), ctx.toString()).expectOk();
      assertThat(again.out()).isEqualTo(r.out());
      assertThat(steps(again)).allMatch(l -> l.endsWith(" (cached)"));
    }
  }
}
