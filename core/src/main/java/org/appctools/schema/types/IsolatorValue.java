package org.appctools.schema.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The typed value of an {@link Isolator}: one record per isolator the spec or the Go reference
 * defines, and {@link Unknown} for everything else (kept as raw JSON, spec §10.1: an executor may
 * ignore isolators it does not understand, so reading must not fail on them).
 */
public sealed interface IsolatorValue {
  JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The wire form of the value. */
  JsonNode toJson();

  /** {@code resource/cpu}: request and limit in cores; either may be null. */
  record ResourceCpu(ResourceQuantity request, ResourceQuantity limit) implements IsolatorValue {
    @Override
    public JsonNode toJson() {
      return requestLimit(false, request, limit);
    }
  }

  /** {@code resource/memory}: request and limit in bytes; either may be null. */
  record ResourceMemory(ResourceQuantity request, ResourceQuantity limit) implements IsolatorValue {
    @Override
    public JsonNode toJson() {
      return requestLimit(false, request, limit);
    }
  }

  /** {@code resource/block-bandwidth}: limit in bytes per second over all block devices. */
  record BlockBandwidth(ResourceQuantity limit) implements IsolatorValue {
    @Override
    public JsonNode toJson() {
      return requestLimit(true, null, limit);
    }
  }

  /** {@code resource/block-iops}: limit in operations per second over all block devices. */
  record BlockIops(ResourceQuantity limit) implements IsolatorValue {
    @Override
    public JsonNode toJson() {
      return requestLimit(true, null, limit);
    }
  }

  /** {@code resource/network-bandwidth}: limit in bytes per second on non-loopback interfaces. */
  record NetworkBandwidth(ResourceQuantity limit) implements IsolatorValue {
    @Override
    public JsonNode toJson() {
      return requestLimit(true, null, limit);
    }
  }

  /** {@code os/linux/capabilities-retain-set}: the bounding set is exactly these. */
  record CapabilitiesRetainSet(List<String> set) implements IsolatorValue {
    public CapabilitiesRetainSet {
      set = capabilities(Isolators.CAPABILITIES_RETAIN_SET, set);
    }

    @Override
    public JsonNode toJson() {
      return NODES.objectNode().set("set", strings(set));
    }
  }

  /** {@code os/linux/capabilities-remove-set}: the default set minus these. */
  record CapabilitiesRemoveSet(List<String> set) implements IsolatorValue {
    public CapabilitiesRemoveSet {
      set = capabilities(Isolators.CAPABILITIES_REMOVE_SET, set);
    }

    @Override
    public JsonNode toJson() {
      return NODES.objectNode().set("set", strings(set));
    }
  }

  /** {@code os/linux/no-new-privileges}. */
  record NoNewPrivileges(boolean enabled) implements IsolatorValue {
    @Override
    public JsonNode toJson() {
      return NODES.booleanNode(enabled);
    }
  }

  /** {@code os/linux/seccomp-remove-set}: a syscall blacklist; errno null means kill with SIGSYS. */
  record SeccompRemoveSet(List<String> set, String errno) implements IsolatorValue {
    public SeccompRemoveSet {
      set = syscalls(Isolators.SECCOMP_REMOVE_SET, set);
      errno = checkErrno(Isolators.SECCOMP_REMOVE_SET, errno);
    }

    @Override
    public JsonNode toJson() {
      return seccomp(set, errno);
    }
  }

  /** {@code os/linux/seccomp-retain-set}: a syscall whitelist; errno null means kill with SIGSYS. */
  record SeccompRetainSet(List<String> set, String errno) implements IsolatorValue {
    public SeccompRetainSet {
      set = syscalls(Isolators.SECCOMP_RETAIN_SET, set);
      errno = checkErrno(Isolators.SECCOMP_RETAIN_SET, errno);
    }

    @Override
    public JsonNode toJson() {
      return seccomp(set, errno);
    }
  }

  /** {@code os/linux/selinux-context}: all four fields non-empty, no colon in user, role, type. */
  record SelinuxContext(String user, String role, String type, String level) implements IsolatorValue {
    public SelinuxContext {
      selinuxPart("user", user, true);
      selinuxPart("role", role, true);
      selinuxPart("type", type, true);
      selinuxPart("level", level, false);
    }

    @Override
    public JsonNode toJson() {
      ObjectNode o = NODES.objectNode();
      o.put("user", user);
      o.put("role", role);
      o.put("type", type);
      o.put("level", level);
      return o;
    }
  }

  /** {@code os/linux/apparmor-profile}: the name of an already loaded profile. */
  record ApparmorProfile(String profile) implements IsolatorValue {
    public ApparmorProfile {
      if (profile == null || profile.isEmpty()) {
        throw invalid(Isolators.APPARMOR_PROFILE, "profile must not be empty");
      }
    }

