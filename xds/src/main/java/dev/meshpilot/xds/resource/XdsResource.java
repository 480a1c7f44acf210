package dev.meshpilot.xds.resource;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.UnsafeByteOperations;
import dev.meshpilot.xds.naming.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * One generated xDS resource: its name, type, proto, the proto's deterministic serialization, a content hash of
 * those bytes (used as the resource's version) and its origin (which generator made it and why, shown by debug
 * output). Immutable; shared by every proxy whose scope produced it.
 */
public final class XdsResource {

    private final String name;
    private final XdsType type;
    private final Message proto;
    private final ByteString bytes;
    private final String hash;
    private final long digest;
    private final String origin;
    /** A listener's references, found on the first consistency check (a benign race may find them twice). */
    private volatile List<ConsistencyCheck.Reference> listenerReferences;

    private XdsResource(String name, XdsType type, Message proto, ByteString bytes, String origin) {
        this.name = name;
        this.type = type;
        this.proto = proto;
        this.bytes = bytes;
        this.hash = ContentHash.of(bytes);
        this.digest = new ContentHash().add(type.typeUrl()).add(name).add(hash).finishAsLong();
        this.origin = origin;
    }

    /**
     * Wraps a resource proto; the name is the proto's own ({@code name}, or {@code cluster_name} for a
     * ClusterLoadAssignment), so the two can never disagree.
     *
     * @throws IllegalArgumentException when the proto is not of {@code type}'s message type
     */
    public static XdsResource of(XdsType type, Message proto, String origin) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(proto, "proto");
        return new XdsResource(nameOf(type, proto), type, proto, serialize(proto), origin == null ? "" : origin);
    }

    public static XdsResource cluster(Cluster cluster, String origin) {
        return of(XdsType.CLUSTER, cluster, origin);
    }

    public static XdsResource endpoints(ClusterLoadAssignment assignment, String origin) {
        return of(XdsType.ENDPOINT, assignment, origin);
    }

    public static XdsResource listener(Listener listener, String origin) {
        return of(XdsType.LISTENER, listener, origin);
    }

    public static XdsResource route(RouteConfiguration route, String origin) {
        return of(XdsType.ROUTE, route, origin);
    }

    public String name() {
        return name;
    }

    public XdsType type() {
        return type;
    }

    public Message proto() {
        return proto;
    }

    /** The deterministic serialization sent on the wire. */
    public ByteString bytes() {
        return bytes;
    }

    public int serializedSize() {
        return bytes.size();
    }

    /** 16 hex digits of the SHA-256 of {@link #bytes()}: equal content, equal hash. */
    public String hash() {
        return hash;
    }

    /**
     * 64 bits identifying (type, name, content): what a {@link ResourceSet}'s version sums, so a set's version can be
     * extended by a few resources without rehashing the rest.
     */
    long digest() {
        return digest;
    }

    /** Which generator made this resource and for what, e.g. {@code sidecar-outbound: reviews.default.svc... port 9080}. */
    public String origin() {
        return origin;
    }

    /** The clusters and route configurations this listener points at (empty for other types). */
    List<ConsistencyCheck.Reference> listenerReferences() {
        List<ConsistencyCheck.Reference> refs = listenerReferences;
        if (refs == null) {
            refs = type == XdsType.LISTENER ? ConsistencyCheck.referencesOf((Listener) proto) : List.of();
            listenerReferences = refs;
        }
        return refs;
    }

    /** The resource packed in an {@code Any} without re-serializing it. */
    public Any toAny() {
        return Any.newBuilder().setTypeUrl(type.typeUrl()).setValue(bytes).build();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        // the digest covers type, name and content hash: unequal digests settle it without reading the bytes
        return o instanceof XdsResource other && digest == other.digest && type == other.type
                && name.equals(other.name) && bytes.equals(other.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, hash);
    }

    @Override
    public String toString() {
        return type.discoveryService() + " " + name + " (" + bytes.size() + " bytes, " + hash + ")";
    }

    private static String nameOf(XdsType type, Message proto) {
        return switch (type) {
            case CLUSTER -> cast(proto, Cluster.class, type).getName();
            case ENDPOINT -> cast(proto, ClusterLoadAssignment.class, type).getClusterName();
            case LISTENER -> cast(proto, Listener.class, type).getName();
            case ROUTE -> cast(proto, RouteConfiguration.class, type).getName();
        };
    }

    private static <T> T cast(Message proto, Class<T> expected, XdsType type) {
        if (!expected.isInstance(proto)) {
            throw new IllegalArgumentException(type + " resource must be a " + expected.getSimpleName() + ", got "
                    + proto.getDescriptorForType().getFullName());
        }
        return expected.cast(proto);
    }

    /** Deterministic serialization (map entries sorted by key), so equal protos always give equal bytes. */
    static ByteString serialize(Message proto) {
        byte[] out = new byte[proto.getSerializedSize()];
        CodedOutputStream stream = CodedOutputStream.newInstance(out);
        stream.useDeterministicSerialization();
        try {
            proto.writeTo(stream);
            stream.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("serializing into a byte array cannot fail", e);
        }
        return UnsafeByteOperations.unsafeWrap(out); // the array is ours alone and never written again
    }
}
