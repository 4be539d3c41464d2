package org.appctools.discovery;

import java.net.URI;

/** One rendered {@code ac-discovery} template: the image and its detached signature. */
public record ImageEndpoint(URI aci, URI signature) {}
