package dev.meshpilot.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code networking.istio.io} VirtualService, with what scoping and basic routing need.
 *
 * @param gateways   as declared; empty means bound to the {@code mesh} gateway
 * @param exportTo   as declared; empty means the mesh default ({@link MeshConfig#defaultVirtualServiceExportTo()})
 */
public record VirtualServiceResource(ObjectMeta meta, List<String> hosts, List<String> gateways, List<String> exportTo,
                                     List<HttpRoute> http, List<L4Route> tcp, List<L4Route> tls) {

    public VirtualServiceResource {
        Objects.requireNonNull(meta, "meta");
        hosts = List.copyOf(hosts == null ? List.of() : hosts);
        gateways = List.copyOf(gateways == null ? List.of() : gateways);
        exportTo = List.copyOf(exportTo == null ? List.of() : exportTo);
        http = List.copyOf(http == null ? List.of() : http);
        tcp = List.copyOf(tcp == null ? List.of() : tcp);
        tls = List.copyOf(tls == null ? List.of() : tls);
    }

    public ConfigKey key() {
        return ConfigKey.of(ConfigKey.Kind.VIRTUAL_SERVICE, meta.namespace(), meta.name());
    }

    /** True when the VirtualService applies to sidecars (no gateways, or the {@code mesh} gateway listed). */
    public boolean appliesToMesh() {
        return gateways.isEmpty() || gateways.contains("mesh");
    }

    /** A destination: host, optional subset and optional port (0 = not set). */
    public record Destination(String host, String subset, int port) {
        public Destination {
            Objects.requireNonNull(host, "host");
            subset = subset == null ? "" : subset;
        }
    }

    /** A weighted destination of a route; weight 0 means unset (a single destination takes all traffic). */
    public record RouteDestination(Destination destination, int weight) {
        public RouteDestination {
            Objects.requireNonNull(destination, "destination");
        }
    }

    /** A string match of a URI or header. */
    public record StringMatch(MatchType type, String value) {
        public enum MatchType { EXACT, PREFIX, REGEX }

        public StringMatch {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(value, "value");
        }
    }

    /** One {@code http[].match[]} entry. */
    public record HttpMatch(Optional<StringMatch> uri, Map<String, StringMatch> headers, String sourceNamespace, int port) {
        public HttpMatch {
            uri = uri == null ? Optional.empty() : uri;
            headers = Map.copyOf(headers == null ? Map.of() : headers);
            sourceNamespace = sourceNamespace == null ? "" : sourceNamespace;
        }
    }

    /** Retry policy: attempts, per-try timeout (may be null) and the retry-on conditions. */
    public record Retries(int attempts, Duration perTryTimeout, String retryOn) {
        public Retries {
            retryOn = retryOn == null ? "" : retryOn;
        }
    }

    /** One {@code http[]} rule. */
    public record HttpRoute(String name, List<HttpMatch> match, List<RouteDestination> route,
                            Optional<Destination> mirror, List<Destination> mirrors,
                            Optional<Duration> timeout, Optional<Retries> retries) {
        public HttpRoute {
            name = name == null ? "" : name;
            match = List.copyOf(match == null ? List.of() : match);
            route = List.copyOf(route == null ? List.of() : route);
            mirror = mirror == null ? Optional.empty() : mirror;
            mirrors = List.copyOf(mirrors == null ? List.of() : mirrors);
            timeout = timeout == null ? Optional.empty() : timeout;
            retries = retries == null ? Optional.empty() : retries;
        }
    }

    /** One {@code tcp[]} or {@code tls[]} rule: only its destinations matter for scoping and TCP routing. */
    public record L4Route(List<Integer> matchPorts, List<String> sniHosts, List<RouteDestination> route) {
        public L4Route {
            matchPorts = List.copyOf(matchPorts == null ? List.of() : matchPorts);
            sniHosts = List.copyOf(sniHosts == null ? List.of() : sniHosts);
            route = List.copyOf(route == null ? List.of() : route);
        }
    }
}
