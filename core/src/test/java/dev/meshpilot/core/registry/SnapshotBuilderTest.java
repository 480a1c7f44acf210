package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.LabelSelector;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.WorkloadInstance;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.meshpilot.core.registry.Fixtures.deployment;
import static dev.meshpilot.core.registry.Fixtures.http;
import static dev.meshpilot.core.registry.Fixtures.namespace;
import static dev.meshpilot.core.registry.Fixtures.objects;
import static dev.meshpilot.core.registry.Fixtures.pod;
import static dev.meshpilot.core.registry.Fixtures.service;
import static dev.meshpilot.core.registry.Fixtures.sidecar;
import static org.assertj.core.api.Assertions.assertThat;

class SnapshotBuilderTest {

    private static MeshConfig withSelectors(LabelSelector... selectors) {
        return new MeshConfig("istio-system", List.of("*"), List.of("*"), List.of("*"), OutboundTrafficPolicy.ALLOW_ANY,
                List.of(selectors), "cluster.local");
    }

    private static MeshSnapshot build(Object... items) {
        return SnapshotBuilder.build(1, MeshConfig.DEFAULT, objects(items));
    }

    @Test
    void noMeshConfigInTheSources_usesTheDefaultsGiven() {
        MeshConfig defaults = MeshConfig.defaultsWithRoot("mesh-root");

        MeshSnapshot snapshot = SnapshotBuilder.build(1, defaults, MeshObjects.EMPTY);

        assertThat(snapshot.meshConfig().rootNamespace()).isEqualTo("mesh-root");
    }

    @Test
    void discoverySelectors_dropNamespacedObjectsOfUnselectedNamespaces_butKeepNamespaceObjects() {
        MeshSnapshot snapshot = build(withSelectors(new LabelSelector(Map.of("mesh", "on"), List.of())),
                namespace("in", Map.of("mesh", "on")), namespace("out", Map.of()),
                service("in", "a", Map.of(), http(80, 80)), service("out", "b", Map.of(), http(80, 80)),
                sidecar("out", "default", "./*"), deployment("out", "w", 1, Map.of("app", "w")),
                pod("out", "p", "10.0.0.1", Map.of()));

        assertThat(snapshot.namespaces()).extracting(n -> n.name()).containsExactly("in", "out");
        assertThat(snapshot.services()).extracting(MeshService::namespace).containsExactly("in");
        assertThat(snapshot.sidecars()).isEmpty();
        assertThat(snapshot.workloads()).isEmpty();
        assertThat(snapshot.workloadGroups()).isEmpty();
    }

    @Test
    void discoverySelectors_matchExpressionsAndSeveralSelectorsAreOred() {
        LabelSelector notDev = new LabelSelector(Map.of(), List.of(new LabelSelector.Requirement("env",
                LabelSelector.Requirement.Operator.NOT_IN, List.of("dev"))));
        LabelSelector team = new LabelSelector(Map.of("team", "x"), List.of());

        MeshSnapshot snapshot = build(withSelectors(notDev, team),
                namespace("prod", Map.of("env", "prod")), namespace("dev", Map.of("env", "dev")),
                namespace("devx", Map.of("env", "dev", "team", "x")),
                service("prod", "a", Map.of(), http(80, 80)), service("dev", "b", Map.of(), http(80, 80)),
                service("devx", "c", Map.of(), http(80, 80)));

        assertThat(snapshot.services()).extracting(MeshService::namespace).containsExactlyInAnyOrder("prod", "devx");
    }

    @Test
    void discoverySelectors_namespaceWithoutANamespaceObject_isNotSelected() {
        MeshSnapshot snapshot = build(withSelectors(new LabelSelector(Map.of(), List.of(new LabelSelector.Requirement(
                        "env", LabelSelector.Requirement.Operator.DOES_NOT_EXIST, List.of())))),
                service("ghost", "a", Map.of(), http(80, 80)));

        assertThat(snapshot.services()).isEmpty();
    }

    @Test
    void noDiscoverySelectors_everyNamespaceIsSelected_evenWithoutNamespaceObjects() {
        MeshSnapshot snapshot = build(service("ghost", "a", Map.of(), http(80, 80)));

        assertThat(snapshot.services()).hasSize(1);
    }

