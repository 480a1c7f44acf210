package dev.meshpilot.xds.validate;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks Envoy and gRPC clients make beyond the proto rules, for rejections we have met: a listener that is not
 * an API listener needs an address, and no two listeners share one; two filter chains of one listener may not have the same match; a domain may
 * appear in one virtual host of a route configuration only. For proxyless gRPC (grpc-java's xDS client rules):
 * every listener is an api_listener whose connection manager uses RDS over ADS and ends with the router filter
 * carrying a typed_config; clusters are EDS over ADS with round robin; every locality of a
 * ClusterLoadAssignment has a locality (possibly empty; grpc-js-xds) and a load-balancing weight (grpc-java).
 */
final class EnvoySemantics {

    private static final String ROUTER = "envoy.extensions.filters.http.router.v3.Router";

    private EnvoySemantics() {
    }

    static List<Violation> check(ProxyResources resources) {
        List<Violation> out = new ArrayList<>();
        boolean grpc = !resources.kind().isEnvoy();
        Set<String> addresses = new HashSet<>();
        for (XdsResource r : resources.listeners().resources()) {
            Listener listener = (Listener) r.proto();
            String name = "LDS " + r.name();
            if (listener.hasAddress() && !addresses.add(listener.getAddress().toString())) {
                out.add(new Violation(name, "address", "unique among listeners (another listener has "
                        + listener.getAddress().getSocketAddress().getAddress() + ":"
                        + listener.getAddress().getSocketAddress().getPortValue() + ")"));
            }
            if (!listener.hasApiListener() && !listener.hasAddress()) {
                out.add(new Violation(name, "address", "required for a listener that is not an api_listener"));
            }
            Set<String> matches = new HashSet<>();
            for (int i = 0; i < listener.getFilterChainsCount(); i++) {
                FilterChain chain = listener.getFilterChains(i);
                if (!matches.add(chain.getFilterChainMatch().toString())) {
                    out.add(new Violation(name, "filter_chains[" + i + "].filter_chain_match",
                            "unique among the listener's filter chains"));
                }
            }
            if (grpc) {
                checkGrpcListener(listener, name, out);
            }
        }
        for (XdsResource r : resources.routes().resources()) {
            RouteConfiguration config = (RouteConfiguration) r.proto();
            Set<String> domains = new HashSet<>();
            for (int i = 0; i < config.getVirtualHostsCount(); i++) {
                VirtualHost host = config.getVirtualHosts(i);
                for (int j = 0; j < host.getDomainsCount(); j++) {
                    if (!domains.add(host.getDomains(j))) {
                        out.add(new Violation("RDS " + r.name(), "virtual_hosts[" + i + "].domains[" + j + "]",
                                "unique across the route configuration's virtual hosts (" + host.getDomains(j) + ")"));
                    }
                }
            }
        }
        if (grpc) {
            for (XdsResource r : resources.clusters().resources()) {
                Cluster cluster = (Cluster) r.proto();
                if (cluster.getType() != Cluster.DiscoveryType.EDS
                        || !cluster.getEdsClusterConfig().getEdsConfig().hasAds()) {
                    out.add(new Violation("CDS " + r.name(), "type", "EDS over ADS for proxyless gRPC"));
                }
                if (cluster.getLbPolicy() != Cluster.LbPolicy.ROUND_ROBIN) {
                    out.add(new Violation("CDS " + r.name(), "lb_policy", "ROUND_ROBIN for proxyless gRPC"));
                }
            }
            for (XdsResource r : resources.endpoints().resources()) {
                ClusterLoadAssignment cla = (ClusterLoadAssignment) r.proto();
                for (int i = 0; i < cla.getEndpointsCount(); i++) {
                    LocalityLbEndpoints locality = cla.getEndpoints(i);
                    if (!locality.hasLocality()) {
                        out.add(new Violation("EDS " + r.name(), "endpoints[" + i + "].locality",
                                "set on every locality for proxyless gRPC (grpc-js-xds rejects it unset)"));
                    }
                    if (!locality.hasLoadBalancingWeight() || locality.getLoadBalancingWeight().getValue() == 0) {
                        out.add(new Violation("EDS " + r.name(), "endpoints[" + i + "].load_balancing_weight",
                                "set on every locality for proxyless gRPC"));
                    }
                }
            }
        }
        return out;
    }

    private static void checkGrpcListener(Listener listener, String name, List<Violation> out) {
        if (!listener.hasApiListener()) {
            out.add(new Violation(name, "api_listener", "required for proxyless gRPC"));
            return;
        }
        HttpConnectionManager hcm;
        try {
            hcm = listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
        } catch (InvalidProtocolBufferException e) {
            out.add(new Violation(name, "api_listener.api_listener", "an HttpConnectionManager"));
            return;
        }
        if (!hcm.hasRds() || !hcm.getRds().getConfigSource().hasAds()) {
            out.add(new Violation(name, "api_listener.api_listener.rds", "RDS over ADS for proxyless gRPC"));
        }
        if (hcm.getHttpFiltersCount() == 0) {
            out.add(new Violation(name, "api_listener.api_listener.http_filters", "end with the router filter"));
            return;
        }
        HttpFilter last = hcm.getHttpFilters(hcm.getHttpFiltersCount() - 1);
        String path = "api_listener.api_listener.http_filters[" + (hcm.getHttpFiltersCount() - 1) + "]";
        if (!last.hasTypedConfig()) {
            out.add(new Violation(name, path + ".typed_config", "required by grpc-java for the router filter"));
        } else if (!last.getTypedConfig().getTypeUrl().endsWith("/" + ROUTER)) {
            out.add(new Violation(name, path, "the router filter last"));
        }
    }
}
