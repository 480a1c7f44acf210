package dev.meshpilot.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TypeSnapshotTest {

    @Test
    void equalContent_isInternedToOneInstance() {
        Interner interner = new Interner();
        TypeSnapshot a = interner.snapshot(TypeSnapshot.of(Map.of("b", 2L, "a", 1L)));
        TypeSnapshot b = interner.snapshot(TypeSnapshot.of(Map.of("a", 1L, "b", 2L)));

        assertThat(a).isSameAs(b);
        assertThat(interner.distinctSnapshots()).isEqualTo(1);
    }

    @Test
    void changedDigest_isAnotherSnapshot() {
        Interner interner = new Interner();
        TypeSnapshot a = interner.snapshot(TypeSnapshot.of(Map.of("a", 1L)));
        TypeSnapshot b = interner.snapshot(TypeSnapshot.of(Map.of("a", 3L)));

        assertThat(a).isNotSameAs(b).isNotEqualTo(b);
    }

    @Test
    void emptyState_isTheSharedEmptySnapshot() {
        assertThat(new Interner().snapshot(TypeSnapshot.of(Map.of()))).isSameAs(TypeSnapshot.EMPTY);
    }

    @Test
    void nameLookup_findsClusterOfAService() {
        TypeSnapshot eds = TypeSnapshot.of(Map.of("outbound|80||a.ns.svc.cluster.local", 1L));

        assertThat(eds.anyName(n -> n.startsWith("outbound|80|"))).isTrue();
        assertThat(eds.anyName(n -> n.startsWith("inbound|"))).isFalse();
        assertThat(eds.containsAll(java.util.List.of("outbound|80||a.ns.svc.cluster.local"))).isTrue();
    }
}
