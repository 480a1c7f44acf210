package dev.meshpilot.server.debug;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.server.ads.ConnectionStatus;
import dev.meshpilot.server.ads.TypeStatus;
import dev.meshpilot.server.ads.XdsTypes;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the debug endpoints, in istiod's shapes (R57, R61). */
final class DebugJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<String, String> SYNCZ_PREFIX = Map.of(XdsTypes.CLUSTER, "cluster",
            XdsTypes.LISTENER, "listener", XdsTypes.ROUTE, "route", XdsTypes.ENDPOINT, "endpoint");

    private DebugJson() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("debug data is not serializable", e);
        }
    }

    /** A value as the JSON object it is written as, to add fields to. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object value) {
        return new LinkedHashMap<>(MAPPER.convertValue(value, Map.class));
    }

    /** One {@code /debug/syncz} entry: nonces per type plus {@code resources} by type URL. */
    static Map<String, Object> syncz(ConnectionStatus s, String clusterId, String controlPlaneId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cluster_id", clusterId);
        out.put("proxy", s.proxyId());
        out.put("proxy_type", "sidecar");
        out.put("istio_version", metadata(s, "ISTIO_VERSION"));
        out.put("istiod", controlPlaneId);
        Map<String, Object> resources = new LinkedHashMap<>();
        for (TypeStatus t : s.types().values()) {
            String prefix = SYNCZ_PREFIX.get(t.typeUrl());
            if (prefix != null) {
                putIfNotEmpty(out, prefix + "_sent", t.sentNonce());
                putIfNotEmpty(out, prefix + "_acked", t.ackedNonce());
            }
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("sent", t.sentNonce());
            r.put("acked", t.ackedNonce());
            r.put("sentVersion", t.sentVersion());
            r.put("ackedVersion", t.ackedVersion());
            r.put("sentTime", time(t.sentAt()));
            r.put("lastError", t.lastError());
            r.put("status", t.state().name());
            r.put("subscribed", t.wildcard() ? List.of("*") : t.subscribed());
            r.put("resourceCount", t.sentResources());
            resources.put(t.typeUrl(), r);
        }
        out.put("resources", resources);
        out.put("protocol", s.protocol());
        out.put("connection_id", s.connectionId());
        out.put("connected_at", time(s.connectedAt()));
        return out;
    }

    /** One {@code /debug/registryz} entry. */
    static Map<String, Object> service(MeshService s, String clusterId) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hostname", s.hostname());
        out.put("ports", s.ports().stream().map(DebugJson::port).toList());
        out.put("creationTime", time(s.creationTimestamp()));
        out.put("clusterVIPs", Map.of("Addresses", Map.of(clusterId, s.addresses())));
        out.put("defaultAddress", s.addresses().isEmpty() ? "0.0.0.0" : s.addresses().get(0));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("ServiceRegistry", s.isKubernetes() ? "Kubernetes" : "External");
        attributes.put("Name", s.name());
        attributes.put("Namespace", s.namespace());
        attributes.put("Labels", s.origin().labels());
        Map<String, Boolean> exportTo = new LinkedHashMap<>();
        s.declaredExportTo().forEach(e -> exportTo.put(e, true));
        attributes.put("ExportTo", exportTo);
        attributes.put("LabelSelectors", s.selector());
        out.put("Attributes", attributes);
        out.put("Resolution", s.resolution().ordinal());
        out.put("MeshExternal", s.meshExternal());
        return out;
    }

    private static Map<String, Object> port(ServicePort p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("port", p.port());
        out.put("protocol", p.protocol().toString());
        return out;
    }

    private static String metadata(ConnectionStatus s, String key) {
        var v = s.node().getMetadata().getFieldsMap().get(key);
        return v == null ? "" : v.getStringValue();
    }

    private static void putIfNotEmpty(Map<String, Object> out, String key, String value) {
        if (!value.isEmpty()) {
            out.put(key, value);
        }
    }

    private static String time(Instant t) {
        return t == null ? "" : t.toString();
    }
}
