package dev.meshpilot.core.authn;

import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.model.PeerAuthenticationResource.Mode;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PeerAuthentication resolution. Workload cases mirror Istio's {@code TestComposePeerAuthentication}
 * ({@code pilot/pkg/security/authn/policy_applier_test.go}); namespace cases mirror
 * {@code TestGetNamespaceMutualTLSMode} ({@code pilot/pkg/model/authentication_test.go}).
 */
class PeerAuthenticationsTest {

    private static final String ROOT = "istio-system";
    private static final Map<String, String> WEB = Map.of("app", "web");

    private static PeerAuthenticationResource pa(String ns, String name, long created, Map<String, String> selector,
                                                 Mode mode, Map<Integer, Mode> ports) {
        return new PeerAuthenticationResource(ObjectMeta.of(ns, name).withCreationTimestamp(
                Instant.ofEpochSecond(created)), selector, mode, ports);
    }

    private static PeerAuthenticationResource pa(String ns, String name, Mode mode) {
        return pa(ns, name, 0, Map.of(), mode, Map.of());
    }

    private static PeerAuthentications of(PeerAuthenticationResource... policies) {
        return new PeerAuthentications(ROOT, List.of(policies));
    }

    @Test
    void noPolicy_workloadIsPermissive_andTheNamespaceModeIsUnknown() {
        assertThat(of().forWorkload("a", WEB)).isEqualTo(EffectivePeerAuthentication.DEFAULT);
        assertThat(of().namespaceMode("a")).isEqualTo(MtlsMode.UNKNOWN);
    }

    @Test
    void meshStrict_appliesToEveryNamespace() {
        PeerAuthentications p = of(pa(ROOT, "default", Mode.STRICT));
        assertThat(p.forWorkload("a", WEB).mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(p.namespaceMode("a")).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void meshUnset_countsAsPermissive() {
        PeerAuthentications p = of(pa(ROOT, "default", Mode.UNSET));
        assertThat(p.forWorkload("a", WEB).mode()).isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(p.namespaceMode("a")).isEqualTo(MtlsMode.PERMISSIVE);
    }

    @Test
    void namespacePolicy_overridesTheMesh_andUnsetInheritsIt() {
        PeerAuthentications p = of(pa(ROOT, "default", Mode.STRICT), pa("a", "ns", Mode.DISABLE),
                pa("b", "ns", Mode.UNSET));
        assertThat(p.forWorkload("a", WEB).mode()).isEqualTo(MtlsMode.DISABLE);
        assertThat(p.namespaceMode("a")).isEqualTo(MtlsMode.DISABLE);
        assertThat(p.forWorkload("b", WEB).mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(p.namespaceMode("b")).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void namespaceUnset_withoutMeshPolicy_isPermissive() {
        assertThat(of(pa("a", "ns", Mode.UNSET)).namespaceMode("a")).isEqualTo(MtlsMode.PERMISSIVE);
    }

    @Test
    void twoNamespacePolicies_theOldestWins() {
        PeerAuthentications p = of(pa("a", "newer", 20, Map.of(), Mode.DISABLE, Map.of()),
                pa("a", "older", 10, Map.of(), Mode.STRICT, Map.of()));
        assertThat(p.namespaceMode("a")).isEqualTo(MtlsMode.STRICT);
        assertThat(p.forWorkload("a", WEB).mode()).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void workloadPolicy_overridesTheNamespace_onlyForWhatItSelects() {
        PeerAuthentications p = of(pa("a", "ns", Mode.STRICT),
                pa("a", "web", 0, WEB, Mode.PERMISSIVE, Map.of()));
        assertThat(p.forWorkload("a", WEB).mode()).isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(p.forWorkload("a", Map.of("app", "db")).mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(p.namespaceMode("a")).isEqualTo(MtlsMode.STRICT); // clients ignore workload policies
    }

    @Test
    void workloadUnset_inheritsTheNamespace_andPortLevelOverrides_unsetPortsInheritTheWorkload() {
        PeerAuthentications p = of(pa("a", "ns", Mode.STRICT),
                pa("a", "web", 0, WEB, Mode.UNSET, Map.of(8080, Mode.DISABLE, 9090, Mode.UNSET)));
        EffectivePeerAuthentication e = p.forWorkload("a", WEB);
        assertThat(e.mode()).isEqualTo(MtlsMode.STRICT);
        assertThat(e.modeFor(8080)).isEqualTo(MtlsMode.DISABLE);
        assertThat(e.modeFor(9090)).isEqualTo(MtlsMode.STRICT);
        assertThat(e.modeFor(7070)).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void twoWorkloadPolicies_theOldestSelectingOneWins() {
        PeerAuthentications p = of(pa("a", "newer", 20, WEB, Mode.DISABLE, Map.of()),
                pa("a", "older", 10, WEB, Mode.STRICT, Map.of()));
        assertThat(p.forWorkload("a", WEB).mode()).isEqualTo(MtlsMode.STRICT);
    }

    @Test
    void rootNamespacePolicyWithASelector_appliesToNoWorkload() {
        PeerAuthentications p = of(pa(ROOT, "selective", 0, WEB, Mode.DISABLE, Map.of()));
        assertThat(p.forWorkload("a", WEB).mode()).isEqualTo(MtlsMode.PERMISSIVE);
        assertThat(p.forWorkload(ROOT, WEB).mode()).isEqualTo(MtlsMode.PERMISSIVE);
    }

    @Test
    void policyOfAnotherNamespace_doesNotApply() {
        PeerAuthentications p = of(pa("b", "ns", Mode.STRICT), pa("b", "web", 0, WEB, Mode.DISABLE, Map.of()));
        assertThat(p.forWorkload("a", WEB)).isEqualTo(EffectivePeerAuthentication.DEFAULT);
    }
}
