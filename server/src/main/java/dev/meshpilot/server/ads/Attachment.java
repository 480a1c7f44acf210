package dev.meshpilot.server.ads;

import java.util.Objects;

/** What the config source knows about a newly connected proxy: its id ({@code POD.NS}), namespace and resources. */
public record Attachment(String proxyId, String namespace, ResourceSet resources) {
    public Attachment {
        Objects.requireNonNull(proxyId, "proxyId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(resources, "resources");
    }
}