    @Test
    void deploymentWithoutPods_getsReplicaPodsWithTemplateLabelsAndServiceAccount() {
        MeshSnapshot snapshot = build(deployment("shop", "cart", 3, Map.of("app", "cart")));

        assertThat(snapshot.workloads()).extracting(WorkloadInstance::name)
                .containsExactly("cart-0", "cart-1", "cart-2");
        assertThat(snapshot.workloads()).allSatisfy(w -> {
            assertThat(w.synthesized()).isTrue();
            assertThat(w.labels()).isEqualTo(Map.of("app", "cart"));
            assertThat(w.serviceAccount()).isEqualTo("cart-sa");
            assertThat(w.workloadKind()).isEqualTo("Deployment");
            assertThat(w.workloadName()).isEqualTo("cart");
            assertThat(w.ip()).matches("10\\.\\d+\\.\\d+\\.\\d+");
        });
        assertThat(snapshot.findWorkload("cart-1", "shop")).isPresent();
    }

    @Test
    void deploymentWithZeroReplicas_getsNoPods() {
        assertThat(build(deployment("shop", "cart", 0, Map.of("app", "cart"))).workloads()).isEmpty();
    }

    @Test
    void deploymentWhosePodsAreGiven_isNotSynthesized_andTheGivenPodIsAttributedToIt() {
        MeshSnapshot snapshot = build(deployment("shop", "cart", 2, Map.of("app", "cart")),
                pod("shop", "cart-7d9f-abcde", "10.1.1.1", Map.of("app", "cart", "pod-template-hash", "7d9f")));

        assertThat(snapshot.workloads()).singleElement().satisfies(w -> {
            assertThat(w.name()).isEqualTo("cart-7d9f-abcde");
            assertThat(w.synthesized()).isFalse();
            assertThat(w.workloadKind()).isEqualTo("Deployment");
            assertThat(w.workloadName()).isEqualTo("cart");
        });
    }

    @Test
    void synthesizedAddresses_areStableAcrossBuildsAndIndependentOfInputOrder() {
        MeshSnapshot first = build(deployment("a", "x", 2, Map.of("app", "x")), deployment("b", "y", 2, Map.of("app", "y")));
        MeshSnapshot second = build(deployment("b", "y", 2, Map.of("app", "y")), deployment("a", "x", 2, Map.of("app", "x")));

        assertThat(first.workloads()).isEqualTo(second.workloads());
    }

