package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.TrafficPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A DestinationRule's {@code trafficPolicy} (destination, subset or port level). Every field of Istio's schema is
 * accepted, unknown ones are errors; the connection pool limits, the simple load balancer with its warmup, and
 * outlier detection and client TLS ({@code tls}, validated as Istio's {@code validateTLS} does) are read into the
 * model, the rest (consistent hash, locality settings, keepalive, h2 upgrade, client protocol, tunnel, proxy
 * protocol, retry budget, ...) is accepted and not applied.
 */
final class TrafficPolicyConverter {

    private static final Set<String> POLICY = Set.of("loadBalancer", "connectionPool", "outlierDetection", "tls",
            "portLevelSettings", "tunnel", "proxyProtocol", "retryBudget");
    private static final Set<String> PORT_POLICY = Set.of("port", "loadBalancer", "connectionPool",
            "outlierDetection", "tls");
    private static final Set<String> TLS = Set.of("mode", "clientCertificate", "privateKey", "caCertificates",
            "credentialName", "subjectAltNames", "sni", "insecureSkipVerify", "caCrl");
    private static final Set<String> PORT_SELECTOR = Set.of("number");
    private static final Set<String> LOAD_BALANCER = Set.of("simple", "consistentHash", "localityLbSetting",
            "warmupDurationSecs", "warmup");
    private static final Set<String> CONNECTION_POOL = Set.of("tcp", "http");
    private static final Set<String> TCP = Set.of("maxConnections", "connectTimeout", "tcpKeepalive",
            "maxConnectionDuration", "idleTimeout");
    private static final Set<String> HTTP = Set.of("http1MaxPendingRequests", "http2MaxRequests",
            "maxRequestsPerConnection", "maxRetries", "idleTimeout", "h2UpgradePolicy", "useClientProtocol",
            "maxConcurrentStreams");
    private static final Set<String> OUTLIER = Set.of("splitExternalLocalOriginErrors",
            "consecutiveLocalOriginFailures", "consecutiveGatewayErrors", "consecutive5xxErrors", "interval",
            "baseEjectionTime", "maxEjectionPercent", "minHealthPercent", "consecutiveErrors");

    private TrafficPolicyConverter() {
    }

    /** The policy at {@code field}, empty when the field is absent. */
    static Optional<TrafficPolicy> read(Field field) {
        if (!field.isPresent()) {
            return Optional.empty();
        }
        Field policy = field.object(POLICY);
        List<TrafficPolicy.PortPolicy> ports = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Field p : policy.get("portLevelSettings").list()) {
            p.requiredObject().object(PORT_POLICY);
            Field number = p.get("port").requiredObject().object(PORT_SELECTOR).get("number");
            int port = number.port();
            if (!seen.add(port)) {
                throw number.error("port " + port + " has settings twice");
            }
            ports.add(new TrafficPolicy.PortPolicy(port, connectionPool(p.get("connectionPool")),
                    loadBalancer(p.get("loadBalancer")), outlierDetection(p.get("outlierDetection")),
                    tls(p.get("tls"))));
        }
        return Optional.of(new TrafficPolicy(connectionPool(policy.get("connectionPool")),
                loadBalancer(policy.get("loadBalancer")), outlierDetection(policy.get("outlierDetection")),
                tls(policy.get("tls")), ports));
    }

    /** {@code tls} (Istio's ClientTLSSettings); the mode defaults to DISABLE as in Istio's proto. */
    private static Optional<TrafficPolicy.ClientTls> tls(Field field) {
        if (!field.isPresent()) {
            return Optional.empty();
        }
        Field tls = field.object(TLS);
        Field modeField = tls.get("mode");
        String name = modeField.string("DISABLE");
        TrafficPolicy.TlsMode mode;
        try {
            mode = TrafficPolicy.TlsMode.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw modeField.error("\"" + name + "\" is not one of DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL");
        }
        TrafficPolicy.ClientTls out = new TrafficPolicy.ClientTls(mode, tls.get("sni").string(""),
                tls.get("subjectAltNames").stringList(), tls.get("credentialName").string(""),
                tls.get("caCertificates").string(""), tls.get("clientCertificate").string(""),
                tls.get("privateKey").string(""), tls.get("insecureSkipVerify").bool(false), tls.get("caCrl").string(""));
        boolean simpleOrMutual = mode == TrafficPolicy.TlsMode.SIMPLE || mode == TrafficPolicy.TlsMode.MUTUAL;
        if (out.insecureSkipVerify() && mode == TrafficPolicy.TlsMode.SIMPLE && (!out.caCertificates().isEmpty()
                || !out.credentialName().isEmpty() || !out.subjectAltNames().isEmpty())) {
            throw tls.get("insecureSkipVerify").error("cannot be true together with caCertificates, credentialName or"
                    + " subjectAltNames");
        }
        if (simpleOrMutual && !out.credentialName().isEmpty()) {
            if (!out.clientCertificate().isEmpty() || !out.caCertificates().isEmpty() || !out.privateKey().isEmpty()
                    || !out.caCrl().isEmpty()) {
                throw tls.get("credentialName").error("cannot be set together with clientCertificate, privateKey,"
                        + " caCertificates or caCrl (the credential holds them)");
            }
        } else if (mode == TrafficPolicy.TlsMode.MUTUAL) {
            if (out.clientCertificate().isEmpty()) {
                throw tls.get("clientCertificate").error("is required for MUTUAL (or set credentialName)");
            }
            if (out.privateKey().isEmpty()) {
                throw tls.get("privateKey").error("is required for MUTUAL (or set credentialName)");
            }
        }
        return Optional.of(out);
    }

    private static Optional<TrafficPolicy.ConnectionPool> connectionPool(Field field) {
        if (!field.isPresent()) {
            return Optional.empty();
        }
        Field pool = field.object(CONNECTION_POOL);
        Field tcp = pool.get("tcp").object(TCP);
        Field http = pool.get("http").object(HTTP);
        http.get("useClientProtocol").bool(false);
        return Optional.of(new TrafficPolicy.ConnectionPool(nonNegative(tcp.get("maxConnections")),
                duration(tcp.get("connectTimeout")), nonNegative(http.get("http1MaxPendingRequests")),
                nonNegative(http.get("http2MaxRequests")), nonNegative(http.get("maxRequestsPerConnection")),
                nonNegative(http.get("maxRetries")), duration(http.get("idleTimeout")),
                duration(tcp.get("idleTimeout")), duration(tcp.get("maxConnectionDuration")),
                nonNegative(http.get("maxConcurrentStreams"))));
    }

    private static Optional<TrafficPolicy.LoadBalancer> loadBalancer(Field field) {
        if (!field.isPresent()) {
            return Optional.empty();
        }
        Field lb = field.object(LOAD_BALANCER);
        Field simple = lb.get("simple");
        TrafficPolicy.Simple kind = TrafficPolicy.Simple.UNSPECIFIED;
        if (simple.isPresent()) {
            String name = simple.string();
            try {
                kind = TrafficPolicy.Simple.valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw simple.error("\"" + name + "\" is not one of UNSPECIFIED, LEAST_CONN, RANDOM, PASSTHROUGH, "
                        + "ROUND_ROBIN, LEAST_REQUEST");
            }
            if (!name.equals(name.toUpperCase(Locale.ROOT))) {
                throw simple.error("\"" + name + "\" must be written in capitals (" + kind + ")");
            }
        }
        return Optional.of(new TrafficPolicy.LoadBalancer(kind, duration(lb.get("warmupDurationSecs"))));
    }

    private static Optional<TrafficPolicy.OutlierDetection> outlierDetection(Field field) {
        if (!field.isPresent()) {
            return Optional.empty();
        }
        Field od = field.object(OUTLIER);
        od.get("splitExternalLocalOriginErrors").bool(false);
        OptionalInt maxEjection = percent(od.get("maxEjectionPercent"));
        OptionalInt minHealth = percent(od.get("minHealthPercent"));
        return Optional.of(new TrafficPolicy.OutlierDetection(nonNegative(od.get("consecutive5xxErrors")),
                nonNegative(od.get("consecutiveGatewayErrors")), duration(od.get("interval")),
                duration(od.get("baseEjectionTime")), maxEjection, minHealth));
    }

    private static OptionalInt nonNegative(Field field) {
        OptionalInt value = field.optInt();
        if (value.isPresent() && value.getAsInt() < 0) {
            throw field.error("must not be negative, got " + value.getAsInt());
        }
        return value;
    }

    private static OptionalInt percent(Field field) {
        OptionalInt value = nonNegative(field);
        if (value.isPresent() && value.getAsInt() > 100) {
            throw field.error("is a percentage, got " + value.getAsInt());
        }
        return value;
    }

    private static Optional<Duration> duration(Field field) {
        return field.isPresent() ? Optional.of(Durations.parse(field)) : Optional.empty();
    }
}
