package dev.meshpilot.insight.testing;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.insight.footprint.FootprintAnalyzer;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.WhatIfs;

import java.util.List;
import java.util.Optional;

/** Reports of the real examples, computed once per test JVM. */
public final class Reports {

    private static FootprintReport plain;
    private static FootprintReport oracle;
    private static FootprintReport namespace;

    private Reports() {
    }

    /** shared-cluster as it is, no proposal. */
    public static synchronized FootprintReport sharedClusterNow() {
        if (plain == null) {
            plain = Examples.report("shared-cluster", Optional.empty(), List.of());
        }
        return plain;
    }

    /** shared-cluster with the traffic oracle and its edges. */
    public static synchronized FootprintReport sharedClusterOracle() {
        if (oracle == null) {
            MeshSnapshot snapshot = Examples.snapshot("shared-cluster");
            List<TrafficEdge> edges = Examples.edges("shared-cluster");
            FootprintAnalyzer analyzer = Examples.analyzer();
            oracle = Examples.report("shared-cluster",
                    Optional.of(WhatIfs.trafficOracle(snapshot, edges, analyzer::analyses)), edges);
        }
        return oracle;
    }

    /** shared-cluster with the root default Sidecar, checked against its edges. */
    public static synchronized FootprintReport sharedClusterNamespace() {
        if (namespace == null) {
            namespace = Examples.report("shared-cluster",
                    Optional.of(WhatIfs.namespaceScope(Examples.snapshot("shared-cluster"))),
                    Examples.edges("shared-cluster"));
        }
        return namespace;
    }
}
