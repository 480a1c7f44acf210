package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.VirtualServiceResource.Destination;
import dev.meshpilot.core.model.VirtualServiceResource.HttpMatch;
import dev.meshpilot.core.model.VirtualServiceResource.HttpRoute;
import dev.meshpilot.core.model.VirtualServiceResource.RouteDestination;
import dev.meshpilot.core.model.VirtualServiceResource.StringMatch;
import dev.meshpilot.xds.naming.ClusterName;
import dev.meshpilot.xds.naming.IstioConfigPath;
import dev.meshpilot.xds.naming.XdsNames;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.route.v3.Decorator;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Envoy routes of one service virtual host: the default route to the service's cluster, or the routes a
 * VirtualService describes (path and header matches, weighted destinations and subsets, timeouts, retries,
 * mirrors). A destination whose cluster is not generated for the proxy (unknown host, missing subset) is dropped;
 * a route left without destinations answers 503, as Envoy does for a missing cluster.
 */
final class HttpRoutes {

    /** Istio's default retry conditions for sidecar routes. */
    static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";
    static final int DEFAULT_RETRIES = 2;
    private static final String PREVIOUS_HOSTS = "envoy.retry_host_predicates.previous_hosts";

    private final RouteStyle style;
    private final Set<String> clusters;
    private final List<MeshService> scopeServices;
    private final String proxyNamespace;
    private final String domainSuffix;

    /**
     * @param clusters       the names of the clusters the proxy receives (routes may only point at these)
     * @param scopeServices  the scope's services (to find a destination's ports)
     */
    HttpRoutes(RouteStyle style, Set<String> clusters, List<MeshService> scopeServices, String proxyNamespace,
               String domainSuffix) {
        this.style = style;
        this.clusters = clusters;
        this.scopeServices = scopeServices;
        this.proxyNamespace = proxyNamespace;
        this.domainSuffix = domainSuffix;
    }

    /** The route of a virtual host no VirtualService shapes: everything to the service port's cluster. */
    Route defaultRoute(MeshService service, ServicePort port) {
        String cluster = ClusterName.outbound(port.port(), service.hostname()).value();
        Route.Builder route = Route.newBuilder()
                .setName(XdsNames.DEFAULT_ROUTE)
                .setMatch(RouteMatch.newBuilder().setPrefix("/"));
        if (!clusters.contains(cluster)) {
            return route.setDirectResponse(DirectResponseAction.newBuilder().setStatus(503)).build();
        }
        RouteAction.Builder action = RouteAction.newBuilder().setCluster(cluster);
        if (style == RouteStyle.SIDECAR) {
            action.setTimeout(Protos.seconds(0)).setRetryPolicy(retryPolicy(DEFAULT_RETRIES, DEFAULT_RETRY_ON, null))
                    .setMaxGrpcTimeout(Protos.seconds(0));
            route.setDecorator(Decorator.newBuilder().setOperation(service.hostname() + ":" + port.port() + "/*"));
        }
        return route.setRoute(action).build();
    }

    /** The routes of a VirtualService for traffic arriving on {@code listenerPort}, in declaration order. */
    List<Route> fromVirtualService(VirtualServiceResource vs, int listenerPort) {
        List<Route> out = new ArrayList<>();
        Metadata metadata = Protos.filterMetadata(IstioConfigPath.METADATA_FILTER, Map.of(IstioConfigPath.METADATA_FIELD,
                Protos.string(IstioConfigPath.virtualService(vs.meta().namespace(), vs.meta().name()).value())));
        for (HttpRoute rule : vs.http()) {
            List<RouteMatch> matches = new ArrayList<>();
            if (rule.match().isEmpty()) {
                matches.add(RouteMatch.newBuilder().setPrefix("/").build());
            } else {
                for (HttpMatch match : rule.match()) {
                    if (match.port() != 0 && match.port() != listenerPort) {
                        continue;
                    }
                    if (!match.sourceNamespace().isEmpty() && !match.sourceNamespace().equals(proxyNamespace)) {
                        continue;
                    }
                    matches.add(routeMatch(match));
                }
            }
            if (matches.isEmpty() || rule.route().isEmpty()) {
                continue;
            }
            for (RouteMatch match : matches) {
                Route.Builder route = Route.newBuilder().setMatch(match).setMetadata(metadata);
                if (!rule.name().isEmpty()) {
                    route.setName(rule.name());
                }
                action(vs, rule, listenerPort).ifPresentOrElse(route::setRoute,
                        () -> route.setDirectResponse(DirectResponseAction.newBuilder().setStatus(503)));
                if (style == RouteStyle.SIDECAR) {
                    route.setDecorator(Decorator.newBuilder().setOperation(operation(route, vs, listenerPort)));
                }
                out.add(route.build());
            }
        }
        return out;
    }

