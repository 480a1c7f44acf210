package dev.meshpilot.server.debug;

import dev.meshpilot.server.ads.ConnectionRegistry;
import dev.meshpilot.server.ads.ProxyConnection;
import dev.meshpilot.server.auth.AuthRefusals;
import dev.meshpilot.server.auth.CallerIdentity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /debug/authz}: who the attached streams authenticated as, the most recent refused calls (client text
 * escaped when recorded) and the proxy ids claimed by more than one stream.
 */
final class AuthzJson {
    private AuthzJson() {
    }

    static Map<String, Object> of(AuthRefusals refusals, ConnectionRegistry connections) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("refusalsTotal", refusals.total());
        out.put("refusalsKept", AuthRefusals.CAPACITY);
        List<Map<String, Object>> recent = new ArrayList<>();
        List<AuthRefusals.Refusal> kept = new ArrayList<>(refusals.recent());
        java.util.Collections.reverse(kept);
        for (AuthRefusals.Refusal r : kept) { // newest first
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", r.at().toString());
            m.put("reason", r.reason());
            m.put("peer", r.peer());
            m.put("node", r.claimedNode());
            m.put("caller", r.caller());
            m.put("message", r.message());
            recent.add(m);
        }
        out.put("recentRefusals", recent);
        List<Map<String, Object>> streams = new ArrayList<>();
        for (ProxyConnection c : connections.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connectionId", c.id());
            m.put("proxy", AuthRefusals.clientText(c.proxyId()));
            m.put("authenticated", c.caller().isPresent());
            c.caller().ifPresent(caller -> {
                m.put("method", caller.method().name().toLowerCase(java.util.Locale.ROOT));
                m.put("identity", caller.display());
                m.put("subject", AuthRefusals.clientText(caller.subject()));
            });
            streams.add(m);
        }
        out.put("streams", streams);
        List<Map<String, Object>> duplicates = new ArrayList<>();
        connections.duplicates().forEach((proxyId, list) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("proxy", AuthRefusals.clientText(proxyId));
            m.put("shownConnection", list.get(0).id());
            m.put("connections", list.stream().map(ProxyConnection::id).toList());
            m.put("identities", list.stream().map(c -> c.caller().map(CallerIdentity::display).orElse("unauthenticated"))
                    .toList());
            duplicates.add(m);
        });
        out.put("duplicateStreams", duplicates);
        return out;
    }
}
