package org.appctools.docker.json;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of an image config's {@code history}: how a layer (or an empty step) was made. */
public record HistoryTemplate(
    String created,
    @JsonProperty("created_by") String createdBy,
    String comment,
    @JsonProperty("empty_layer") Boolean emptyLayer) {}