    @Override
    public JsonNode toJson() {
      return NODES.objectNode().put("profile", profile);
    }
  }

  /** {@code os/linux/oom-score-adj}: -1000..1000. */
  record OomScoreAdj(int score) implements IsolatorValue {
    public OomScoreAdj {
      if (score < -1000 || score > 1000) {
        throw invalid(Isolators.OOM_SCORE_ADJ, score + " must be in -1000..1000");
      }
    }

    @Override
    public JsonNode toJson() {
      return NODES.numberNode(score);
    }
  }

  /** {@code os/linux/cpu-shares}: 2..262144. */
  record CpuShares(int shares) implements IsolatorValue {
    public CpuShares {
      if (shares < 2 || shares > 262144) {
        throw invalid(Isolators.CPU_SHARES, shares + " must be in 2..262144");
      }
    }

    @Override
    public JsonNode toJson() {
      return NODES.numberNode(shares);
    }
  }

  /** {@code os/unix/sysctl}: key to value, keys non-empty, kept sorted. */
  record Sysctl(Map<String, String> values) implements IsolatorValue {
    public Sysctl {
      TreeMap<String, String> copy = new TreeMap<>();
      for (Map.Entry<String, String> e : (values == null ? Map.<String, String>of() : values).entrySet()) {
        if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
          throw invalid(Isolators.SYSCTL, "keys must be non-empty and values strings");
        }
        copy.put(e.getKey(), e.getValue());
      }
      values = Collections.unmodifiableMap(copy);
    }

