package dev.meshpilot.insight.learn;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.insight.footprint.FootprintAnalyzer;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.FootprintStudy;
import dev.meshpilot.insight.footprint.ReportSettings;
import dev.meshpilot.insight.whatif.WhatIfs;

import java.util.List;
import java.util.Optional;

/** What the recommendation saves: the footprint of every workload now and with the Sidecars applied. */
public final class RecommendationFootprint {

    private RecommendationFootprint() {
    }

    public static FootprintReport measure(FootprintAnalyzer analyzer, MeshSnapshot snapshot,
                                          Recommendation recommendation, ReportSettings settings) {
        return new FootprintStudy(analyzer).run(snapshot, Optional.of(WhatIfs.withSidecars("recommendation",
                recommendation.resources(), List.of())), List.of(), settings, List.of());
    }
}
