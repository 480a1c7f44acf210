package dev.meshpilot.kube.apiserver;

import dev.meshpilot.core.registry.SourceChange;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.convert.KubeObjectConverter;
import dev.meshpilot.kube.convert.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The level-triggered assembler on its own: what it converts again, what it keeps, what the gate admits. */
class MeshAssemblerTest {

    /** Objects per kind, as an informer cache would hold them. */
    static final class Objects implements MeshAssembler.ObjectSource {
        final Map<WatchedKind, List<GenericKubernetesResource>> byKind = new HashMap<>();

        Objects put(WatchedKind kind, String json) {
            GenericKubernetesResource r = Serialization.unmarshal(json, GenericKubernetesResource.class);
            List<GenericKubernetesResource> list = byKind.computeIfAbsent(kind, k -> new ArrayList<>());
            list.removeIf(o -> MeshAssembler.refOf(kind, o).equals(MeshAssembler.refOf(kind, r)));
            list.add(r);
            return this;
        }

        void remove(WatchedKind kind, String name) {
            byKind.getOrDefault(kind, new ArrayList<>()).removeIf(o -> o.getMetadata().getName().equals(name));
        }

        @Override
        public Collection<GenericKubernetesResource> list(WatchedKind kind) {
            return byKind.getOrDefault(kind, List.of());
        }

        @Override
        public Optional<GenericKubernetesResource> get(WatchedKind kind, ObjectRef ref) {
            return list(kind).stream().filter(o -> MeshAssembler.refOf(kind, o).equals(ref)).findFirst();
        }
    }

    static final WatchedKind CONFIG = WatchedKind.meshConfigMap("istio-system");
    static final List<WatchedKind> KINDS = List.of(WatchedKind.NAMESPACE, CONFIG, WatchedKind.SERVICE);

    final MeshAssembler assembler = new MeshAssembler(new KubeObjectConverter(ConverterOptions.DEFAULT));
    final Objects cluster = new Objects();

    static String service(String ns, String name, String resourceVersion, int port) {
        // as the API server lists built-in kinds: no apiVersion/kind on the item
        return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\",\"resourceVersion\":\""
                + resourceVersion + "\"},\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":" + port + "}]}}";
    }

    static String namespace(String name, String resourceVersion, String labels) {
        return "{\"metadata\":{\"name\":\"" + name + "\",\"resourceVersion\":\"" + resourceVersion
                + "\",\"labels\":" + labels + "}}";
    }

    MeshAssembler.Step full() {
        return assembler.reconcile(cluster, KINDS, Set.copyOf(KINDS), Map.of());
    }

    MeshAssembler.Step one(WatchedKind kind, String ns, String name) {
        return assembler.reconcile(cluster, KINDS, Set.of(), Map.of(kind, Set.of(new ObjectRef(kind.kind(), ns, name))));
    }

    static List<String> keys(MeshAssembler.Step step) {
        return step.changes().stream().map(c -> (c.isDelete() ? "-" : "+") + c.sourceKey()).toList();
    }

    @Test
    void listItemsWithoutApiVersionAndKind_convertAsTheKindTheyWereListedAs() {
        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "1", 80));
        MeshAssembler.Step step = full();
        assertThat(keys(step)).containsExactly("+k8s/Service/shop/cart");
        assertThat(step.changes().get(0).objects().orElseThrow().services()).singleElement()
                .satisfies(s -> assertThat(s.hostname()).isEqualTo("cart.shop.svc.cluster.local"));
        assertThat(step.newProblems()).isEmpty();
    }

    @Test
    void sameResourceVersion_isNotConvertedOrChangedAgain() {
        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "1", 80));
        full();
        assertThat(one(WatchedKind.SERVICE, "shop", "cart").changes()).isEmpty();
        assertThat(full().changes()).isEmpty();
    }

    @Test
    void newResourceVersionWithSameContent_changesNothingInTheRegistry() {
        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "1", 80));
        full();
        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "2", 80));
        assertThat(one(WatchedKind.SERVICE, "shop", "cart").changes()).isEmpty();
    }

    @Test
    void objectGoneFromTheCache_isDeleted_onSingleLookAndOnFullReread() {
        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "1", 80));
        cluster.put(WatchedKind.SERVICE, service("shop", "orders", "1", 80));
        full();
        cluster.remove(WatchedKind.SERVICE, "cart");
        assertThat(keys(one(WatchedKind.SERVICE, "shop", "cart"))).containsExactly("-k8s/Service/shop/cart");
        cluster.remove(WatchedKind.SERVICE, "orders");
        assertThat(keys(full())).containsExactly("-k8s/Service/shop/orders");
        assertThat(assembler.objectCount()).isZero();
    }

    @Test
    void brokenUpdate_keepsTheLastGoodVersion_andIsReportedOncePerVersion() {
        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "1", 80));
        full();
        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "2", 80).replace("\"port\":80", "\"port\":\"eighty\""));
        MeshAssembler.Step broken = one(WatchedKind.SERVICE, "shop", "cart");
        assertThat(broken.changes()).isEmpty();
        assertThat(broken.newProblems()).singleElement()
                .satisfies(p -> assertThat(p.toString()).startsWith("Service shop/cart: spec.ports[0].port"));
        assertThat(one(WatchedKind.SERVICE, "shop", "cart").newProblems()).as("same version: not again").isEmpty();
        assertThat(assembler.problems()).hasSize(1);

        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "3", 81));
        assertThat(keys(one(WatchedKind.SERVICE, "shop", "cart"))).containsExactly("+k8s/Service/shop/cart");
        assertThat(assembler.problems()).isEmpty();
    }

    @Test
    void discoverySelectors_gateNamespacedObjects_andARelabelRereadsEverySelectedKind() {
        cluster.put(CONFIG, """
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"istio","namespace":"istio-system",
                 "resourceVersion":"1"},"data":{"mesh":"discoverySelectors:\\n- matchLabels: {mesh: enabled}\\n"}}
                """);
        cluster.put(WatchedKind.NAMESPACE, namespace("shop", "1", "{\"mesh\":\"enabled\"}"));
        cluster.put(WatchedKind.NAMESPACE, namespace("pay", "1", "{}"));
        cluster.put(WatchedKind.SERVICE, service("shop", "cart", "1", 80));
        cluster.put(WatchedKind.SERVICE, service("pay", "ledger", "1", 80));
        assertThat(keys(full())).contains("+k8s/Service/shop/cart").doesNotContain("+k8s/Service/pay/ledger");
        assertThat(assembler.gate().admits("pay")).isFalse();

        cluster.put(WatchedKind.NAMESPACE, namespace("pay", "2", "{\"mesh\":\"enabled\"}"));
        List<SourceChange> changes = one(WatchedKind.NAMESPACE, "", "pay").changes();
        assertThat(changes.stream().map(SourceChange::sourceKey)).contains("k8s/Namespace/pay", "k8s/Service/pay/ledger");

        cluster.put(WatchedKind.NAMESPACE, namespace("shop", "2", "{}"));
        assertThat(keys(one(WatchedKind.NAMESPACE, "", "shop"))).contains("-k8s/Service/shop/cart");
    }
}
