package dev.meshpilot.xds.generate;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilterChainMatchPredicate;
import io.envoyproxy.envoy.extensions.filters.listener.http_inspector.v3.HttpInspector;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.type.v3.Int32Range;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Listener filters derived from the filter chains they serve, as istiod 1.29's {@code populateListenerFilters}
 * ({@code listener_inbound.go}) and {@code buildListenerFromEntry} ({@code listener.go}) derive them: a TLS inspector
 * where a chain matches {@code transport_protocol: tls}, an HTTP inspector where one matches {@code http/1.1} or
 * {@code h2c}, each disabled (by destination port ranges) on the ports that do not need it.
 */
final class ListenerInspectors {

    static final String ORIGINAL_DST = Filters.ORIGINAL_DST;
    static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";
    static final String HTTP_INSPECTOR = "envoy.filters.listener.http_inspector";

    private ListenerInspectors() {
    }

    /** Which inspectors the chains on one destination port (0: chains without one) need. */
    private record Needs(boolean tls, boolean http) {
        Needs or(Needs other) {
            return new Needs(tls || other.tls, http || other.http);
        }
    }

    /** virtualInbound's: original_dst, then the inspectors its chains need. */
    static List<ListenerFilter> forVirtualInbound(List<FilterChain> chains) {
        Map<Integer, Needs> needs = new TreeMap<>();
        for (FilterChain chain : chains) {
            int port = chain.getFilterChainMatch().hasDestinationPort()
                    ? chain.getFilterChainMatch().getDestinationPort().getValue() : 0;
            boolean tls = InboundChainOptions.TLS.equals(chain.getFilterChainMatch().getTransportProtocol());
            boolean http = chain.getFilterChainMatch().getApplicationProtocolsList().stream()
                    .anyMatch(p -> p.equals("http/1.1") || p.equals("h2c"));
            needs.merge(port, new Needs(tls, http), Needs::or);
        }
        List<ListenerFilter> out = new ArrayList<>();
        out.add(Filters.originalDst());
        if (needs.values().stream().anyMatch(Needs::tls)) {
            out.add(tlsInspector(needs));
        }
        if (needs.values().stream().anyMatch(Needs::http)) {
            List<Integer> off = needs.entrySet().stream().filter(e -> !e.getValue().http()).map(Map.Entry::getKey)
                    .toList();
            ListenerFilter.Builder inspector = httpInspector().toBuilder();
            if (!off.isEmpty()) {
                inspector.setFilterDisabled(excludePorts(off));
            }
            out.add(inspector.build());
        }
        return out;
    }

    /** The HTTP inspector, enabled everywhere. */
    static ListenerFilter httpInspector() {
        return ListenerFilter.newBuilder().setName(HTTP_INSPECTOR)
                .setTypedConfig(Protos.pack(HttpInspector.getDefaultInstance())).build();
    }

    private static ListenerFilter tlsInspector(Map<Integer, Needs> needs) {
        ListenerFilter.Builder inspector = ListenerFilter.newBuilder().setName(TLS_INSPECTOR)
                .setTypedConfig(Protos.pack(TlsInspector.newBuilder()
                        .setInitialReadBufferSize(UInt32Value.of(512)).build()));
        boolean byDefault = needs.getOrDefault(0, new Needs(false, false)).tls();
        List<Integer> listed = needs.entrySet().stream()
                .filter(e -> e.getKey() != 0 && e.getValue().tls() != byDefault).map(Map.Entry::getKey).toList();
        if (!listed.isEmpty()) {
            inspector.setFilterDisabled(byDefault ? excludePorts(listed) : includeOnly(listed));
        }
        return inspector.build();
    }

    /** Matches connections to any of the ports ({@code [p, p+1)} ranges, or'ed when several). */
    private static ListenerFilterChainMatchPredicate excludePorts(List<Integer> ports) {
        List<ListenerFilterChainMatchPredicate> ranges = ports.stream()
                .map(p -> ListenerFilterChainMatchPredicate.newBuilder()
                        .setDestinationPortRange(Int32Range.newBuilder().setStart(p).setEnd(p + 1)).build())
                .toList();
        if (ranges.size() == 1) {
            return ranges.get(0);
        }
        return ListenerFilterChainMatchPredicate.newBuilder()
                .setOrMatch(ListenerFilterChainMatchPredicate.MatchSet.newBuilder().addAllRules(ranges)).build();
    }

    private static ListenerFilterChainMatchPredicate includeOnly(List<Integer> ports) {
        return ListenerFilterChainMatchPredicate.newBuilder().setNotMatch(excludePorts(ports)).build();
    }
}
