package dev.meshpilot.insight.generate;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * One real application as read from a topology folder: its name (the folder), the one namespace its objects live
 * in, its Service and Deployment/StatefulSet objects (as trees, in file order) and its call edges.
 */
public record Topology(String name, String namespace, List<ObjectNode> services, List<ObjectNode> workloads,
                       List<CallEdge> edges) {

    public Topology {
        services = List.copyOf(services);
        workloads = List.copyOf(workloads);
        edges = List.copyOf(edges);
    }
}
