package dev.meshpilot.e2e.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;

/**
 * A server's {@code /debug/ledgerz}, read as workload ({@code NS/NAME}) → destination ({@code HOST:PORT}) → that
 * destination's JSON ({@code count}, {@code protocols}, {@code sources}, {@code firstSeen}, {@code lastSeen}, ...).
 */
public final class Ledgerz {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Ledgerz() {
    }

    public static Map<String, Map<String, JsonNode>> read(MeshpilotServer server) {
        String body = server.debugGet("/debug/ledgerz");
        JsonNode pages;
        try {
            pages = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new AssertionError("/debug/ledgerz is not JSON: " + body, e);
        }
        Map<String, Map<String, JsonNode>> ledger = new TreeMap<>();
        for (JsonNode page : pages) {
            Map<String, JsonNode> destinations = new TreeMap<>();
            for (JsonNode d : page.path("destinations")) {
                destinations.put(d.path("host").asText() + ":" + d.path("port").asInt(), d);
            }
            ledger.put(page.path("workload").asText(), destinations);
        }
        return ledger;
    }

    /** Workload → destination → count (summed over reporters): what a restart must keep and later calls raise. */
    public static Map<String, Map<String, Long>> counts(MeshpilotServer server) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        read(server).forEach((workload, destinations) -> {
            Map<String, Long> byDestination = new TreeMap<>();
            destinations.forEach((destination, d) -> byDestination.put(destination, d.path("count").asLong()));
            counts.put(workload, byDestination);
        });
        return counts;
    }
}
