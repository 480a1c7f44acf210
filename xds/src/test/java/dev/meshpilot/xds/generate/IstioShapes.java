package dev.meshpilot.xds.generate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.List;
import java.util.Map;

/** Helpers of the Istio-shape tests: bookinfo's productpage (plus a TCP service) generated for one proxy kind. */
final class IstioShapes {

    static final String MONGO_VIP = "10.96.0.50";

    private IstioShapes() {
    }

    /** Bookinfo plus {@code mongodb:27017} (TCP, with a VIP). */
    static TestMesh bookinfo(OutboundTrafficPolicy policy) {
        TestMesh mesh = TestMesh.bookinfo();
        mesh.service("mongodb", "default", MONGO_VIP, Map.of("app", "mongodb"),
                TestMesh.port("mongo", 27017, 27017, Protocol.TCP));
        mesh.pod("mongodb-v1-0", "default", "10.0.0.50", Map.of("app", "mongodb", "version", "v1"));
        mesh.policy = policy;
        return mesh;
    }

    /** productpage's (or {@code pod}'s) resources as a proxy of {@code kind}. */
    static ProxyResources generate(TestMesh mesh, String pod, String ip, ProxyKind kind) {
        String app = pod.substring(0, pod.indexOf('-'));
        ProxyIdentity proxy = new ProxyIdentity(pod, "default", Map.of("app", app, "version", "v1"), ip, kind);
        return new ProxyConfigGenerator().generate(mesh.snapshot(), proxy, mesh.scope("default"));
    }

    static ProxyResources productpage(ProxyKind kind) {
        return generate(bookinfo(OutboundTrafficPolicy.ALLOW_ANY), "productpage-v1-0", "10.0.0.10", kind);
    }

    /** reviews-v2-0: the workload behind reviews:9080 (its inbound side). */
    static ProxyResources reviews(ProxyKind kind) {
        return generate(bookinfo(OutboundTrafficPolicy.ALLOW_ANY), "reviews-v2-0", "10.0.0.22", kind);
    }

    static Listener listener(ProxyResources r, String name) {
        return (Listener) r.listeners().get(name).orElseThrow().proto();
    }

    static Cluster cluster(ProxyResources r, String name) {
        return (Cluster) r.clusters().get(name).orElseThrow().proto();
    }

    static RouteConfiguration routes(ProxyResources r, String name) {
        return (RouteConfiguration) r.routes().get(name).orElseThrow().proto();
    }

    static HttpConnectionManager hcm(FilterChain chain) {
        Filter last = chain.getFilters(chain.getFiltersCount() - 1);
        return unpack(last.getTypedConfig(), HttpConnectionManager.class);
    }

    static List<String> names(List<? extends Message> filters) {
        return filters.stream().map(f -> (String) f.getField(f.getDescriptorForType().findFieldByName("name")))
                .toList();
    }

    static List<String> httpFilterNames(HttpConnectionManager manager) {
        return manager.getHttpFiltersList().stream().map(HttpFilter::getName).toList();
    }

    static <T extends Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
