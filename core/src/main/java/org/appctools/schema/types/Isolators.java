package org.appctools.schema.types;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The isolator names, and factories for building isolators from command-line input
 * ({@code actool patch-manifest}, {@code acbuild isolator add}).
 */
public final class Isolators {
  public static final String RESOURCE_CPU = "resource/cpu";
  public static final String RESOURCE_MEMORY = "resource/memory";
  public static final String BLOCK_BANDWIDTH = "resource/block-bandwidth";
  public static final String BLOCK_IOPS = "resource/block-iops";
  public static final String NETWORK_BANDWIDTH = "resource/network-bandwidth";
  public static final String CAPABILITIES_RETAIN_SET = "os/linux/capabilities-retain-set";
  public static final String CAPABILITIES_REMOVE_SET = "os/linux/capabilities-remove-set";
  public static final String NO_NEW_PRIVILEGES = "os/linux/no-new-privileges";
  public static final String SECCOMP_REMOVE_SET = "os/linux/seccomp-remove-set";
  public static final String SECCOMP_RETAIN_SET = "os/linux/seccomp-retain-set";
  public static final String SELINUX_CONTEXT = "os/linux/selinux-context";
  public static final String APPARMOR_PROFILE = "os/linux/apparmor-profile";
  public static final String OOM_SCORE_ADJ = "os/linux/oom-score-adj";
  public static final String CPU_SHARES = "os/linux/cpu-shares";
  public static final String SYSCTL = "os/unix/sysctl";

  /** Isolators that may appear at most once in one list, as in the Go reference. */
  public static final Set<String> SINGLE_INSTANCE = Set.of(SECCOMP_REMOVE_SET, SECCOMP_RETAIN_SET, SELINUX_CONTEXT,
      APPARMOR_PROFILE, OOM_SCORE_ADJ, CPU_SHARES, SYSCTL);

  /**
   * Capability names: letters, digits and underscores. {@code CAP_NET_ADMIN} is the canonical form;
   * names without the prefix ({@code NET_ADMIN}) are accepted because the Go reference accepts any
   * string, and {@code ManifestCheck} warns on them.
   */
  static final Pattern CAPABILITY = Pattern.compile("[A-Za-z0-9_]+");
  static final Pattern CANONICAL_CAPABILITY = Pattern.compile("CAP_[A-Z0-9_]+");

  private static final Map<String, Class<? extends IsolatorValue>> TYPES = new HashMap<>();

  static {
    TYPES.put(RESOURCE_CPU, IsolatorValue.ResourceCpu.class);
    TYPES.put(RESOURCE_MEMORY, IsolatorValue.ResourceMemory.class);
    TYPES.put(BLOCK_BANDWIDTH, IsolatorValue.BlockBandwidth.class);
    TYPES.put(BLOCK_IOPS, IsolatorValue.BlockIops.class);
    TYPES.put(NETWORK_BANDWIDTH, IsolatorValue.NetworkBandwidth.class);
    TYPES.put(CAPABILITIES_RETAIN_SET, IsolatorValue.CapabilitiesRetainSet.class);
    TYPES.put(CAPABILITIES_REMOVE_SET, IsolatorValue.CapabilitiesRemoveSet.class);
    TYPES.put(NO_NEW_PRIVILEGES, IsolatorValue.NoNewPrivileges.class);
    TYPES.put(SECCOMP_REMOVE_SET, IsolatorValue.SeccompRemoveSet.class);
    TYPES.put(SECCOMP_RETAIN_SET, IsolatorValue.SeccompRetainSet.class);
    TYPES.put(SELINUX_CONTEXT, IsolatorValue.SelinuxContext.class);
    TYPES.put(APPARMOR_PROFILE, IsolatorValue.ApparmorProfile.class);
    TYPES.put(OOM_SCORE_ADJ, IsolatorValue.OomScoreAdj.class);
    TYPES.put(CPU_SHARES, IsolatorValue.CpuShares.class);
    TYPES.put(SYSCTL, IsolatorValue.Sysctl.class);
  }

  private Isolators() {
  }

  /** Whether {@code name} is an isolator the spec or the Go reference defines. */
  public static boolean isKnown(String name) {
    return TYPES.containsKey(name);
  }

