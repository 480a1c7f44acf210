package dev.meshpilot.cli.status;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Proxy ids that several streams claim, read from {@code /debug/syncz}'s {@code duplicate_streams} and
 * {@code shown_in_config_dump}: one warning line each, so {@code proxy-status} never shows two rows of one proxy
 * without saying which one {@code config_dump} shows.
 */
final class DuplicateStreams {
    private DuplicateStreams() {
    }

    static List<String> warnings(JsonNode syncz) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (JsonNode entry : syncz) {
            JsonNode ids = entry.path("duplicate_streams");
            if (!ids.isArray() || ids.size() < 2) {
                continue;
            }
            String proxy = entry.path("proxy").asText();
            List<String> connections = new ArrayList<>();
            ids.forEach(id -> connections.add(id.asText()));
            lines.putIfAbsent(proxy, "warning: " + ids.size() + " streams claim proxy " + proxy + " (connections "
                    + String.join(", ", connections) + "); config_dump shows connection " + connections.get(0)
                    + ". A second client may be using this identity: see /debug/authz");
        }
        return List.copyOf(lines.values());
    }
}
