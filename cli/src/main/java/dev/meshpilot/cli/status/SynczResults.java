package dev.meshpilot.cli.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Proxy-status rows from what a control plane answers: an {@code istio.io/debug/syncz} DiscoveryResponse (read as
 * istioctl's {@code XdsStatusWriter} reads it) or meshpilot's {@code /debug/syncz} JSON.
 */
final class SynczResults {
    static final String CLIENT_CONFIG = "type.googleapis.com/envoy.service.status.v3.ClientConfig";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SynczResults() {
    }

    /**
     * The rows of a syncz response: one per {@code ClientConfig}; the ISTIOD column from the response's control-plane
     * identifier ({@code ID}), {@code MISSING} without one and {@code INVALID} when it is not istiod's JSON.
     *
     * @throws IllegalArgumentException when a resource is not a ClientConfig
     */
    static List<ProxySync> fromDiscovery(DiscoveryResponse response) {
        String istiod = controlPlaneId(response);
        List<ProxySync> out = new ArrayList<>();
        for (Any any : response.getResourcesList()) {
            ClientConfig config;
            try {
                config = any.unpack(ClientConfig.class);
            } catch (InvalidProtocolBufferException e) {
                throw new IllegalArgumentException("a syncz resource is not a ClientConfig (" + any.getTypeUrl() + ")");
            }
            Struct metadata = config.getNode().getMetadata();
            List<TypeSync> types = new ArrayList<>();
            for (ClientConfig.GenericXdsConfig t : config.getGenericXdsConfigsList()) {
                types.add(new TypeSync(t.getTypeUrl(), t.getConfigStatus().name(),
                        t.hasLastUpdated() ? instant(t.getLastUpdated()) : null));
            }
            out.add(new ProxySync(config.getNode().getId(), string(metadata, "CLUSTER_ID"),
                    string(metadata, "NAMESPACE"), istiod, string(metadata, "ISTIO_VERSION"), types));
        }
        return out;
    }

    /** The rows of meshpilot's {@code /debug/syncz} body (an array of per-proxy objects). */
    static List<ProxySync> fromDebugJson(JsonNode syncz) {
        List<ProxySync> out = new ArrayList<>();
        for (JsonNode p : syncz) {
            List<TypeSync> types = new ArrayList<>();
            p.path("resources").fields().forEachRemaining(e -> {
                String status = e.getValue().path("status").asText("");
                types.add(new TypeSync(e.getKey(), status.isEmpty() ? "NOT_SENT" : status,
                        parse(e.getValue().path("sentTime").asText(""))));
            });
            String proxy = p.path("proxy").asText();
            int dot = proxy.indexOf('.');
            out.add(new ProxySync(proxy, p.path("cluster_id").asText(""), dot < 0 ? "" : proxy.substring(dot + 1),
                    p.path("istiod").asText(""), p.path("istio_version").asText(""), types));
        }
        return out;
    }

    /** istiod's {@code IstioControlPlaneInstance.ID}, as istioctl's {@code multixds.CpInfo} reads it. */
    static String controlPlaneId(DiscoveryResponse response) {
        if (!response.hasControlPlane()) {
            return "MISSING";
        }
        try {
            JsonNode id = JSON.readTree(response.getControlPlane().getIdentifier());
            return id != null && id.isObject() ? id.path("ID").asText("") : "INVALID";
        } catch (IOException e) {
            return "INVALID";
        }
    }

    private static String string(Struct metadata, String key) {
        Value v = metadata.getFieldsMap().get(key);
        return v == null ? "" : v.getStringValue();
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Instant parse(String time) {
        if (time.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
