package dev.meshpilot.server.ads;

import com.google.protobuf.Any;

import java.util.Objects;

/**
 * One xDS resource as served: its name, its packed body and a version that changes iff the content changes. Also
 * carries a 64-bit digest of (name, version), computed once, which set versions sum (see {@link Versions}).
 * Immutable; one instance is shared by every proxy served that resource.
 */
public final class VersionedResource {
    private final String name;
    private final Any body;
    private final String version;
    private final long digest;

    public VersionedResource(String name, Any body, String version) {
        this.name = Objects.requireNonNull(name, "name");
        this.body = Objects.requireNonNull(body, "body");
        this.version = Objects.requireNonNull(version, "version");
        this.digest = Versions.digest(name, version);
    }

    public String name() {
        return name;
    }

    public Any body() {
        return body;
    }

    public String version() {
        return version;
    }

    long digest() {
        return digest;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o instanceof VersionedResource other && name.equals(other.name)
                && version.equals(other.version) && body.equals(other.body));
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version);
    }

    @Override
    public String toString() {
        return "VersionedResource[" + name + " " + version + "]";
    }
}
