package org.appctools.docker.json;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The execution parameters of an image config ({@code config}), Docker and OCI alike. Lists and
 * maps are null when absent, as the conversion rules tell absent from empty in places.
 */
public record ContainerConfigTemplate(
    @JsonProperty("User") String user,
    @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
    @JsonProperty("PortSpecs") List<String> portSpecs,
    @JsonProperty("Env") List<String> env,
    @JsonProperty("Entrypoint") List<String> entrypoint,
    @JsonProperty("Cmd") List<String> cmd,
    @JsonProperty("Volumes") Map<String, Object> volumes,
    @JsonProperty("WorkingDir") String workingDir,
    @JsonProperty("Labels") Map<String, String> labels) {}
