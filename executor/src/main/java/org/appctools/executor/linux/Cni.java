package org.appctools.executor.linux;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.appctools.AppcException;
import org.appctools.executor.PodPlanner;
import org.appctools.executor.net.CniRequest;
import org.appctools.executor.net.CniResult;
import org.appctools.executor.net.NetworkConfig;

/**
 * Runs CNI plugins as the specification says: each plugin of a network, found by its {@code type}
 * on the plugin path, gets the {@code CNI_*} environment and its configuration on standard input
 * ({@link CniRequest}); ADD runs them in order, each getting the previous one's result, DEL in
 * reverse order (CHECK is not run: see the README's network section). A plugin's error is reported in one line: the network, the
 * plugin, the command, the plugin's error code and message.
 */
public final class Cni {
  /** The plugin path when none is given. */
  public static final String DEFAULT_PATH = "/usr/lib/cni:/opt/cni/bin";
  /** How long one plugin may take. */
  static final long TIMEOUT_SECONDS = 60;

  private final List<Path> path;

  /** {@code path}: the directories where the plugins are looked for, in order. */
  public Cni(List<Path> path) {
    this.path = List.copyOf(path);
  }

  /** The directories of a {@code :}-separated plugin path. */
  public static List<Path> parsePath(String s) {
    return java.util.Arrays.stream(s.split(":")).filter(p -> !p.isEmpty()).map(Path::of).toList();
  }

  /** The plugin path as {@code CNI_PATH} gives it to the plugins. */
  public String pathString() {
    return path.stream().map(Path::toString).collect(Collectors.joining(":"));
  }

  /** ADD: the network's last plugin's result; fails at the first plugin that fails. */
  public CniResult add(NetworkConfig net, String containerId, Path netns, String ifName, String args,
      Map<String, JsonNode> runtimeConfig) throws AppcException {
    CniResult result = null;
    for (int i = 0; i < net.plugins().size(); i++) {
      byte[] out = exec(net, i, CniRequest.Command.ADD, containerId, netns, ifName, args,
          result == null ? null : result.json(), runtimeConfig);
      result = CniResult.parse(out, what(net, i, CniRequest.Command.ADD));
    }
    return result;
  }

  /**
   * DEL in reverse order, every plugin even when one fails (the first failure is thrown at the
   * end); a plugin not on the path is skipped (it made nothing to undo, or is gone and cannot);
   * {@code addResult} is the {@code prevResult} (null when ADD gave none; not sent below 0.4.0).
   */
  public void del(NetworkConfig net, String containerId, Path netns, String ifName, String args,
      Map<String, JsonNode> runtimeConfig, JsonNode addResult) throws AppcException {
    JsonNode prev = net.prevResultOnDel() ? addResult : null;
    AppcException first = null;
    for (int i = net.plugins().size() - 1; i >= 0; i--) {
      if (lookup(net.plugins().get(i).path("type").asText()) == null) {
        continue;
      }
      try {
        exec(net, i, CniRequest.Command.DEL, containerId, netns, ifName, args, prev, runtimeConfig);
      } catch (AppcException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private static String what(NetworkConfig net, int i, CniRequest.Command c) {
    return "network \"" + net.name() + "\": plugin " + net.plugins().get(i).path("type").asText() + " " + c;
  }

  private byte[] exec(NetworkConfig net, int i, CniRequest.Command command, String containerId, Path netns, String ifName,
      String args, JsonNode prevResult, Map<String, JsonNode> runtimeConfig) throws AppcException {
    String type = net.plugins().get(i).path("type").asText();
    String what = what(net, i, command);
    Path plugin = find(type, net);
    ProcessBuilder pb = new ProcessBuilder(plugin.toString());
    pb.environment().clear();
    pb.environment().put("PATH", PodPlanner.DEFAULT_PATH);
    pb.environment().putAll(CniRequest.environment(command, containerId, netns.toString(), ifName, args, pathString()));
    byte[] in = CniRequest.input(net, i, prevResult, runtimeConfig);
    try {
      Process p = pb.start();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = drain(p.getErrorStream(), err);
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write(in);
      } catch (IOException e) {
        // the plugin did not read its input: its exit status and output say why
      }
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AppcException("cni: " + what + " did not end within " + TIMEOUT_SECONDS + " s (" + plugin + ")");
      }
      errReader.join();
      if (p.exitValue() != 0) {
        throw new AppcException("cni: " + what + " failed: " + CniResult.errorMessage(out, err.toByteArray()));
      }
      return out;
    } catch (IOException e) {
      throw new AppcException("cni: " + what + ": cannot run " + plugin + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AppcException("cni: interrupted during " + what, e);
    }
  }

  private Path find(String type, NetworkConfig net) throws AppcException {
    if (!type.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      throw new AppcException("cni: network \"" + net.name() + "\" (" + net.source() + "): plugin type \"" + type
          + "\" is not a file name");
    }
    Path p = lookup(type);
    if (p != null) {
      return p;
    }
    throw new AppcException("cni: network \"" + net.name() + "\": plugin \"" + type + "\" not found in " + pathString()
        + " (install it, e.g. Debian's containernetworking-plugins, or give its directory with --cni-plugin-path)");
  }

  /** The plugin's executable on the path, or null. */
  private Path lookup(String type) {
    if (!type.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
      return null;
    }
    for (Path d : path) {
      Path p = d.resolve(type);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static Thread drain(InputStream in, ByteArrayOutputStream to) {
    Thread t = new Thread(() -> {
      try {
        in.transferTo(to);
      } catch (IOException e) {
        // the plugin's stderr closed
      }
    }, "cni-stderr");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
