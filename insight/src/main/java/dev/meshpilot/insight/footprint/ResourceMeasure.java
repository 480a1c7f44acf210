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
        int clusters = 0;
        int tls = 0;
        long endpoints = 0;
        for (XdsResource r : resources.clusters().resources()) {
            Cluster cluster = (Cluster) r.proto();
            clusters++;
            if (hasTls(cluster)) {
                tls++;
            }
            endpoints += hostCount(cluster.getLoadAssignment());
        }
        for (XdsResource r : resources.endpoints().resources()) {
            endpoints += hostCount((ClusterLoadAssignment) r.proto());
        }
        int http = 0;
        int tcp = 0;
        int extraChains = 0;
        for (XdsResource r : resources.listeners().resources()) {
            Listener listener = (Listener) r.proto();
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
        }
        int virtualHosts = 0;
        int routes = 0;
        for (XdsResource r : resources.routes().resources()) {
            RouteConfiguration config = (RouteConfiguration) r.proto();
            virtualHosts += config.getVirtualHostsCount();
            for (VirtualHost vh : config.getVirtualHostsList()) {
                routes += vh.getRoutesCount();
            }
        }
        return new ConfigCounts(clusters, tls, endpoints, http, tcp, extraChains, virtualHosts, routes);
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
