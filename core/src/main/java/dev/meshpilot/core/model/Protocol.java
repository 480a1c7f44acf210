package dev.meshpilot.core.model;

import java.util.Locale;
import java.util.Optional;

/**
 * Application protocol of a service port, selected the way Istio does it: {@code appProtocol} first, then
 * the port name's prefix ({@code http-web}, {@code grpc}, ...), else TCP. UDP ports keep UDP. We never sniff
 * traffic: a port whose protocol cannot be told from its declaration is TCP.
 */
public enum Protocol {
    HTTP, HTTP2, GRPC, GRPC_WEB, HTTPS, TLS, TCP, MONGO, REDIS, MYSQL, THRIFT, UDP, HTTP_PROXY;

    /** HTTP-family protocols get an HTTP connection manager and RDS; the others are treated as TCP. */
    public boolean isHttp() {
        return this == HTTP || this == HTTP2 || this == GRPC || this == GRPC_WEB;
    }

    /** Parses one protocol name as Istio spells it (case-insensitive); empty when unknown. */
    public static Optional<Protocol> parse(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "http", "http/1.1" -> Optional.of(HTTP);
            case "http2", "h2c", "kubernetes.io/h2c" -> Optional.of(HTTP2);
            case "grpc" -> Optional.of(GRPC);
            case "grpc-web" -> Optional.of(GRPC_WEB);
            case "https" -> Optional.of(HTTPS);
            case "tls" -> Optional.of(TLS);
            case "tcp" -> Optional.of(TCP);
            case "mongo" -> Optional.of(MONGO);
            case "redis" -> Optional.of(REDIS);
            case "mysql" -> Optional.of(MYSQL);
            case "thrift" -> Optional.of(THRIFT);
            case "udp" -> Optional.of(UDP);
            case "http_proxy" -> Optional.of(HTTP_PROXY);
            default -> Optional.empty();
        };
    }

    /**
     * Protocol of a Kubernetes Service port: {@code UDP} transport stays UDP; otherwise {@code appProtocol} if it
     * names a known protocol, then the port name ({@code NAME} or {@code NAME-suffix}), else TCP.
     */
    public static Protocol forServicePort(String transport, String appProtocol, String portName) {
        if ("UDP".equalsIgnoreCase(transport)) {
            return UDP;
        }
        Optional<Protocol> fromApp = parse(appProtocol);
        if (fromApp.isPresent() && fromApp.get() != HTTP_PROXY) {
            return fromApp.get();
        }
        if (portName != null && !portName.isBlank()) {
            String name = portName.toLowerCase(Locale.ROOT);
            if (name.equals("grpc-web") || name.startsWith("grpc-web-")) {
                return GRPC_WEB;
            }
            int dash = name.indexOf('-');
            String prefix = dash < 0 ? name : name.substring(0, dash);
            Optional<Protocol> fromName = parse(prefix);
            if (fromName.isPresent() && fromName.get() != UDP && fromName.get() != HTTP_PROXY) {
                return fromName.get();
            }
        }
        return TCP;
    }
}
