package dev.meshpilot.xds.generate;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.ListValue;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.Address;

import java.util.Map;
import java.util.TreeMap;

/** Small builders for protos every generator needs. */
final class Protos {

    private Protos() {
    }

    static Duration seconds(long seconds) {
        return Duration.newBuilder().setSeconds(seconds).build();
    }

    static Duration millis(long millis) {
        return Duration.newBuilder().setSeconds(millis / 1000).setNanos((int) (millis % 1000) * 1_000_000).build();
    }

    static Duration duration(java.time.Duration d) {
        return Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
    }

    static UInt32Value uint32(int value) {
        return UInt32Value.of(value);
    }

    /** ADS as the config source (v3 API); with the zero initial fetch timeout Istio sets for sidecars when asked. */
    static ConfigSource ads(boolean zeroInitialFetchTimeout) {
        ConfigSource.Builder source = ConfigSource.newBuilder()
                .setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3);
        if (zeroInitialFetchTimeout) {
            source.setInitialFetchTimeout(seconds(0));
        }
        return source.build();
    }

    static Address socketAddress(String ip, int port) {
        return Address.newBuilder()
                .setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port))
                .build();
    }

    static Any pack(Message message) {
        return Any.pack(message);
    }

    static Value string(String s) {
        return Value.newBuilder().setStringValue(s).build();
    }

    /** A Struct whose fields are inserted in key order (deterministic JSON and bytes). */
    static Struct struct(Map<String, Value> fields) {
        return Struct.newBuilder().putAllFields(new TreeMap<>(fields)).build();
    }

    static Value structValue(Map<String, Value> fields) {
        return Value.newBuilder().setStructValue(struct(fields)).build();
    }

    static Value list(Iterable<Value> values) {
        return Value.newBuilder().setListValue(ListValue.newBuilder().addAllValues(values)).build();
    }

    /** Metadata with one {@code filter_metadata} entry. */
    static Metadata filterMetadata(String filter, Map<String, Value> fields) {
        return Metadata.newBuilder().putFilterMetadata(filter, struct(fields)).build();
    }
}
