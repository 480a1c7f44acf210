package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ConfigKey.Kind;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.meshpilot.core.registry.Fixtures.deployment;
import static dev.meshpilot.core.registry.Fixtures.http;
import static dev.meshpilot.core.registry.Fixtures.objects;
import static dev.meshpilot.core.registry.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryStoreTest {

    private final RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);

    @Test
    void newStore_holdsTheEmptyMeshAtVersionZero() {
        assertThat(store.current().version()).isZero();
        assertThat(store.current().services()).isEmpty();
        assertThat(store.current().meshConfig()).isEqualTo(MeshConfig.DEFAULT);
    }

    @Test
    void firstReplace_publishesVersionOneWithTheNewKeys() {
        Optional<SnapshotUpdate> update = store.replace("a.yaml",
                objects(service("shop", "cart", Map.of("app", "cart"), http(80, 8080)),
                        deployment("shop", "cart", 1, Map.of("app", "cart"))));

        assertThat(update).isPresent();
        assertThat(update.get().current().version()).isEqualTo(1);
        assertThat(update.get().previous().version()).isZero();
        assertThat(update.get().changes().keys()).containsExactlyInAnyOrder(
                ConfigKey.of(Kind.SERVICE, "shop", "cart.shop.svc.cluster.local"),
                ConfigKey.of(Kind.ENDPOINTS, "shop", "cart.shop.svc.cluster.local"),
                ConfigKey.of(Kind.WORKLOAD, "shop", "cart-0"));
        assertThat(store.current()).isSameAs(update.get().current());
    }

    @Test
    void replaceWithEqualObjects_publishesNothing() {
        store.replace("a.yaml", objects(service("shop", "cart", Map.of(), http(80, 80))));

        Optional<SnapshotUpdate> again = store.replace("a.yaml", objects(service("shop", "cart", Map.of(), http(80, 80))));

        assertThat(again).isEmpty();
        assertThat(store.current().version()).isEqualTo(1);
    }

    @Test
    void deleteOfUnknownSource_publishesNothing() {
        assertThat(store.delete("missing.yaml")).isEmpty();
    }

    @Test
    void delete_removesTheSourceObjectsAndReportsTheirKeys() {
        store.replace("a.yaml", objects(service("shop", "cart", Map.of(), http(80, 80))));
        store.replace("b.yaml", objects(service("shop", "pay", Map.of(), http(80, 80))));

        SnapshotUpdate update = store.delete("a.yaml").orElseThrow();

        assertThat(update.current().services()).extracting(MeshService::name).containsExactly("pay");
        assertThat(update.changes().keys()).containsExactly(ConfigKey.of(Kind.SERVICE, "shop", "cart.shop.svc.cluster.local"));
        assertThat(store.sourceKeys()).containsExactly("b.yaml");
    }

    @Test
    void replaceWithEmptyObjects_isADelete() {
        store.replace("a.yaml", objects(service("shop", "cart", Map.of(), http(80, 80))));

        store.replace("a.yaml", MeshObjects.EMPTY);

        assertThat(store.sourceKeys()).isEmpty();
        assertThat(store.current().services()).isEmpty();
    }

    @Test
    void batch_publishesOneSnapshot() {
        List<SnapshotUpdate> seen = new ArrayList<>();
        store.subscribe(seen::add);

        store.apply(List.of(SourceChange.replace("a.yaml", objects(service("shop", "cart", Map.of(), http(80, 80)))),
                SourceChange.replace("b.yaml", objects(service("shop", "pay", Map.of(), http(80, 80))))));

        assertThat(seen).singleElement().satisfies(u -> {
            assertThat(u.current().version()).isEqualTo(1);
            assertThat(u.current().services()).hasSize(2);
        });
    }

    @Test
    void sameObjectInTwoSources_theSourceKeyThatSortsFirstWins_whateverTheArrivalOrder() {
        MeshService fromB = service("shop", "cart", Map.of(), http(81, 81));
        MeshService fromA = service("shop", "cart", Map.of(), http(80, 80));

        store.replace("b.yaml", objects(fromB));
        store.replace("a.yaml", objects(fromA));

        assertThat(store.current().services()).singleElement()
                .satisfies(s -> assertThat(s.ports()).isEqualTo(fromA.ports()));
    }

    @Test
    void meshConfig_isTheDefaultUntilASourceHoldsOne_andItsChangeIsMeshWide() {
        MeshConfig registryOnly = MeshConfig.DEFAULT.withOutboundTrafficPolicy(OutboundTrafficPolicy.REGISTRY_ONLY);

        SnapshotUpdate update = store.replace("mesh.yaml", objects(registryOnly)).orElseThrow();

        assertThat(update.current().meshConfig()).isEqualTo(registryOnly);
        assertThat(update.changes().keys()).containsExactly(ConfigKey.of(Kind.MESH_CONFIG, "", "mesh"));
        assertThat(update.changes().meshWide()).isTrue();
        assertThat(store.delete("mesh.yaml").orElseThrow().current().meshConfig()).isEqualTo(MeshConfig.DEFAULT);
    }

    @Test
    void subscription_carriesTheSnapshotCurrentAtRegistration_andCloseStopsUpdates() {
        store.replace("a.yaml", objects(service("shop", "cart", Map.of(), http(80, 80))));
        List<SnapshotUpdate> seen = new ArrayList<>();

        RegistryStore.Subscription subscription = store.subscribe(seen::add);
        store.replace("b.yaml", objects(service("shop", "pay", Map.of(), http(80, 80))));
        subscription.close();
        store.delete("b.yaml");

        assertThat(subscription.initial().version()).isEqualTo(1);
        assertThat(seen).extracting(u -> u.current().version()).containsExactly(2L);
    }

    @Test
    void failingSubscriber_doesNotKeepOthersFromTheUpdate() {
        List<Long> seen = new ArrayList<>();
        store.subscribe(u -> {
            throw new IllegalStateException("boom");
        });
        store.subscribe(u -> seen.add(u.current().version()));

        store.replace("a.yaml", objects(service("shop", "cart", Map.of(), http(80, 80))));

        assertThat(seen).containsExactly(1L);
    }

    @Test
    void concurrentWriters_getDenseIncreasingVersionsDeliveredInOrder() throws Exception {
        List<Long> delivered = Collections.synchronizedList(new ArrayList<>());
        store.subscribe(u -> delivered.add(u.current().version()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            pool.submit(() -> {
                start.await();
                for (int i = 0; i < 25; i++) {
                    store.replace("t" + thread + ".yaml", objects(service("ns" + thread, "s" + i, Map.of(), http(80, 80))));
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(store.current().version()).isEqualTo(100);
        assertThat(delivered).hasSize(100).isSorted();
        assertThat(store.current().services()).hasSize(4);
    }
}
