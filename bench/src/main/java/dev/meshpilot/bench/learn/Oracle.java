package dev.meshpilot.bench.learn;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintAnalyzer;
import dev.meshpilot.insight.footprint.ProxyFootprints;
import dev.meshpilot.insight.footprint.WorkloadMeasurement;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.TrafficEdges;
import dev.meshpilot.insight.whatif.WhatIfs;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The footprint analyser's cluster totals for a registry, as {@code meshpilot analyze --traffic edges.csv} computes
 * them (docs/footprint.md): the traffic oracle (one Sidecar per workload importing exactly what it calls) and no
 * Sidecar (Istio's upper bound). Summed per analysed workload (one proxy each).
 */
public record Oracle(long oracleClusters, long upperBoundClusters) {

    public static Oracle of(Path registry, Path edgesFile) {
        MeshSnapshot snapshot = MeshLoader.load(registry).snapshot();
        List<TrafficEdge> edges = TrafficEdges.read(edgesFile);
        FootprintAnalyzer analyzer = new FootprintAnalyzer(new ProxyConfigGenerator(), ProxyFootprints.istioDefaults(2),
                ProxyKind.SIDECAR, Set.of("istio-system"));
        long upper = clusters(analyzer.analyze(snapshot));
        long oracle = clusters(analyzer.analyze(WhatIfs.apply(snapshot,
                WhatIfs.trafficOracle(snapshot, edges, analyzer::analyses))));
        return new Oracle(oracle, upper);
    }

    private static long clusters(List<WorkloadMeasurement> rows) {
        return rows.stream().mapToLong(m -> m.footprint().counts().clusters()).sum();
    }
}