    private Optional<RouteAction> action(VirtualServiceResource vs, HttpRoute rule, int listenerPort) {
        Map<String, Integer> weights = new TreeMap<>();
        List<String> order = new ArrayList<>();
        boolean single = rule.route().size() == 1;
        for (RouteDestination destination : rule.route()) {
            if (!single && destination.weight() <= 0 && rule.route().stream().anyMatch(d -> d.weight() > 0)) {
                continue; // weight 0 next to weighted destinations gets no traffic
            }
            Optional<String> cluster = clusterOf(vs, destination.destination(), listenerPort);
            if (cluster.isEmpty()) {
                continue;
            }
            if (!weights.containsKey(cluster.get())) {
                order.add(cluster.get());
            }
            weights.merge(cluster.get(), Math.max(destination.weight(), single ? 100 : 0), Integer::sum);
        }
        if (order.isEmpty()) {
            return Optional.empty();
        }
        RouteAction.Builder action = RouteAction.newBuilder();
        if (order.size() == 1) {
            action.setCluster(order.get(0));
        } else {
            boolean unweighted = weights.values().stream().allMatch(w -> w == 0);
            WeightedCluster.Builder weighted = WeightedCluster.newBuilder();
            for (String cluster : order) {
                weighted.addClusters(WeightedCluster.ClusterWeight.newBuilder()
                        .setName(cluster)
                        .setWeight(Protos.uint32(unweighted ? 1 : weights.get(cluster))));
            }
            action.setWeightedClusters(weighted);
        }
        if (rule.timeout().isPresent()) {
            action.setTimeout(Protos.duration(rule.timeout().get()));
        } else if (style == RouteStyle.SIDECAR) {
            action.setTimeout(Protos.seconds(0));
        }
        if (style == RouteStyle.SIDECAR) {
            // Istio's setTimeout: gRPC's timeout header capped by the route timeout (0s: uncapped)
            action.setMaxGrpcTimeout(action.getTimeout());
        }
        if (rule.retries().isPresent()) {
            VirtualServiceResource.Retries retries = rule.retries().get();
            if (retries.attempts() > 0) {
                action.setRetryPolicy(retryPolicy(retries.attempts(),
                        retries.retryOn().isEmpty() ? DEFAULT_RETRY_ON : retries.retryOn(), retries.perTryTimeout()));
            }
        } else if (style == RouteStyle.SIDECAR) {
            action.setRetryPolicy(retryPolicy(DEFAULT_RETRIES, DEFAULT_RETRY_ON, null));
        }
        List<Destination> mirrors = new ArrayList<>();
        rule.mirror().ifPresent(mirrors::add);
        mirrors.addAll(rule.mirrors());
        for (Destination mirror : mirrors) {
            clusterOf(vs, mirror, listenerPort).ifPresent(c -> action.addRequestMirrorPolicies(
                    RouteAction.RequestMirrorPolicy.newBuilder().setCluster(c)));
        }
        return Optional.of(action.build());
    }

