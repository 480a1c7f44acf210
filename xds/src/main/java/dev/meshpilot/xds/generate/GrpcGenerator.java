package dev.meshpilot.xds.generate;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.generate.ServiceClusters.OutboundCluster;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.XdsResource;
import dev.meshpilot.xds.naming.HostPort;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proxyless gRPC resources (issue 3 item 2), per visible EDS-resolvable service port: a Listener {@code FQDN:PORT}
 * whose api_listener is an HTTP connection manager using RDS over ADS with the router filter (typed_config set),
 * a RouteConfiguration {@code FQDN:PORT} with one virtual host of domain {@code FQDN:PORT} (VirtualService routes
 * or one default route), the outbound cluster(s) (EDS over ADS, round robin; DestinationRule subsets too) and
 * their ClusterLoadAssignments with a weight on every locality. No inbound part: a proxyless client only dials out.
 * Wildcard, DNS and ServiceEntry-passthrough hosts are left out: gRPC resolves them through DNS itself.
 */
final class GrpcGenerator {

    private GrpcGenerator() {
    }

    /** The outbound part from the scope's cluster specs ({@link ServiceClusters#forGrpc}). */
    static Map<XdsType, List<XdsResource>> outbound(MeshSnapshot snapshot, ProxyScope scope, List<OutboundCluster> specs,
                                                    LoadAssignmentMemo memo) {
        Map<String, XdsResource> clusters = new LinkedHashMap<>();
        for (OutboundCluster spec : specs) {
            String name = spec.name().value();
            clusters.putIfAbsent(name, XdsResource.cluster(Cluster.newBuilder()
                    .setName(name)
                    .setAltStatName(dev.meshpilot.xds.naming.XdsNames.delimitedStatName(name)) // as istiod's grpcgen
                    .setType(Cluster.DiscoveryType.EDS)
                    .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder()
                            .setEdsConfig(Protos.ads(false))
                            .setServiceName(name))
                    .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
                    .build(), origin(spec)));
        }
        HttpRoutes routes = new HttpRoutes(RouteStyle.GRPC, clusters.keySet(), scope.services(), scope.proxyNamespace(),
                snapshot.meshConfig().domainSuffix());
        Map<String, XdsResource> listeners = new LinkedHashMap<>();
        Map<String, XdsResource> routeConfigs = new LinkedHashMap<>();
        for (OutboundCluster spec : specs) {
            if (spec.subset().isPresent()) {
                continue;
            }
            String name = new HostPort(spec.service().hostname(), spec.port().port()).value();
            if (listeners.containsKey(name)) {
                continue;
            }
            listeners.put(name, XdsResource.listener(Listener.newBuilder()
                    .setName(name)
                    .setApiListener(ApiListener.newBuilder().setApiListener(Protos.pack(
                            Filters.rdsManager(name, name, false))))
                    .build(), origin(spec)));
            List<Route> serviceRoutes = Hosts.virtualServiceFor(spec.service(), scope.virtualServices(),
                            snapshot.meshConfig().domainSuffix())
                    .map(vs -> routes.fromVirtualService(vs, spec.port().port())).orElse(List.of());
            if (serviceRoutes.isEmpty()) {
                serviceRoutes = List.of(routes.defaultRoute(spec.service(), spec.port()));
            }
            routeConfigs.put(name, XdsResource.route(RouteConfiguration.newBuilder()
                    .setName(name)
                    .addVirtualHosts(VirtualHost.newBuilder().setName(name).addDomains(name).addAllRoutes(serviceRoutes))
                    .build(), origin(spec)));
        }
        EnumMap<XdsType, List<XdsResource>> out = new EnumMap<>(XdsType.class);
        out.put(XdsType.CLUSTER, List.copyOf(clusters.values()));
        out.put(XdsType.ENDPOINT, LoadAssignments.forClusters(snapshot, specs, ProxyIdentity.ProxyKind.PROXYLESS_GRPC,
                memo));
        out.put(XdsType.LISTENER, List.copyOf(listeners.values()));
        out.put(XdsType.ROUTE, List.copyOf(routeConfigs.values()));
        return out;
    }

    private static String origin(OutboundCluster spec) {
        return "grpc-outbound: " + (spec.service().isKubernetes() ? "Service " : "ServiceEntry ")
                + spec.service().namespace() + "/" + spec.service().name() + " host " + spec.service().hostname()
                + " port " + spec.port().port() + spec.subset().map(s -> " subset " + s.name()).orElse("");
    }
}
