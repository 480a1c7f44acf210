package dev.meshpilot.insight.footprint;

import com.google.protobuf.Any;
import dev.meshpilot.insight.model.ConfigCounts;
import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.TrafficDirection;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the counts the memory model charges for, and the serialized bytes per type, from the resources a proxy is
 * actually served. Nothing here is a formula: every number is counted in the protos or summed from their bytes.
 */
public final class ResourceMeasure {

    private static final String HCM_FILTER_NAME = "envoy.filters.network.http_connection_manager";

    private final boolean assumeMtls;

    /**
     * @param assumeMtls count every outbound cluster as carrying an upstream TLS context, as Istio's auto mTLS
     *                   adds one to each (meshpilot itself serves plaintext clusters)
     */
    public ResourceMeasure(boolean assumeMtls) {
        this.assumeMtls = assumeMtls;
    }

    public XdsBytes bytes(ProxyResources resources) {
        return new XdsBytes(resources.clusters().totalBytes(), resources.endpoints().totalBytes(),
                resources.listeners().totalBytes(), resources.routes().totalBytes());
    }

    public ConfigCounts counts(ProxyResources resources) {
        Tally tally = tally();
        resources.clusters().resources().forEach(r -> tally.cluster((Cluster) r.proto()));
        resources.endpoints().resources().forEach(r -> tally.endpoints((ClusterLoadAssignment) r.proto()));
        resources.listeners().resources().forEach(r -> tally.listener((Listener) r.proto()));
        resources.routes().resources().forEach(r -> tally.route((RouteConfiguration) r.proto()));
        return tally.counts();
    }

    /** A running count of resources handed over one at a time (a config dump read as a stream). */
    public Tally tally() {
        return new Tally();
    }

    /**
     * Counts and serialized bytes of resources added one by one, by the same rules as
     * {@link #counts(ProxyResources)} and {@link #bytes(ProxyResources)}, so a proxy measured from its dump and
     * from meshpilot's generated resources agree to the byte.
     */
    public final class Tally {
        private int clusters;
        private int tls;
        private long endpoints;
        private int http;
        private int tcp;
        private int extraChains;
        private int virtualHosts;
        private int routes;
        private long clusterBytes;
        private long endpointBytes;
        private long listenerBytes;
        private long routeBytes;

        private Tally() {
        }

        public void cluster(Cluster cluster) {
            clusters++;
            if (hasTls(cluster)) {
                tls++;
            }
            endpoints += hostCount(cluster.getLoadAssignment());
            clusterBytes += cluster.getSerializedSize();
        }

        public void endpoints(ClusterLoadAssignment assignment) {
            endpoints += hostCount(assignment);
            endpointBytes += assignment.getSerializedSize();
        }

        public void listener(Listener listener) {
            List<FilterChain> chains = new ArrayList<>(listener.getFilterChainsList());
            if (listener.hasDefaultFilterChain()) {
                chains.add(listener.getDefaultFilterChain());
            }
            boolean isHttp = listener.hasApiListener() && isHcm(listener.getApiListener().getApiListener())
                    || chains.stream().anyMatch(ResourceMeasure::hasHcm);
            if (isHttp) {
                http++;
            } else {
                tcp++;
            }
            extraChains += Math.max(0, chains.size() - 1);
            listenerBytes += listener.getSerializedSize();
        }

        public void route(RouteConfiguration config) {
            virtualHosts += config.getVirtualHostsCount();
            for (VirtualHost vh : config.getVirtualHostsList()) {
                routes += vh.getRoutesCount();
            }
            routeBytes += config.getSerializedSize();
        }

        public ConfigCounts counts() {
            return new ConfigCounts(clusters, tls, endpoints, http, tcp, extraChains, virtualHosts, routes);
        }

        public XdsBytes bytes() {
            return new XdsBytes(clusterBytes, endpointBytes, listenerBytes, routeBytes);
        }
    }

    private boolean hasTls(Cluster cluster) {
        if (cluster.hasTransportSocket() || cluster.getTransportSocketMatchesCount() > 0) {
            return true;
        }
        return assumeMtls && ClusterName.parse(cluster.getName())
                .map(n -> n.direction() == TrafficDirection.OUTBOUND).orElse(false);
    }

    static long hostCount(ClusterLoadAssignment assignment) {
        long hosts = 0;
        for (LocalityLbEndpoints locality : assignment.getEndpointsList()) {
            hosts += locality.getLbEndpointsCount();
        }
        return hosts;
    }

    private static boolean hasHcm(FilterChain chain) {
        for (Filter filter : chain.getFiltersList()) {
            if (HCM_FILTER_NAME.equals(filter.getName()) || filter.hasTypedConfig() && isHcm(filter.getTypedConfig())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHcm(Any config) {
        return config.is(HttpConnectionManager.class);
    }
}