    @Test
    void synthesizedAddresses_areUniqueAndAvoidAddressesOfGivenPods() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            items.add(deployment("ns" + (i % 7), "app" + i, 5, Map.of("app", "a" + i)));
        }
        MeshSnapshot unconstrained = build(items.toArray());
        String takenAddress = unconstrained.findWorkload("app0-0", "ns0").orElseThrow().ip();
        items.add(pod("other", "given", takenAddress, Map.of()));

        MeshSnapshot snapshot = build(items.toArray());

        assertThat(snapshot.workloads()).hasSize(2001);
        assertThat(snapshot.workloads()).extracting(WorkloadInstance::ip).doesNotHaveDuplicates()
                .noneMatch(ip -> ip.endsWith(".0") || ip.endsWith(".255"));
        assertThat(snapshot.findWorkload("app0-0", "ns0").orElseThrow().ip()).isNotEqualTo(takenAddress);
    }

    @Test
    void duplicateObjects_theFirstOneWins() {
        MeshService first = service("shop", "cart", Map.of(), http(80, 80));
        MeshService second = service("shop", "cart", Map.of(), http(81, 81));

        assertThat(build(first, second).services()).singleElement()
                .satisfies(s -> assertThat(s.ports()).isEqualTo(first.ports()));
    }

    @Test
    void services_areInIstiosGlobalOrder() {
        MeshSnapshot snapshot = build(service("z", "b", Map.of(), http(80, 80)), service("a", "b", Map.of(), http(80, 80)),
                service("a", "a", Map.of(), http(80, 80)));

        assertThat(snapshot.services()).extracting(MeshService::hostname).containsExactly(
                "a.a.svc.cluster.local", "b.a.svc.cluster.local", "b.z.svc.cluster.local");
    }

    @Test
    void servicesSelecting_areTheSameNamespaceKubernetesServicesWhoseSelectorThePodCarries() {
        MeshSnapshot snapshot = build(service("shop", "cart", Map.of("app", "cart"), http(80, 80)),
                service("shop", "all", Map.of(), http(80, 80)),
                service("shop", "v2", Map.of("app", "cart", "version", "v2"), http(80, 80)),
                service("other", "cart", Map.of("app", "cart"), http(80, 80)),
                pod("shop", "p", "10.0.0.1", Map.of("app", "cart", "version", "v1")));

        WorkloadInstance pod = snapshot.findWorkload("p", "shop").orElseThrow();

        assertThat(snapshot.servicesSelecting(pod)).extracting(MeshService::hostname)
                .containsExactly("cart.shop.svc.cluster.local");
    }

    @Test
    void servicesNamedAndNamespace_lookUpByName() {
        MeshSnapshot snapshot = build(namespace("shop", Map.of("team", "a")), service("shop", "cart", Map.of(), http(80, 80)));

        assertThat(snapshot.servicesNamed("cart.shop.svc.cluster.local")).hasSize(1);
        assertThat(snapshot.servicesNamed("nope.shop.svc.cluster.local")).isEmpty();
        assertThat(snapshot.namespace("shop")).hasValueSatisfying(n -> assertThat(n.labels()).containsEntry("team", "a"));
        assertThat(snapshot.namespace("nope")).isEmpty();
    }

    @Test
    void synthesizedAddresses_avoidServiceAddressesAndSliceAddressesToo() {
        String taken = build(deployment("shop", "cart", 1, Map.of("app", "cart"))).workloads().get(0).ip();
        MeshService withVip = new MeshService("vip.shop.svc.cluster.local", "shop", MeshService.Registry.KUBERNETES,
                dev.meshpilot.core.model.ObjectMeta.of("shop", "vip"), List.of(http(80, 80)), Map.of(), List.of(),
                MeshService.Resolution.CLIENT_SIDE_LB, List.of(taken), false, List.of());

        assertThat(build(deployment("shop", "cart", 1, Map.of("app", "cart")), withVip).workloads().get(0).ip())
                .isNotEqualTo(taken);
        assertThat(build(deployment("shop", "cart", 1, Map.of("app", "cart")), Fixtures.slice("shop", "s", "x",
                List.of(), Fixtures.ready(taken, ""))).workloads().get(0).ip()).isNotEqualTo(taken);
    }

    private static MeshService kubeService(String namespace, String name, MeshService.Resolution resolution,
                                           List<String> addresses) {
        return new MeshService(name + "." + namespace + ".svc.cluster.local", namespace, MeshService.Registry.KUBERNETES,
                dev.meshpilot.core.model.ObjectMeta.of(namespace, name), List.of(http(80, 80)), Map.of(), List.of(),
                resolution, addresses, false, List.of());
    }

    private static List<String> addressesOf(MeshSnapshot snapshot, String hostname) {
        return snapshot.servicesNamed(hostname).get(0).addresses();
    }

    /** Whether an IPv4 address lies in 10.192.0.0/12 (the made-up ClusterIP range). */
    private static boolean inServiceRange(String ip) {
        String[] octets = ip.split("\\.");
        return octets.length == 4 && octets[0].equals("10") && Integer.parseInt(octets[1]) >= 192
                && Integer.parseInt(octets[1]) < 208;
    }

    @Test
    void serviceWithoutClusterIp_getsAMadeUpOneInTheServiceRange() {
        MeshSnapshot snapshot = build(service("shop", "cart", Map.of(), http(80, 80)));

        assertThat(addressesOf(snapshot, "cart.shop.svc.cluster.local")).singleElement()
                .matches(SnapshotBuilderTest::inServiceRange, "in 10.192.0.0/12")
                .matches(ip -> !ip.endsWith(".0") && !ip.endsWith(".255"), "not .0 or .255");
    }

    @Test
    void madeUpClusterIp_isStableAcrossBuildsAndIndependentOfOtherServicesAndInputOrder() {
        MeshSnapshot alone = build(service("shop", "cart", Map.of(), http(80, 80)));
        MeshSnapshot withOthers = build(service("z", "other", Map.of(), http(80, 80)),
                service("a", "first", Map.of(), http(80, 80)), service("shop", "cart", Map.of(), http(80, 80)));
        MeshSnapshot reordered = build(service("shop", "cart", Map.of(), http(80, 80)),
                service("a", "first", Map.of(), http(80, 80)), service("z", "other", Map.of(), http(80, 80)));

        assertThat(addressesOf(withOthers, "cart.shop.svc.cluster.local"))
                .isEqualTo(addressesOf(alone, "cart.shop.svc.cluster.local"));
        assertThat(reordered.services()).isEqualTo(withOthers.services());
    }

    @Test
    void serviceWithAClusterIp_keepsIt() {
        MeshSnapshot snapshot = build(kubeService("shop", "cart", MeshService.Resolution.CLIENT_SIDE_LB,
                List.of("10.0.0.10")));

        assertThat(addressesOf(snapshot, "cart.shop.svc.cluster.local")).containsExactly("10.0.0.10");
    }

    @Test
    void headlessService_getsNoMadeUpClusterIp() {
        MeshSnapshot snapshot = build(kubeService("shop", "db", MeshService.Resolution.PASSTHROUGH, List.of()));

        assertThat(addressesOf(snapshot, "db.shop.svc.cluster.local")).isEmpty();
    }

    @Test
    void externalNameService_getsNoMadeUpClusterIp() {
        MeshSnapshot snapshot = build(kubeService("shop", "ext", MeshService.Resolution.DNS, List.of()));

        assertThat(addressesOf(snapshot, "ext.shop.svc.cluster.local")).isEmpty();
    }

    @Test
    void serviceEntryWithoutAddresses_getsNoMadeUpClusterIp() {
        MeshService entry = new MeshService("api.example.com", "shop", MeshService.Registry.EXTERNAL,
                dev.meshpilot.core.model.ObjectMeta.of("shop", "api"), List.of(http(80, 80)), Map.of(), List.of(),
                MeshService.Resolution.CLIENT_SIDE_LB, List.of(), true, List.of());

        assertThat(addressesOf(build(entry), "api.example.com")).isEmpty();
    }

    @Test
    void madeUpClusterIps_areUniqueAndNeverAPodsAddress() {
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            items.add(service("ns" + (i % 11), "svc" + i, Map.of("app", "a" + i), http(80, 80)));
        }
        for (int i = 0; i < 300; i++) {
            items.add(deployment("ns" + (i % 11), "app" + i, 3, Map.of("app", "a" + i)));
        }

        MeshSnapshot snapshot = build(items.toArray());

        List<String> clusterIps = snapshot.services().stream().flatMap(s -> s.addresses().stream()).toList();
        assertThat(clusterIps).hasSize(2000).doesNotHaveDuplicates().allMatch(SnapshotBuilderTest::inServiceRange);
        assertThat(snapshot.workloads()).hasSize(900).extracting(WorkloadInstance::ip)
                .noneMatch(SnapshotBuilderTest::inServiceRange).doesNotContainAnyElementsOf(clusterIps);
    }

    @Test
    void madeUpClusterIp_avoidsAnAddressAGivenPodOrSliceAlreadyHas() {
        String taken = addressesOf(build(service("shop", "cart", Map.of(), http(80, 80))),
                "cart.shop.svc.cluster.local").get(0);

        MeshSnapshot withPod = build(service("shop", "cart", Map.of(), http(80, 80)),
                pod("shop", "p", taken, Map.of()));
        MeshSnapshot withSlice = build(service("shop", "cart", Map.of(), http(80, 80)),
                Fixtures.slice("shop", "s", "x", List.of(), Fixtures.ready(taken, "")));

        assertThat(addressesOf(withPod, "cart.shop.svc.cluster.local")).singleElement().isNotEqualTo(taken)
                .matches(SnapshotBuilderTest::inServiceRange);
        assertThat(withPod.findWorkload("p", "shop").orElseThrow().ip()).isEqualTo(taken);
        assertThat(addressesOf(withSlice, "cart.shop.svc.cluster.local")).singleElement().isNotEqualTo(taken);
    }
}
