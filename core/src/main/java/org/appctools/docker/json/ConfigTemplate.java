package org.appctools.docker.json;

import java.util.List;

/**
 * An image configuration (Docker image JSON or OCI image config), and also the {@code json} of
 * a layer in the old {@code docker save} layout, which adds {@code id} and {@code parent}.
 * {@code history} is null when absent.
 */
public record ConfigTemplate(
    String id,
    String parent,
    String created,
    String author,
    String comment,
    String architecture,
    String os,
    String variant,
    ContainerConfigTemplate config,
    RootfsTemplate rootfs,
    List<HistoryTemplate> history) {}
