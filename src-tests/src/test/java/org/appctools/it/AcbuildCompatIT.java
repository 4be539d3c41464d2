package org.appctools.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shell script written for the Go acbuild runs unchanged through bin/acbuild; the reference actool accepts the image. */
class AcbuildCompatIT {
  @TempDir Path tmp;

  @Test
  void goStyleShellScript_buildsAValidImage() throws Exception {
    Files.createDirectories(tmp.resolve("site"));
    Files.writeString(tmp.resolve("site/index.html"), "<h1>hello</h1>\n");
    Files.writeString(tmp.resolve("httpd.sh"), "#!/bin/sh\nexec httpd -f -p 80 -h /www\n");
    Path script = Files.writeString(tmp.resolve("build.sh"), """
        #!/bin/sh
        set -e
        acbuild --debug begin
        trap '{ export EXT=$?; acbuild --debug end && exit $EXT; }' EXIT
        acbuild --debug set-name example.com/httpd
        acbuild --debug copy site /www
        acbuild --debug copy httpd.sh /bin/httpd.sh
        acbuild --debug set-exec -- /bin/sh /bin/httpd.sh
        acbuild --debug label add version 0.0.1
        acbuild --debug label add arch amd64
        acbuild --debug label add os linux
        acbuild --debug port add http tcp 80
        acbuild --debug mount add www /www --read-only
        acbuild --debug environment add HOME /root
        acbuild --debug write --overwrite httpd-0.0.1-linux-amd64.aci
        """);
    Path binDir = Files.createDirectories(tmp.resolve("bin"));
    Files.createSymbolicLink(binDir.resolve("acbuild"), Tools.bin("acbuild"));
    Map<String, String> env = Map.of("PATH", binDir + ":/usr/bin:/bin");

    Tools.Result run = Tools.process(tmp, env, "/bin/sh", script.toString()).expectOk();

    Path aci = tmp.resolve("httpd-0.0.1-linux-amd64.aci");
    assertThat(run.out().strip()).startsWith("sha512-");
    assertThat(tmp.resolve(".acbuild")).doesNotExist();
    Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "--debug", "validate", aci.toString()).expectOk();
    JsonNode m = new ObjectMapper().readTree(
        Tools.process(tmp, Map.of(), Tools.referenceActool().toString(), "cat-manifest", aci.toString()).expectOk().out());
    assertThat(m.get("name").asText()).isEqualTo("example.com/httpd");
    assertThat(m.at("/app/exec").toString()).isEqualTo("[\"/bin/sh\",\"/bin/httpd.sh\"]");
    assertThat(m.at("/app/ports/0").toString()).isEqualTo("{\"name\":\"http\",\"protocol\":\"tcp\",\"port\":80,\"count\":1,\"socketActivated\":false}");
    assertThat(m.get("labels").toString()).contains("\"version\"", "0.0.1");
    assertThat(m.get("annotations").toString()).contains("acbuild set-exec \\\"/bin/sh\\\" \\\"/bin/httpd.sh\\\"");
    Path out = Files.createDirectories(tmp.resolve("extracted"));
    Tools.process(out, Map.of(), "tar", "xzf", aci.toString()).expectOk();
    assertThat(out.resolve("rootfs/www/index.html")).hasContent("<h1>hello</h1>");
    assertThat(out.resolve("rootfs/bin/httpd.sh")).exists();
  }
}
