package dev.meshpilot.e2e.ads;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpilot.e2e.harness.ProxyNode;
import io.envoyproxy.envoy.config.core.v3.Node;

/** xDS {@code Node} messages for our own ADS clients, shaped like a grpc-java proxyless client's. */
public final class TestNodes {

    private TestNodes() {
    }

    public static Node proxyless(ProxyNode proxy) {
        Struct labels = Struct.newBuilder().putFields("app", Value.newBuilder().setStringValue(proxy.pod()).build())
                .build();
        Struct metadata = Struct.newBuilder()
                .putFields("NAMESPACE", Value.newBuilder().setStringValue(proxy.namespace()).build())
                .putFields("NAME", Value.newBuilder().setStringValue(proxy.pod()).build())
                .putFields("GENERATOR", Value.newBuilder().setStringValue("grpc").build())
                .putFields("LABELS", Value.newBuilder().setStructValue(labels).build())
                .build();
        return Node.newBuilder()
                .setId(proxy.id())
                .setCluster(proxy.proxyName())
                .setMetadata(metadata)
                .setUserAgentName("gRPC Java")
                .setUserAgentVersion("1.85.1")
                .build();
    }
}
