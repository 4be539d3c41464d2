package org.appctools.cli.actool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.appctools.AppcException;
import org.appctools.cli.docker2aci.Docker2aci;
import org.appctools.compress.Compression;
import org.appctools.executor.AppOverrides;
import org.appctools.executor.AppSpec;
import org.appctools.executor.HostTools;
import org.appctools.executor.NetMode;
import org.appctools.executor.PodAssembler;
import org.appctools.executor.PodOptions;
import org.appctools.executor.PodPlan;
import org.appctools.executor.PodPlanner;
import org.appctools.executor.PodSpec;
import org.appctools.executor.Stage1Script;
import org.appctools.schema.ImageManifest;
import org.appctools.schema.PodManifest;
import org.appctools.schema.RuntimeApp;
import org.appctools.schema.types.ImageId;
import org.appctools.tar.ReproducibleTarWriter;
import org.appctools.tar.TarMeta;

/**
 * Runs every actool command once on a tiny image in a temporary directory (and docker2aci, which
 * shares the launcher's jar, on a tiny OCI layout), so that a JVM started
 * with {@code -XX:ArchiveClassesAtExit} records the classes real runs load. The build runs it at
 * package time to make {@code target/actool-cli.jsa}, which bin/actool passes to the JVM: every
 * later start skips loading and verifying those classes. Exits non-zero if a command failed.
 */
public final class CdsTraining {
  private CdsTraining() {}

  /** A minimal OCI image layout: one gzip layer holding a directory and a file. */
  private static Path ociLayout(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("blobs/sha256"));
    Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    ByteArrayOutputStream layer = new ByteArrayOutputStream();
    try (ReproducibleTarWriter tar = new ReproducibleTarWriter(Compression.GZIP.compress(layer))) {
      tar.directory("bin", TarMeta.of(0755, 0, 0, 1_700_000_000L));
      tar.file("bin/hello", TarMeta.of(0755, 0, 0, 1_700_000_000L),
          "#!/bin/sh\necho hello\n".getBytes(StandardCharsets.UTF_8));
    }
    String layerDigest = blob(dir, layer.toByteArray());
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/hello\"],"
        + "\"ExposedPorts\":{\"80/tcp\":{}},\"Volumes\":{\"/data\":{}}}}").getBytes(StandardCharsets.UTF_8);
    byte[] manifest = ("{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
        + "\"digest\":\"" + blob(dir, config) + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest + "\",\"size\":"
        + layer.size() + "}]}").getBytes(StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + blob(dir, manifest) + "\",\"size\":"
        + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
    return dir;
  }

  private static String blob(Path layout, byte[] bytes) throws IOException {
    String hex;
    try {
      hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Files.write(layout.resolve("blobs/sha256/" + hex), bytes);
    return "sha256:" + hex;
  }

  public static void main(String[] args) throws IOException {
    // the start-up work of main(), which the commands below do not pass through
    Actool.warmUp(RunCommand.class);
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
        {"list", "--pods-dir=" + dir.resolve("pods")},
        {"list", "--json", "--pods-dir=" + dir.resolve("pods")},
        {"gc", "--pods-dir=" + dir.resolve("pods")},
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
      // docker2aci, from the same launcher and archive: an OCI layout with one gzip layer
      Path oci = ociLayout(dir.resolve("oci"));
      String[][] conversions = {
        {"--output", dir.resolve("d1").toString(), oci.toString()},
        {"--nosquash", "--compression", "none", "--output", dir.resolve("d2").toString(), oci.toString()},
      };
      for (String[] command : conversions) {
        int code = Docker2aci.run(sink, sink, command);
        if (code != 0) {
          System.err.println("cds training: docker2aci " + String.join(" ", command) + " exited " + code);
          System.exit(code);
        }
      }
      // run's own classes, without running a pod (the build needs neither root nor tini): its
      // command line up to the store, which lacks the image (exit 254), and a pod planned in full
      Actool.run(sink, sink, "run", store, "--pods-dir=" + dir.resolve("pods"), "--pull-policy", "never",
          "example.com/absent", "--memory", "64Mi", "--exec", "/bin/hello", "--", "arg");
      // and a stored image taken from the store and its tree cache, up to the pods directory,
      // which is a file here, so no pod starts
      Actool.run(sink, sink, "image", "import", store, aci);
      Path notADirectory = Files.writeString(dir.resolve("pods-file"), "");
      Actool.run(sink, sink, "run", store, "--pods-dir=" + notADirectory, "--pull-policy", "never",
          "example.com/training");
      plan(dir, layout.resolve("rootfs"), manifest);
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Plans a pod of the training image as actool run does, and writes stage1's files down (not run). */
  private static void plan(Path dir, Path rootfs, Path manifestFile) throws IOException {
    try {
      Files.createDirectories(rootfs.resolve("etc"));
      Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
      ImageManifest m = ImageManifest.parse(Files.readAllBytes(manifestFile));
      PodManifest pod = PodAssembler.assemble(List.of(new PodAssembler.Input(ImageId.parse("sha512-" + "0".repeat(128)), m,
          AppOverrides.none())), List.of(), List.of());
      pod = PodManifest.parse(pod.toJson());
      RuntimeApp app = pod.apps().get(0);
      Path podDir = Files.createDirectories(dir.resolve("pods/training"));
      HostTools tools = new HostTools(Path.of("/bin/sh"), Path.of("/bin/mount"), Path.of("/sbin/pivot_root"),
          Path.of("/bin/umount"), Path.of("/bin/cp"), Path.of("/bin/chown"), Path.of("/bin/chmod"), Path.of("/usr/bin/env"), Path.of("/usr/bin/setpriv"),
          Path.of("/usr/bin/unshare"), Path.of("/usr/bin/tini"), Path.of("/bin/ip"), Path.of("/usr/bin/nsenter"), Path.of("/bin/hostname"), List.of(Path.of("/usr")),
          Map.of("bin", "usr/bin"), null, "redirect_dir=off", false, null);
      PodSpec spec = new PodSpec(UUID.randomUUID(), podDir, List.of(new AppSpec(app.name(), app.app(),
          new AppSpec.Overlay(List.of(rootfs), podDir.resolve("upper"), podDir.resolve("work")), false, app.mounts())),
          pod.volumes(), pod.isolators(), new PodOptions(NetMode.DEFAULT, true, "training", null, null, null, null, false, null));
      PodPlan plan = PodPlanner.plan(spec, tools, Map.of());
      Stage1Script.files(plan, tools);
      Stage1Script.command(plan, tools);
    } catch (AppcException e) {
      System.err.println("cds training: planning a pod failed: " + e.getMessage());
      System.exit(1);
    }
  }
}