    /**
     * The cluster a destination names: its port if given, else the destination service's only port, else the
     * port the request arrived on; empty when the proxy has no such cluster.
     */
    Optional<String> clusterOf(VirtualServiceResource vs, Destination destination, int listenerPort) {
        String host = Hosts.resolve(destination.host(), vs.meta().namespace(), domainSuffix);
        int port = destination.port();
        if (port == 0) {
            port = listenerPort;
            for (MeshService service : scopeServices) {
                if (service.hostname().equals(host) && ServiceClusters.clusterPorts(service).size() == 1) {
                    port = ServiceClusters.clusterPorts(service).get(0).port();
                    break;
                }
            }
        }
        if (host.isEmpty() || host.contains("|")) {
            return Optional.empty();
        }
        String name = ClusterName.outbound(port, destination.subset(), host).value();
        return clusters.contains(name) ? Optional.of(name) : Optional.empty();
    }

    /**
     * Istio's trace operation of a VirtualService route ({@code GetRouteOperation}): {@code HOST:PORT} of its single
     * cluster, else {@code VS_NAME:LISTENER_PORT}, followed by the path ({@code PREFIX*}, the exact path, the regex).
     */
    private static String operation(Route.Builder route, VirtualServiceResource vs, int listenerPort) {
        RouteMatch match = route.getMatch();
        String path = switch (match.getPathSpecifierCase()) {
            case PREFIX -> match.getPrefix() + "*";
            case PATH -> match.getPath();
            case SAFE_REGEX -> match.getSafeRegex().getRegex();
            default -> "/*";
        };
        Optional<ClusterName> cluster = route.hasRoute() && route.getRoute().hasCluster()
                ? ClusterName.parse(route.getRoute().getCluster()) : Optional.empty();
        return cluster.map(c -> c.hostname() + ":" + c.port()).orElse(vs.meta().name() + ":" + listenerPort) + path;
    }

    private static RouteMatch routeMatch(HttpMatch match) {
        RouteMatch.Builder out = RouteMatch.newBuilder();
        if (match.uri().isPresent()) {
            StringMatch uri = match.uri().get();
            switch (uri.type()) {
                case EXACT -> out.setPath(uri.value());
                case PREFIX -> out.setPrefix(uri.value());
                case REGEX -> out.setSafeRegex(RegexMatcher.newBuilder().setRegex(uri.value()));
            }
        } else {
            out.setPrefix("/");
        }
        for (Map.Entry<String, StringMatch> header : new TreeMap<>(match.headers()).entrySet()) {
            HeaderMatcher.Builder matcher = HeaderMatcher.newBuilder().setName(header.getKey());
            StringMatch value = header.getValue();
            switch (value.type()) {
                case EXACT -> matcher.setStringMatch(StringMatcher.newBuilder().setExact(value.value()));
                case PREFIX -> {
                    if (value.value().isEmpty()) {
                        matcher.setPresentMatch(true);
                    } else {
                        matcher.setStringMatch(StringMatcher.newBuilder().setPrefix(value.value()));
                    }
                }
                case REGEX -> matcher.setStringMatch(StringMatcher.newBuilder()
                        .setSafeRegex(RegexMatcher.newBuilder().setRegex(value.value())));
            }
            out.addHeaders(matcher);
        }
        return out.build();
    }

    private RetryPolicy retryPolicy(int attempts, String retryOn, java.time.Duration perTryTimeout) {
        RetryPolicy.Builder retry = RetryPolicy.newBuilder()
                .setRetryOn(retryOn)
                .setNumRetries(Protos.uint32(attempts));
        if (perTryTimeout != null && !perTryTimeout.isZero()) {
            retry.setPerTryTimeout(Protos.duration(perTryTimeout));
        }
        if (style == RouteStyle.SIDECAR) {
            retry.addRetryHostPredicate(RetryPolicy.RetryHostPredicate.newBuilder()
                            .setName(PREVIOUS_HOSTS)
                            .setTypedConfig(Protos.pack(PreviousHostsPredicate.getDefaultInstance())))
                    .setHostSelectionRetryMaxAttempts(5);
        }
        return retry.build();
    }
}
