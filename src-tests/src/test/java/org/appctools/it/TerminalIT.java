package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the tools do on a real terminal, driven through tmux as a user types: the fingerprint
 * review of {@code actool trust}, the passphrase prompt of {@code actool sign}, the progress bars of
 * fetch, build, acbuild write, image render and extract, push and docker2aci (which pipes and
 * {@code --quiet} never see), and error lines in red (unless {@code NO_COLOR}).
 */
class TerminalIT {
  @TempDir Path tmp;
  Gpg gpg;
  String session;

  @BeforeEach
  void setUp() throws Exception {
    gpg = Gpg.in(tmp);
    session = "appctools-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void tearDown() throws Exception {
    Tools.process(tmp, Map.of(), "tmux", "kill-session", "-t", session);
    gpg.stop();
  }

  @Test
  void trust_reviewAnsweredYes_keyTrusted() throws Exception {
    Path key = publicKey("Release <release@example.com>");
    Path trustDir = tmp.resolve("trust");

    Path rc = start(Tools.bin("actool") + " trust --trust-dir " + trustDir + " --prefix example.com/app " + key);
    awaitScreen("Trust this key for");
    assertThat(screen()).contains("Key fingerprint: ").contains("user ID: Release <release@example.com>");
    type("y");

    assertThat(exitCode(rc)).isZero();
    assertThat(Tools.actool("trust", "list", "--trust-dir", trustDir.toString()).expectOk().out()).contains("example.com/app");
  }

  @Test
  void trust_reviewAnsweredNo_nothingTrusted() throws Exception {
    Path key = publicKey("Release <release@example.com>");
    Path trustDir = tmp.resolve("trust");

    Path rc = start(Tools.bin("actool") + " trust --trust-dir " + trustDir + " --prefix example.com/app " + key);
    awaitScreen("Trust this key for");
    type("n");

    assertThat(exitCode(rc)).isNotZero();
    assertThat(Tools.actool("trust", "list", "--trust-dir", trustDir.toString()).expectOk().out()).isBlank();
  }

  @Test
  void sign_protectedKey_passphraseAskedOnTheTerminal() throws Exception {
    gpg.run("--passphrase", "open sesame", "--quick-gen-key", "Signer <s@example.com>", "ed25519", "sign", "never").expectOk();
    Path secret = tmp.resolve("secret.asc");
    Files.writeString(secret, gpg.run("--passphrase", "open sesame", "--armor", "--export-secret-keys", "s@example.com").expectOk().out());
    Path aci = tmp.resolve("app.aci");
    Path layout = Files.createDirectories(tmp.resolve("layout/rootfs")).getParent();
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":\"example.com/app\"}");
    Tools.actool("build", layout.toString(), aci.toString()).expectOk();

    Path rc = start(Tools.bin("actool") + " sign --key " + secret + " " + aci);
    awaitScreen("Passphrase for");
    type("open sesame");

