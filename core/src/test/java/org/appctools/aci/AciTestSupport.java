package org.appctools.aci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.appctools.AppcException;
import org.appctools.tar.TarItem;

/** Small helpers shared by the aci tests. */
final class AciTestSupport {
  private AciTestSupport() {}

  /** Runs a command; returns true when it exited 0. */
  static boolean run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  static String output(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  static List<TarItem> entries(Path aci) throws AppcException {
    List<TarItem> items = new ArrayList<>();
    AciArchive.visit(aci, ReadLimits.defaults(), true, (item, content) -> {
      items.add(item);
      return true;
    });
    return items;
  }

  static TarItem entry(Path aci, String name) throws AppcException {
    return entries(aci).stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
  }

  /** Every test that writes an ACI runs the real validator on it (C14). */
  static void assertValid(Path aci) throws AppcException {
    AciValidator.Report report = AciValidator.validateImage(aci);
    assertThat(report.errors()).as("validation errors of " + aci).isEmpty();
  }
}
