package org.appctools.executor.net;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.appctools.AppcException;
import org.appctools.executor.NetMode;

/**
 * rkt's {@code --net} value: {@code host}, {@code none}, or networks to join in a private network
 * namespace, {@code NAME[:ARG=VALUE[;ARG=VALUE...]][,NAME...]} ({@code default} is one of them).
 *
 * @param networks empty for {@code host} and {@code none}
 */
public record NetSelection(NetMode mode, List<Attachment> networks) {
  public NetSelection {
    networks = List.copyOf(networks);
  }

  /** One network to join and its arguments for the plugins ({@code CNI_ARGS}, empty for none). */
  public record Attachment(String name, String args) {}

  /** {@code host}, {@code none} or network names with arguments. */
  public static NetSelection parse(String s) throws AppcException {
    if (s.equals("host")) {
      return new NetSelection(NetMode.HOST, List.of());
    }
    if (s.equals("none")) {
      return new NetSelection(NetMode.NONE, List.of());
    }
    List<Attachment> nets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String part : s.split(",", -1)) {
      int colon = part.indexOf(':');
      String name = colon < 0 ? part : part.substring(0, colon);
      String args = colon < 0 ? "" : part.substring(colon + 1);
      if (name.equals("host") || name.equals("none")) {
        throw new AppcException("invalid --net \"" + s + "\": " + name + " stands alone (give it without other networks)");
      }
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.\\-]*")) {
        throw new AppcException("invalid --net \"" + s + "\": \"" + name
            + "\" is not a network name (use default, host, none or NAME[:ARG=VALUE;...][,NAME...])");
      }
      if (!names.add(name)) {
        throw new AppcException("invalid --net \"" + s + "\": network \"" + name + "\" is given twice");
      }
      for (String a : args.isEmpty() ? new String[0] : args.split(";", -1)) {
        if (a.indexOf('=') <= 0) {
          throw new AppcException("invalid --net \"" + s + "\": argument \"" + a + "\" of network \"" + name
              + "\" is not ARG=VALUE");
        }
      }
      nets.add(new Attachment(name, args));
    }
    return new NetSelection(NetMode.DEFAULT, nets);
  }
}