    assertThat(exitCode(rc)).isZero();
    assertThat(screen()).doesNotContain("open sesame");
    gpg.run("--verify", aci + ".asc", aci.toString()).expectOk();
  }

  @Test
  void fetch_onATerminal_drawsAProgressBar() throws Exception {
    Path docroot = Files.createDirectories(tmp.resolve("www"));
    Path big = docroot.resolve("big.aci");
    Tools.actool("build", bigLayout().toString(), big.toString()).expectOk();
    try (WebServer server = WebServer.start(docroot, WebServer.Options.defaults())) {
      String cmd = Tools.bin("actool") + " fetch --store-dir " + tmp.resolve("store") + " --insecure-options=image --ca-file "
          + server.caFile() + " " + server.httpsUrl("/big.aci");

      Path rc = start(cmd);

      assertThat(exitCode(rc)).isZero();
      assertThat(screen()).contains("Downloading " + server.httpsUrl("/big.aci")).contains("100%");
      // in a pipe: no bar
      Tools.Result piped = Tools.process(tmp, Map.of(), "bash", "-c", cmd.replace(tmp.resolve("store").toString(), tmp.resolve("store2").toString()));
      assertThat(piped.code()).isZero();
      assertThat(piped.err()).doesNotContain("Downloading");
    }
  }

  @Test
  void build_onANarrowTerminal_barFitsOneLine() throws Exception {
    Path rc = start(Tools.bin("actool") + " build " + bigLayout() + " " + tmp.resolve("a-long-image-file-name.aci"), 60);

    assertThat(exitCode(rc)).isZero();
    List<String> bar = screen().lines().filter(l -> l.contains("%")).toList();
    assertThat(bar).hasSize(1);
    assertThat(bar.get(0)).isEqualTo("Bui...aci [========================] 2.9 MiB / 2.9 MiB 100%").hasSizeLessThan(60);
  }

  @Test
  void build_onATerminal_drawsAProgressBar() throws Exception {
    Path rc = start(Tools.bin("actool") + " build " + bigLayout() + " " + tmp.resolve("big.aci"));

    assertThat(exitCode(rc)).isZero();
    assertThat(screen()).contains("Building big.aci [========================] 2.9 MiB / 2.9 MiB 100%");
  }

  @Test
  void build_quietOnATerminal_noBar() throws Exception {
    Path rc = start(Tools.bin("actool") + " build --quiet " + bigLayout() + " " + tmp.resolve("big.aci"));

    assertThat(exitCode(rc)).isZero();
    assertThat(screen()).doesNotContain("Building");
  }

  @Test
  void build_inAPipe_noBar() throws Exception {
    Tools.Result piped = Tools.process(tmp, Map.of(), Tools.bin("actool").toString(), "build", bigLayout().toString(),
        tmp.resolve("big.aci").toString());

    assertThat(piped.code()).isZero();
    assertThat(piped.err()).isEmpty();
  }

  @Test
  void acbuildWrite_onATerminal_drawsAProgressBar() throws Exception {
    Path layout = bigLayout();
    String acbuild = Tools.bin("acbuild") + " --work-path " + tmp.resolve("work");

    Path rc = start(acbuild + " begin " + layout.resolve("rootfs") + " && " + acbuild + " set-name example.com/big && "
        + acbuild + " write " + tmp.resolve("big.aci"));

    assertThat(exitCode(rc)).isZero();
    assertThat(screen()).contains("Writing big.aci [========================] 2.9 MiB / 2.9 MiB 100%");
  }

  @Test
  void imageRenderAndExtract_onATerminal_drawProgressBars() throws Exception {
    Path aci = tmp.resolve("big.aci");
    Tools.actool("build", bigLayout().toString(), aci.toString()).expectOk();
    String storeDir = " --store-dir " + tmp.resolve("store");
    Tools.actool("image", "import", "--store-dir", tmp.resolve("store").toString(), aci.toString()).expectOk();

    Path rc = start(Tools.bin("actool") + " image render" + storeDir + " example.com/big " + tmp.resolve("rendered") + " && "
        + Tools.bin("actool") + " image extract" + storeDir + " example.com/big " + tmp.resolve("extracted"));

    assertThat(exitCode(rc)).isZero();
    assertThat(screen()).containsPattern("Rendering example.com/big \\[=+\\] .* 100%")
        .containsPattern("Extracting example.com/big \\[=+\\] .* 100%");
  }

  @Test
  void pushAndDocker2aci_onATerminal_drawProgressBars() throws Exception {
    Path aci = tmp.resolve("big.aci");
    Tools.actool("build", bigLayout().toString(), aci.toString()).expectOk();
    try (Registry registry = Registry.start(Files.createDirectories(tmp.resolve("registry")))) {
      String ref = "docker://" + registry.address() + "/team/big:1";

      Path rc = start(Tools.bin("actool") + " push --insecure-allow-http " + aci + " " + ref + " && cd " + tmp + " && "
          + Tools.bin("docker2aci") + " --insecure-allow-http " + ref);

      assertThat(exitCode(rc)).isZero();
      assertThat(screen()).containsPattern("Pushing " + java.util.regex.Pattern.quote(ref) + " \\[=+\\] .* 100%")
          .containsPattern("Downloading layers \\(\\d+/\\d+\\) \\[=+\\] .* 100%");
    }
  }

  @Test
  void error_onATerminal_prefixInRed() throws Exception {
    Path rc = start(Tools.bin("actool") + " build " + tmp.resolve("missing") + " " + tmp.resolve("x.aci"));

    assertThat(exitCode(rc)).isEqualTo(1);
    assertThat(colouredScreen()).contains("\u001b[31mbuild:");
  }

  @Test
  void error_onATerminalWithNoColor_plain() throws Exception {
    Path rc = start("NO_COLOR=1 " + Tools.bin("acbuild") + " --work-path " + tmp + " set-name example.com/x");

    assertThat(exitCode(rc)).isEqualTo(1);
    assertThat(screen()).contains("set-name: ");
    assertThat(colouredScreen()).doesNotContain("\u001b[31m");
  }

  /** A layout whose rootfs holds 3,000,000 random bytes: enough for a bar that shows MiB. */
  private Path bigLayout() throws Exception {
    Path layout = Files.createDirectories(tmp.resolve("layout/rootfs")).getParent();
    byte[] noise = new byte[3_000_000];
    new java.util.Random(1).nextBytes(noise);
    Files.write(layout.resolve("rootfs/noise"), noise);
    Files.writeString(layout.resolve("manifest"), "{\"acKind\":\"ImageManifest\",\"acVersion\":\"0.8.11\",\"name\":"
        + "\"example.com/big\",\"labels\":[{\"name\":\"os\",\"value\":\"linux\"},{\"name\":\"arch\",\"value\":\"amd64\"}]}");
    return layout;
  }

  // --- tmux

  @Test
  void build_onATerminal_eachStepThatRanShowsItsTime() throws Exception {
    Path ctx = Files.createDirectories(tmp.resolve("ctx"));
    Files.writeString(ctx.resolve("a.txt"), "a");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /a.txt\nCMD [\"/bin/true\"]\n");

    Path rc = start(Tools.bin("acbuild") + " --store-dir " + tmp.resolve("store") + " build --tag example.com/t -o "
        + tmp.resolve("t.aci") + " " + ctx);

    assertThat(exitCode(rc)).isZero();
    String screen = screen();
    assertThat(screen).contains("Step 2/3 : COPY a.txt /a.txt\n ---> done in ").contains("Built example.com/t in 3 steps (0 cached)");
    assertThat(screen).containsPattern("sha512-[0-9a-f]{128}");
  }

  private Path publicKey(String uid) throws Exception {
    String fpr = gpg.genKey(uid);
    Path key = tmp.resolve("key.asc");
    Files.writeString(key, gpg.exportPublic(fpr));
    return key;
  }

  /** Runs a shell command line in a new detached tmux session; its exit code lands in the returned file. */
  private Path start(String commandLine) throws Exception {
    return start(commandLine, 200);
  }

  /** {@link #start(String)} on a terminal {@code columns} wide. */
  private Path start(String commandLine, int columns) throws Exception {
    Path rc = tmp.resolve("rc-" + UUID.randomUUID());
    List<String> cmd = new ArrayList<>(List.of("tmux", "new-session", "-d", "-s", session, "-x", String.valueOf(columns), "-y", "50",
        commandLine + "; echo $? > " + rc + "; sleep 600"));
    Tools.process(tmp, Map.of(), cmd.toArray(String[]::new)).expectOk();
    return rc;
  }

  private String screen() throws Exception {
    return Tools.process(tmp, Map.of(), "tmux", "capture-pane", "-p", "-J", "-t", session).expectOk().out();
  }

  /** The screen with its colours as escape sequences (tmux writes bold red as ESC[1m ESC[31m). */
  private String colouredScreen() throws Exception {
    return Tools.process(tmp, Map.of(), "tmux", "capture-pane", "-p", "-e", "-J", "-t", session).expectOk().out();
  }

  private void awaitScreen(String text) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (screen().contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no \"" + text + "\" on the terminal after 30 s:\n" + screen());
  }

  private void type(String line) throws Exception {
    Tools.process(tmp, Map.of(), "tmux", "send-keys", "-t", session, "-l", line).expectOk();
    Tools.process(tmp, Map.of(), "tmux", "send-keys", "-t", session, "Enter").expectOk();
  }

  private int exitCode(Path rc) throws Exception {
    for (int i = 0; i < 1200; i++) {
      if (Files.exists(rc) && !Files.readString(rc).isBlank()) {
        return Integer.parseInt(Files.readString(rc).strip());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the command did not finish within 60 s:\n" + screen());
  }
}
