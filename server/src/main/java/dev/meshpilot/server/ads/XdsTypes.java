package dev.meshpilot.server.ads;

import dev.meshpilot.xds.naming.XdsType;

import java.util.List;
import java.util.Optional;

/**
 * The xDS resource types this server serves as the ADS wire names them (type URL strings), in the order updates go
 * out (CDS, EDS, LDS, RDS: nothing is sent before what it references), with the short names operators know them by.
 * The URLs, the order and the short names all come from the naming authority, {@link XdsType}.
 */
public final class XdsTypes {
    public static final String CLUSTER = XdsType.CLUSTER.typeUrl();
    public static final String ENDPOINT = XdsType.ENDPOINT.typeUrl();
    public static final String LISTENER = XdsType.LISTENER.typeUrl();
    public static final String ROUTE = XdsType.ROUTE.typeUrl();

    /** Served types in push order. */
    public static final List<String> PUSH_ORDER = XdsType.PUSH_ORDER.stream().map(XdsType::typeUrl).toList();

    private XdsTypes() {
    }

    public static boolean isServed(String typeUrl) {
        return XdsType.fromTypeUrl(typeUrl).isPresent();
    }

    /** {@code CDS}, {@code EDS}, {@code LDS}, {@code RDS}; the type URL itself for anything else. */
    public static String shortName(String typeUrl) {
        Optional<XdsType> type = XdsType.fromTypeUrl(typeUrl);
        return type.map(XdsType::discoveryService).orElse(typeUrl);
    }

    /** Position in {@link #PUSH_ORDER}; unknown types sort last. */
    static int pushRank(String typeUrl) {
        int i = PUSH_ORDER.indexOf(typeUrl);
        return i < 0 ? PUSH_ORDER.size() : i;
    }

    /** Types whose SotW subscription with no names means "everything" (Envoy's wildcard types). */
    static boolean isWildcardByDefault(String typeUrl) {
        return CLUSTER.equals(typeUrl) || LISTENER.equals(typeUrl);
    }
}
