package dev.meshpilot.server.ads;

import com.google.protobuf.Any;

import java.util.Objects;

/** One xDS resource as served: its name, its packed body and a version that changes iff the content changes. */
public record VersionedResource(String name, Any body, String version) {
    public VersionedResource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(version, "version");
    }
}
