package dev.meshpilot.kube.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What applying does to one Sidecar: the outcome, the object wanted ({@code null} for a deletion or a conflict),
 * the {@code resourceVersion} of what is there ({@code null} when nothing is), and the hosts before and after.
 */
record SidecarChange(Outcome outcome, String namespace, String name, ObjectNode desired, String resourceVersion,
                     Set<String> hostsBefore, Set<String> hostsAfter, String reason) {

    enum Outcome {
        CREATED, UPDATED, DELETED, UNCHANGED, CONFLICT;

        String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    SidecarChange {
        hostsBefore = Set.copyOf(hostsBefore);
        hostsAfter = Set.copyOf(hostsAfter);
    }

    SidecarChange asConflict(String why) {
        return new SidecarChange(Outcome.CONFLICT, namespace, name, null, resourceVersion, hostsBefore, hostsBefore,
                why);
    }

    /** The header line and, for changes, one {@code + host} / {@code - host} line per host added or removed. */
    List<String> diffLines() {
        List<String> lines = new ArrayList<>();
        lines.add(outcome.word() + " Sidecar " + namespace + "/" + name + (reason.isEmpty() ? "" : ": " + reason));
        if (outcome == Outcome.CONFLICT || outcome == Outcome.UNCHANGED) {
            return lines;
        }
        for (String host : new TreeSet<>(hostsAfter)) {
            if (!hostsBefore.contains(host)) {
                lines.add("  + " + host);
            }
        }
        for (String host : new TreeSet<>(hostsBefore)) {
            if (!hostsAfter.contains(host)) {
                lines.add("  - " + host);
            }
        }
        if (outcome == Outcome.UPDATED && hostsBefore.equals(hostsAfter)) {
            lines.add("  ~ same hosts; other fields of the spec or the labels differ");
        }
        return lines;
    }

    /** The egress hosts of a Sidecar spec ({@code ns/host}, with {@code :port} when the egress listener has one). */
    static Set<String> egressHosts(JsonNode spec) {
        Set<String> hosts = new TreeSet<>();
        if (spec == null) {
            return hosts;
        }
        for (JsonNode egress : spec.path("egress")) {
            int port = egress.path("port").path("number").asInt(0);
            for (JsonNode host : egress.path("hosts")) {
                hosts.add(host.asText() + (port == 0 ? "" : " (port " + port + ")"));
            }
        }
        return hosts;
    }
}
