package dev.meshpilot.e2e.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Set;
import java.util.TreeSet;

/**
 * The learning part of a server's {@code /debug/scopez?proxyID=POD.NS}: {@code mode}, {@code workload},
 * {@code served} ({@code learned} or {@code upper-bound}), {@code servedServices}, {@code fallbackServices},
 * {@code outcome}, {@code learnedHosts}, per-host {@code verdicts}.
 */
public final class Scopez {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Scopez() {
    }

    public static JsonNode learning(MeshpilotServer server, ProxyNode proxy) {
        String body = server.debugGet("/debug/scopez?proxyID=" + proxy.proxyName());
        try {
            return JSON.readTree(body).path("learning");
        } catch (JsonProcessingException e) {
            throw new AssertionError("/debug/scopez is not JSON: " + body, e);
        }
    }

    /** The hostnames of the services the proxy is served, sorted. */
    public static Set<String> servedServices(JsonNode learning) {
        return texts(learning.path("servedServices"));
    }

    /** The hostnames the proxy may reach but is not served (its upper bound minus its learned scope), sorted. */
    public static Set<String> fallbackServices(JsonNode learning) {
        return texts(learning.path("fallbackServices"));
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new TreeSet<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