  /** Whether {@code capability} is spelled canonically, {@code CAP_} and upper case. */
  public static boolean isCanonicalCapability(String capability) {
    return CANONICAL_CAPABILITY.matcher(capability).matches();
  }

  static Class<? extends IsolatorValue> valueType(String name) {
    return TYPES.getOrDefault(name, IsolatorValue.Unknown.class);
  }

  public static Isolator resourceCpu(String request, String limit) {
    return of(RESOURCE_CPU, new IsolatorValue.ResourceCpu(quantity(request), quantity(limit)));
  }

  public static Isolator resourceMemory(String request, String limit) {
    return of(RESOURCE_MEMORY, new IsolatorValue.ResourceMemory(quantity(request), quantity(limit)));
  }

  public static Isolator blockBandwidth(String limit) {
    return of(BLOCK_BANDWIDTH, new IsolatorValue.BlockBandwidth(requiredQuantity(BLOCK_BANDWIDTH, limit)));
  }

  public static Isolator blockIops(String limit) {
    return of(BLOCK_IOPS, new IsolatorValue.BlockIops(requiredQuantity(BLOCK_IOPS, limit)));
  }

  public static Isolator networkBandwidth(String limit) {
    return of(NETWORK_BANDWIDTH, new IsolatorValue.NetworkBandwidth(requiredQuantity(NETWORK_BANDWIDTH, limit)));
  }

  public static Isolator capabilitiesRetainSet(List<String> caps) {
    return of(CAPABILITIES_RETAIN_SET, new IsolatorValue.CapabilitiesRetainSet(caps));
  }

  public static Isolator capabilitiesRemoveSet(List<String> caps) {
    return of(CAPABILITIES_REMOVE_SET, new IsolatorValue.CapabilitiesRemoveSet(caps));
  }

  public static Isolator seccompRemoveSet(List<String> syscalls, String errno) {
    return of(SECCOMP_REMOVE_SET, new IsolatorValue.SeccompRemoveSet(syscalls, errno));
  }

  public static Isolator seccompRetainSet(List<String> syscalls, String errno) {
    return of(SECCOMP_RETAIN_SET, new IsolatorValue.SeccompRetainSet(syscalls, errno));
  }

  public static Isolator noNewPrivileges(boolean enabled) {
    return of(NO_NEW_PRIVILEGES, new IsolatorValue.NoNewPrivileges(enabled));
  }

  public static Isolator oomScoreAdj(int score) {
    return of(OOM_SCORE_ADJ, new IsolatorValue.OomScoreAdj(score));
  }

  public static Isolator cpuShares(int shares) {
    return of(CPU_SHARES, new IsolatorValue.CpuShares(shares));
  }

  public static Isolator selinuxContext(String user, String role, String type, String level) {
    return of(SELINUX_CONTEXT, new IsolatorValue.SelinuxContext(user, role, type, level));
  }

  public static Isolator apparmorProfile(String profile) {
    return of(APPARMOR_PROFILE, new IsolatorValue.ApparmorProfile(profile));
  }

  public static Isolator sysctl(Map<String, String> values) {
    return of(SYSCTL, new IsolatorValue.Sysctl(values));
  }

  /** An isolator from its name and the JSON of its value, as {@code acbuild isolator add NAME FILE} takes them. */
  public static Isolator parse(String name, byte[] valueJson) {
    AcIdentifier id = AcIdentifier.parse(name);
    JsonNode value;
    try {
      value = new ObjectMapper().readTree(valueJson);
    } catch (IOException e) {
      throw new InvalidValueException("invalid isolator \"" + name + "\": value is not JSON: "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (value == null || value.isMissingNode()) {
      throw new InvalidValueException("invalid isolator \"" + name + "\": value is empty");
    }
    return new Isolator(id, IsolatorValue.fromJson(name, value));
  }

  private static Isolator of(String name, IsolatorValue value) {
    return new Isolator(new AcIdentifier(name), value);
  }

  private static ResourceQuantity quantity(String s) {
    return s == null ? null : ResourceQuantity.parse(s);
  }

  private static ResourceQuantity requiredQuantity(String name, String s) {
    if (s == null) {
      throw new InvalidValueException("invalid isolator \"" + name + "\": limit is required");
    }
    return ResourceQuantity.parse(s);
  }
}