    @Override
    public JsonNode toJson() {
      ObjectNode o = NODES.objectNode();
      values.forEach(o::put);
      return o;
    }
  }

  /** An isolator this library does not know; its value is kept as it was read. */
  record Unknown(JsonNode raw) implements IsolatorValue {
    public Unknown {
      raw = raw == null ? NODES.nullNode() : raw.deepCopy();
    }

    @Override
    public JsonNode raw() {
      return raw.deepCopy();
    }

    @Override
    public JsonNode toJson() {
      return raw.deepCopy();
    }
  }

  /** Reads the value of isolator {@code name}; unknown names give {@link Unknown}. */
  static IsolatorValue fromJson(String name, JsonNode v) {
    switch (name) {
      case Isolators.RESOURCE_CPU, Isolators.RESOURCE_MEMORY -> {
        JsonNode o = object(name, v);
        if (bool(name, o, "default")) {
          throw invalid(name, "default must be false");
        }
        ResourceQuantity request = quantity(name, o, "request");
        ResourceQuantity limit = quantity(name, o, "limit");
        return name.equals(Isolators.RESOURCE_CPU) ? new ResourceCpu(request, limit) : new ResourceMemory(request, limit);
      }
      case Isolators.BLOCK_BANDWIDTH, Isolators.BLOCK_IOPS, Isolators.NETWORK_BANDWIDTH -> {
        JsonNode o = object(name, v);
        if (!bool(name, o, "default")) {
          throw invalid(name, "default must be true");
        }
        if (quantity(name, o, "request") != null) {
          throw invalid(name, "request is not supported by this resource, must be absent");
        }
        ResourceQuantity limit = quantity(name, o, "limit");
        return switch (name) {
          case Isolators.BLOCK_BANDWIDTH -> new BlockBandwidth(limit);
          case Isolators.BLOCK_IOPS -> new BlockIops(limit);
          default -> new NetworkBandwidth(limit);
        };
      }
      case Isolators.CAPABILITIES_RETAIN_SET -> {
        return new CapabilitiesRetainSet(stringList(name, object(name, v), "set"));
      }
      case Isolators.CAPABILITIES_REMOVE_SET -> {
        return new CapabilitiesRemoveSet(stringList(name, object(name, v), "set"));
      }
      case Isolators.NO_NEW_PRIVILEGES -> {
        if (v == null || !v.isBoolean()) {
          throw invalid(name, "value must be true or false");
        }
        return new NoNewPrivileges(v.booleanValue());
      }
      case Isolators.SECCOMP_REMOVE_SET, Isolators.SECCOMP_RETAIN_SET -> {
        JsonNode o = object(name, v);
        List<String> set = stringList(name, o, "set");
        String errno = string(name, o, "errno");
        return name.equals(Isolators.SECCOMP_REMOVE_SET) ? new SeccompRemoveSet(set, errno) : new SeccompRetainSet(set, errno);
      }
      case Isolators.SELINUX_CONTEXT -> {
        JsonNode o = object(name, v);
        return new SelinuxContext(string(name, o, "user"), string(name, o, "role"), string(name, o, "type"),
            string(name, o, "level"));
      }
      case Isolators.APPARMOR_PROFILE -> {
        return new ApparmorProfile(string(name, object(name, v), "profile"));
      }
      case Isolators.OOM_SCORE_ADJ -> {
        return new OomScoreAdj(integer(name, v));
      }
      case Isolators.CPU_SHARES -> {
        return new CpuShares(integer(name, v));
      }
      case Isolators.SYSCTL -> {
        JsonNode o = object(name, v);
        Map<String, String> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!e.getValue().isTextual()) {
            throw invalid(name, "value of \"" + e.getKey() + "\" must be a string");
          }
          m.put(e.getKey(), e.getValue().textValue());
        }
        return new Sysctl(m);
      }
      default -> {
        return new Unknown(v);
      }
    }
  }

  private static InvalidValueException invalid(String name, String rule) {
    return new InvalidValueException("invalid isolator \"" + name + "\": " + rule);
  }

  private static JsonNode object(String name, JsonNode v) {
    if (v == null || !v.isObject()) {
      throw invalid(name, "value must be a JSON object");
    }
    return v;
  }

  private static boolean bool(String name, JsonNode o, String field) {
    JsonNode f = JsonFields.get(o, field);
    if (f == null || f.isNull()) {
      return false;
    }
    if (!f.isBoolean()) {
      throw invalid(name, field + " must be true or false");
    }
    return f.booleanValue();
  }

  private static String string(String name, JsonNode o, String field) {
    JsonNode f = JsonFields.get(o, field);
    if (f == null || f.isNull()) {
      return null;
    }
    if (!f.isTextual()) {
      throw invalid(name, field + " must be a string");
    }
    return f.textValue();
  }

  private static ResourceQuantity quantity(String name, JsonNode o, String field) {
    JsonNode f = JsonFields.get(o, field);
    if (f == null || f.isNull()) {
      return null;
    }
    if (f.isTextual()) {
      return ResourceQuantity.parse(f.textValue());
    }
    if (f.isIntegralNumber() && f.asLong() >= 0) {
      return ResourceQuantity.parse(f.asText());
    }
    throw invalid(name, field + " must be a quantity string such as \"500m\" or \"1Gi\"");
  }

  private static List<String> stringList(String name, JsonNode o, String field) {
    JsonNode f = JsonFields.get(o, field);
    if (f == null || f.isNull()) {
      return List.of();
    }
    if (!f.isArray()) {
      throw invalid(name, field + " must be a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode e : f) {
      if (!e.isTextual()) {
        throw invalid(name, field + " must be a list of strings");
      }
      out.add(e.textValue());
    }
    return out;
  }

  private static int integer(String name, JsonNode v) {
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid(name, "value must be an integer");
    }
    return v.intValue();
  }

  private static ObjectNode requestLimit(boolean isDefault, ResourceQuantity request, ResourceQuantity limit) {
    ObjectNode o = NODES.objectNode();
    if (isDefault) {
      o.put("default", true);
    }
    if (request != null) {
      o.put("request", request.value());
    }
    if (limit != null) {
      o.put("limit", limit.value());
    }
    return o;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode a = NODES.arrayNode();
    values.forEach(a::add);
    return a;
  }

  private static ObjectNode seccomp(List<String> set, String errno) {
    ObjectNode o = NODES.objectNode();
    o.set("set", strings(set));
    if (errno != null) {
      o.put("errno", errno);
    }
    return o;
  }

  private static List<String> capabilities(String name, List<String> set) {
    if (set == null || set.isEmpty()) {
      throw invalid(name, "set must not be empty");
    }
    for (String c : set) {
      if (c == null || !Isolators.CAPABILITY.matcher(c).matches()) {
        throw invalid(name, "capability \"" + c + "\" must be a name such as CAP_NET_ADMIN");
      }
    }
    return List.copyOf(set);
  }

  private static List<String> syscalls(String name, List<String> set) {
    if (set == null || set.isEmpty()) {
      throw invalid(name, "set must not be empty");
    }
    for (String s : set) {
      if (s == null || s.isEmpty()) {
        throw invalid(name, "syscall names must not be empty");
      }
    }
    return List.copyOf(set);
  }

  private static String checkErrno(String name, String errno) {
    if (errno == null || errno.isEmpty()) {
      return null;
    }
    if (!Pattern.matches("[A-Z][A-Z0-9]*", errno)) {
      throw invalid(name, "errno \"" + errno + "\" must be an upper-case name such as ENOSYS");
    }
    return errno;
  }

  private static void selinuxPart(String part, String value, boolean noColon) {
    if (value == null || value.isEmpty() || (noColon && value.contains(":"))) {
      throw invalid(Isolators.SELINUX_CONTEXT, part + " \"" + (value == null ? "" : value) + "\" must be non-empty"
          + (noColon ? " and contain no colon" : ""));
    }
  }
}
