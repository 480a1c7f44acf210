package dev.meshpilot.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A DestinationRule's {@code trafficPolicy} (destination or subset level), as far as meshpilot applies it to
 * clusters: the connection pool, the load balancer, outlier detection and client TLS ({@link ClientTls}), each
 * optionally overridden per port. Fields Istio accepts but meshpilot does not apply (consistent hash, locality
 * settings, keepalive, ...) are not modelled; the converter accepts them and the documentation says so.
 *
 * @param portLevelSettings per port: the four components replace the policy's own wholesale, as in Istio
 */
public record TrafficPolicy(Optional<ConnectionPool> connectionPool, Optional<LoadBalancer> loadBalancer,
                            Optional<OutlierDetection> outlierDetection, Optional<ClientTls> tls,
                            List<PortPolicy> portLevelSettings) {

    public static final TrafficPolicy EMPTY = new TrafficPolicy(Optional.empty(), Optional.empty(), Optional.empty(),
            List.of());

    /** A policy without TLS settings. */
    public TrafficPolicy(Optional<ConnectionPool> connectionPool, Optional<LoadBalancer> loadBalancer,
                         Optional<OutlierDetection> outlierDetection, List<PortPolicy> portLevelSettings) {
        this(connectionPool, loadBalancer, outlierDetection, Optional.empty(), portLevelSettings);
    }

    public TrafficPolicy {
        connectionPool = connectionPool == null ? Optional.empty() : connectionPool;
        loadBalancer = loadBalancer == null ? Optional.empty() : loadBalancer;
        outlierDetection = outlierDetection == null ? Optional.empty() : outlierDetection;
        tls = tls == null ? Optional.empty() : tls;
        portLevelSettings = List.copyOf(portLevelSettings == null ? List.of() : portLevelSettings);
    }

    /** The settings of one port ({@code portLevelSettings[].port.number}). */
    public record PortPolicy(int port, Optional<ConnectionPool> connectionPool, Optional<LoadBalancer> loadBalancer,
                             Optional<OutlierDetection> outlierDetection, Optional<ClientTls> tls) {
        /** Port settings without TLS. */
        public PortPolicy(int port, Optional<ConnectionPool> connectionPool, Optional<LoadBalancer> loadBalancer,
                          Optional<OutlierDetection> outlierDetection) {
            this(port, connectionPool, loadBalancer, outlierDetection, Optional.empty());
        }

        public PortPolicy {
            connectionPool = connectionPool == null ? Optional.empty() : connectionPool;
            loadBalancer = loadBalancer == null ? Optional.empty() : loadBalancer;
            outlierDetection = outlierDetection == null ? Optional.empty() : outlierDetection;
            tls = tls == null ? Optional.empty() : tls;
        }
    }

    /**
     * {@code tls}: Istio's {@code ClientTLSSettings}, the TLS an outbound cluster originates.
     *
     * @param subjectAltNames    empty means "not set" (Istio then uses the service's accounts for ISTIO_MUTUAL)
     * @param credentialName     a Kubernetes secret the proxy fetches over SDS, empty when unset
     * @param caCertificates     file path of the CA bundle, empty when unset
     * @param clientCertificate  file path (MUTUAL), empty when unset
     * @param privateKey         file path (MUTUAL), empty when unset
     * @param caCrl              file path of a certificate revocation list, empty when unset
     */
    public record ClientTls(TlsMode mode, String sni, List<String> subjectAltNames, String credentialName,
                            String caCertificates, String clientCertificate, String privateKey,
                            boolean insecureSkipVerify, String caCrl) {
        public ClientTls {
            Objects.requireNonNull(mode, "mode");
            sni = sni == null ? "" : sni;
            subjectAltNames = List.copyOf(subjectAltNames == null ? List.of() : subjectAltNames);
            credentialName = credentialName == null ? "" : credentialName;
            caCertificates = caCertificates == null ? "" : caCertificates;
            clientCertificate = clientCertificate == null ? "" : clientCertificate;
            privateKey = privateKey == null ? "" : privateKey;
            caCrl = caCrl == null ? "" : caCrl;
        }

        /** Settings of this mode and nothing else. */
        public static ClientTls of(TlsMode mode) {
            return new ClientTls(mode, "", List.of(), "", "", "", "", false, "");
        }
    }

    /** Istio's {@code ClientTLSSettings.TLSmode}. */
    public enum TlsMode { DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL }

    /**
     * {@code connectionPool}: the TCP and HTTP limits meshpilot applies; absent values keep Istio's defaults.
     *
     * @param idleTimeout    {@code http.idleTimeout}
     * @param tcpIdleTimeout {@code tcp.idleTimeout}, used when {@code http.idleTimeout} is absent
     */
    public record ConnectionPool(OptionalInt maxConnections, Optional<Duration> connectTimeout,
                                 OptionalInt http1MaxPendingRequests, OptionalInt http2MaxRequests,
                                 OptionalInt maxRequestsPerConnection, OptionalInt maxRetries,
                                 Optional<Duration> idleTimeout, Optional<Duration> tcpIdleTimeout,
                                 Optional<Duration> maxConnectionDuration, OptionalInt maxConcurrentStreams) {
        /** A pool without the TCP idle timeout, connection lifetime and HTTP/2 stream settings. */
        public ConnectionPool(OptionalInt maxConnections, Optional<Duration> connectTimeout,
                              OptionalInt http1MaxPendingRequests, OptionalInt http2MaxRequests,
                              OptionalInt maxRequestsPerConnection, OptionalInt maxRetries,
                              Optional<Duration> idleTimeout) {
            this(maxConnections, connectTimeout, http1MaxPendingRequests, http2MaxRequests, maxRequestsPerConnection,
                    maxRetries, idleTimeout, Optional.empty(), Optional.empty(), OptionalInt.empty());
        }

        public ConnectionPool {
            Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
            Objects.requireNonNull(maxConnectionDuration, "maxConnectionDuration");
            Objects.requireNonNull(maxConcurrentStreams, "maxConcurrentStreams");
            Objects.requireNonNull(maxConnections, "maxConnections");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(http1MaxPendingRequests, "http1MaxPendingRequests");
            Objects.requireNonNull(http2MaxRequests, "http2MaxRequests");
            Objects.requireNonNull(maxRequestsPerConnection, "maxRequestsPerConnection");
            Objects.requireNonNull(maxRetries, "maxRetries");
            Objects.requireNonNull(idleTimeout, "idleTimeout");
        }
    }

    /** {@code loadBalancer.simple} and {@code warmupDurationSecs}. */
    public record LoadBalancer(Simple simple, Optional<Duration> warmup) {
        public LoadBalancer {
            Objects.requireNonNull(simple, "simple");
            warmup = warmup == null ? Optional.empty() : warmup;
        }
    }

    /** Istio's {@code LoadBalancerSettings.SimpleLB}. */
    public enum Simple { UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, ROUND_ROBIN, LEAST_REQUEST }

    /** {@code outlierDetection}: what ejects misbehaving endpoints. */
    public record OutlierDetection(OptionalInt consecutive5xxErrors, OptionalInt consecutiveGatewayErrors,
                                   Optional<Duration> interval, Optional<Duration> baseEjectionTime,
                                   OptionalInt maxEjectionPercent, OptionalInt minHealthPercent) {
        public OutlierDetection {
            Objects.requireNonNull(consecutive5xxErrors, "consecutive5xxErrors");
            Objects.requireNonNull(consecutiveGatewayErrors, "consecutiveGatewayErrors");
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
            Objects.requireNonNull(maxEjectionPercent, "maxEjectionPercent");
            Objects.requireNonNull(minHealthPercent, "minHealthPercent");
        }
    }

    /**
     * The policy a cluster of this port gets, merged as Istio merges them: each level first resolved for the port
     * (port-level settings replace its four components wholesale, unset ones falling back to defaults), then the
     * subset's components, where set (or all of them when the subset has settings for the port), override the
     * destination's.
     */
    public static Optional<TrafficPolicy> forPort(Optional<TrafficPolicy> destination, Optional<TrafficPolicy> subset,
                                                  int port) {
        Optional<TrafficPolicy> base = destination.map(p -> p.atPort(port).policy());
        if (subset.isEmpty()) {
            return base;
        }
        AtPort own = subset.get().atPort(port);
        if (base.isEmpty()) {
            return Optional.of(own.policy());
        }
        TrafficPolicy b = base.get();
        TrafficPolicy s = own.policy();
        boolean all = own.portLevel();
        return Optional.of(new TrafficPolicy(
                all || s.connectionPool().isPresent() ? s.connectionPool() : b.connectionPool(),
                all || s.loadBalancer().isPresent() ? s.loadBalancer() : b.loadBalancer(),
                all || s.outlierDetection().isPresent() ? s.outlierDetection() : b.outlierDetection(),
                all || s.tls().isPresent() ? s.tls() : b.tls(),
                List.of()));
    }

    private record AtPort(TrafficPolicy policy, boolean portLevel) {
    }

    private AtPort atPort(int port) {
        for (PortPolicy p : portLevelSettings) {
            if (p.port() == port) {
                return new AtPort(new TrafficPolicy(p.connectionPool(), p.loadBalancer(), p.outlierDetection(),
                        p.tls(), List.of()), true);
            }
        }
        return new AtPort(new TrafficPolicy(connectionPool, loadBalancer, outlierDetection, tls, List.of()), false);
    }
}
