package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ConfigKey.Kind;
import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.VirtualServiceResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.meshpilot.core.registry.Fixtures.http;
import static dev.meshpilot.core.registry.Fixtures.namespace;
import static dev.meshpilot.core.registry.Fixtures.objects;
import static dev.meshpilot.core.registry.Fixtures.pod;
import static dev.meshpilot.core.registry.Fixtures.ready;
import static dev.meshpilot.core.registry.Fixtures.service;
import static dev.meshpilot.core.registry.Fixtures.sidecar;
import static dev.meshpilot.core.registry.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

class ChangeSetTest {

    private static final String CART = "cart.shop.svc.cluster.local";
    private static final String PAY = "pay.shop.svc.cluster.local";
    private static final List<EndpointSliceInfo.SlicePort> HTTP_8080 =
            List.of(new EndpointSliceInfo.SlicePort("http", 8080, "TCP"));

    private final RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);

    private ChangeSet replace(String source, Object... items) {
        return store.replace(source, objects(items)).orElseThrow().changes();
    }

    @Test
    void sliceChangeOnly_givesOneEndpointsKey_andIsEndpointsOnly() {
        replace("svc.yaml", service("shop", "cart", Map.of(), http(80, 8080)));
        replace("eps.yaml", slice("shop", "cart-1", "cart", HTTP_8080, ready("10.0.0.1", "")));

        ChangeSet changes = replace("eps.yaml", slice("shop", "cart-1", "cart", HTTP_8080,
                ready("10.0.0.1", ""), ready("10.0.0.2", "")));

        assertThat(changes.keys()).containsExactly(ConfigKey.of(Kind.ENDPOINTS, "shop", CART));
        assertThat(changes.endpointsOnly()).isTrue();
        assertThat(changes.meshWide()).isFalse();
    }

    @Test
    void podLabelChange_changesTheEndpointsOfTheServicesThatSelectedItOrNowSelectIt() {
        replace("svc.yaml", service("shop", "cart", Map.of("app", "cart"), http(80, 8080)),
                service("shop", "pay", Map.of("app", "pay"), http(80, 8080)));
        replace("pod.yaml", pod("shop", "p1", "10.0.0.1", Map.of("app", "cart")));

        ChangeSet changes = replace("pod.yaml", pod("shop", "p1", "10.0.0.1", Map.of("app", "pay")));

        assertThat(changes.keys()).containsExactlyInAnyOrder(ConfigKey.of(Kind.ENDPOINTS, "shop", CART),
                ConfigKey.of(Kind.ENDPOINTS, "shop", PAY), ConfigKey.of(Kind.WORKLOAD, "shop", "p1"));
        assertThat(changes.endpointsOnly()).isFalse();
    }

    @Test
    void podIpChange_changesTheEndpointsOfItsService() {
        replace("svc.yaml", service("shop", "cart", Map.of("app", "cart"), http(80, 8080)));
        replace("pod.yaml", pod("shop", "p1", "10.0.0.1", Map.of("app", "cart")));

        ChangeSet changes = replace("pod.yaml", pod("shop", "p1", "10.0.0.9", Map.of("app", "cart")));

        assertThat(changes.keysOf(Kind.ENDPOINTS)).containsExactly(ConfigKey.of(Kind.ENDPOINTS, "shop", CART));
    }

    @Test
    void podLabelChangeBehindASlice_changesTheEndpointsBecauseSubsetsSelectOnPodLabels() {
        replace("svc.yaml", service("shop", "cart", Map.of("app", "cart"), http(80, 8080)),
                slice("shop", "cart-1", "cart", HTTP_8080, ready("10.0.0.1", "p1")));
        replace("pod.yaml", pod("shop", "p1", "10.0.0.1", Map.of("app", "cart", "version", "v1")));

        ChangeSet changes = replace("pod.yaml", pod("shop", "p1", "10.0.0.1", Map.of("app", "cart", "version", "v2")));

        assertThat(changes.keysOf(Kind.ENDPOINTS)).containsExactly(ConfigKey.of(Kind.ENDPOINTS, "shop", CART));
    }

    @Test
    void unrelatedPodChange_leavesServicesOfOtherNamespacesAlone() {
        replace("svc.yaml", service("shop", "cart", Map.of("app", "cart"), http(80, 8080)));

        ChangeSet changes = replace("pod.yaml", pod("other", "p1", "10.0.0.1", Map.of("app", "cart")));

        assertThat(changes.keys()).containsExactly(ConfigKey.of(Kind.WORKLOAD, "other", "p1"));
    }

    @Test
    void removingOneOfTwoServicesTiedOnCreationTime_givesOnlyItsKey() {
        // "a" and "a-b" tie on creation time; sorted by name, but by hostname they would sort the other way round
        replace("svc.yaml", service("shop", "a", Map.of(), http(80, 8080)), service("shop", "a-b", Map.of(), http(80, 8080)));

        ChangeSet changes = replace("svc.yaml", service("shop", "a", Map.of(), http(80, 8080)));

        assertThat(changes.keys()).containsExactly(ConfigKey.of(Kind.SERVICE, "shop", "a-b.shop.svc.cluster.local"));
    }

    @Test
    void servicePortChange_givesAServiceKeyNamedByHostname() {
        replace("svc.yaml", service("shop", "cart", Map.of(), http(80, 8080)));

        ChangeSet changes = replace("svc.yaml", service("shop", "cart", Map.of(), http(81, 8080)));

        assertThat(changes.keys()).containsExactly(ConfigKey.of(Kind.SERVICE, "shop", CART));
    }

    @Test
    void sidecarVirtualServiceAndDestinationRuleChanges_giveTheirKindsKeys() {
        ChangeSet changes = replace("cfg.yaml", sidecar("shop", "default", "./*"),
                new VirtualServiceResource(ObjectMeta.of("shop", "vs"), List.of(CART), List.of(), List.of(), List.of(),
                        List.of(), List.of()),
                new DestinationRuleResource(ObjectMeta.of("shop", "dr"), CART, List.of(), List.of(), Optional.empty()));

        assertThat(changes.keys()).containsExactlyInAnyOrder(ConfigKey.of(Kind.SIDECAR, "shop", "default"),
                ConfigKey.of(Kind.VIRTUAL_SERVICE, "shop", "vs"), ConfigKey.of(Kind.DESTINATION_RULE, "shop", "dr"));
        assertThat(changes.endpointsOnly()).isFalse();
        assertThat(changes.meshWide()).isFalse();
    }

    @Test
    void namespaceLabelChange_isMeshWide() {
        replace("ns.yaml", namespace("shop", Map.of("team", "a")));

        ChangeSet changes = replace("ns.yaml", namespace("shop", Map.of("team", "b")));

        assertThat(changes.keys()).containsExactly(ConfigKey.of(Kind.NAMESPACE, "", "shop"));
        assertThat(changes.meshWide()).isTrue();
    }

    @Test
    void merge_unitesKeysAndSpansBothVersionRanges() {
        ChangeSet first = new ChangeSet(3, 4, Set.of(ConfigKey.of(Kind.ENDPOINTS, "shop", CART)));
        ChangeSet second = new ChangeSet(4, 6, Set.of(ConfigKey.of(Kind.SERVICE, "shop", PAY)));

        ChangeSet merged = first.merge(second);

        assertThat(merged.fromVersion()).isEqualTo(3);
        assertThat(merged.toVersion()).isEqualTo(6);
        assertThat(merged.keys()).hasSize(2);
        assertThat(merged.endpointsOnly()).isFalse();
        assertThat(first.endpointsOnly()).isTrue();
    }

    @Test
    void emptyChangeSet_isNeitherEndpointsOnlyNorMeshWide() {
        ChangeSet empty = ChangeSet.empty(7);

        assertThat(empty.isEmpty()).isTrue();
        assertThat(empty.endpointsOnly()).isFalse();
        assertThat(empty.meshWide()).isFalse();
    }
}
