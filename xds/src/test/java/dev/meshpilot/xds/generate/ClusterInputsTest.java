package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ConfigKey.Kind;
import dev.meshpilot.core.model.LabelSelector;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.MeshSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which changes leave an outbound cluster a function of its spec alone, so the previous state's may be reused. */
class ClusterInputsTest {

    private static final MeshSnapshot DEFAULTS = mesh(MeshConfig.DEFAULT);

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"SERVICE", "DESTINATION_RULE", "SIDECAR", "VIRTUAL_SERVICE",
            "LEARNED_SCOPE"})
    void kindsClustersReadOnlyThroughTheirSpec_keepClusters(Kind kind) {
        assertThat(ClusterInputs.unchangedBy(changes(ConfigKey.of(kind, "a", "x")), DEFAULTS, DEFAULTS)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"ENDPOINTS", "WORKLOAD", "PEER_AUTHENTICATION", "NAMESPACE"})
    void endpointsPodsPoliciesAndNamespaces_feedClusters_soNoneIsKept(Kind kind) {
        ChangeSet withSidecar = changes(ConfigKey.of(Kind.SIDECAR, "a", "default"), ConfigKey.of(kind, "a", "x"));
        assertThat(ClusterInputs.unchangedBy(withSidecar, DEFAULTS, DEFAULTS)).isFalse();
    }

    @Test
    void meshConfig_outboundTrafficPolicyOrDefaultExportTo_keepClusters() {
        MeshConfig registryOnly = MeshConfig.DEFAULT.withOutboundTrafficPolicy(OutboundTrafficPolicy.REGISTRY_ONLY);
        MeshConfig privateServices = new MeshConfig("istio-system", List.of("."), List.of("."), List.of("."),
                OutboundTrafficPolicy.ALLOW_ANY, List.of(), "cluster.local");
        for (MeshConfig after : List.of(registryOnly, privateServices)) {
            assertThat(ClusterInputs.unchangedBy(changes(ChangeSet.MESH_CONFIG_KEY), DEFAULTS, mesh(after)))
                    .as("%s", after).isTrue();
        }
    }

    @Test
    void meshConfig_rootNamespaceSelectorsOrDomain_changeWhatClustersRead() {
        MeshConfig otherRoot = MeshConfig.defaultsWithRoot("mesh-root");
        MeshConfig otherDomain = new MeshConfig("istio-system", List.of("*"), List.of("*"), List.of("*"),
                OutboundTrafficPolicy.ALLOW_ANY, List.of(), "corp.example");
        MeshConfig selecting = new MeshConfig("istio-system", List.of("*"), List.of("*"), List.of("*"),
                OutboundTrafficPolicy.ALLOW_ANY,
                List.of(new LabelSelector(Map.of("mesh", "on"), List.of())),
                "cluster.local");
        for (MeshConfig after : List.of(otherRoot, otherDomain, selecting)) {
            assertThat(ClusterInputs.unchangedBy(changes(ChangeSet.MESH_CONFIG_KEY), DEFAULTS, mesh(after)))
                    .as("%s", after).isFalse();
        }
    }

    @Test
    void noChange_keepsClusters() {
        assertThat(ClusterInputs.unchangedBy(ChangeSet.empty(1), DEFAULTS, DEFAULTS)).isTrue();
    }

    private static ChangeSet changes(ConfigKey... keys) {
        return new ChangeSet(1, 2, Set.of(keys));
    }

    private static MeshSnapshot mesh(MeshConfig config) {
        return new MeshSnapshot(1, config, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), List.of());
    }
}
