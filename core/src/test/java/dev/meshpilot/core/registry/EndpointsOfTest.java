package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.EndpointSliceInfo.SliceEndpoint;
import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.ServiceEndpoint.Health;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static dev.meshpilot.core.registry.Fixtures.http;
import static dev.meshpilot.core.registry.Fixtures.objects;
import static dev.meshpilot.core.registry.Fixtures.pod;
import static dev.meshpilot.core.registry.Fixtures.ready;
import static dev.meshpilot.core.registry.Fixtures.service;
import static dev.meshpilot.core.registry.Fixtures.slice;
import static org.assertj.core.api.Assertions.assertThat;

class EndpointsOfTest {

    private static final ServicePort HTTP = http(80, 8080);
    private static final ServicePort GRPC = new ServicePort("grpc", 90, 9090, "", Protocol.GRPC);
    private static final MeshService CART = service("shop", "cart", Map.of("app", "cart"), HTTP, GRPC);

    private static MeshSnapshot build(Object... items) {
        return SnapshotBuilder.build(1, MeshConfig.DEFAULT, objects(items));
    }

    @Test
    void withSlices_endpointsComeFromTheSlicePortOfTheSameName() {
        MeshSnapshot snapshot = build(CART, slice("shop", "cart-1", "cart",
                List.of(new EndpointSliceInfo.SlicePort("grpc", 9999, "TCP"), new EndpointSliceInfo.SlicePort("http", 8081, "TCP")),
                ready("10.0.0.1", ""), ready("10.0.0.2", "")));

        assertThat(snapshot.endpointsOf(CART, HTTP)).extracting(e -> e.address() + ":" + e.port())
                .containsExactly("10.0.0.1:8081", "10.0.0.2:8081");
        assertThat(snapshot.endpointsOf(CART, GRPC)).extracting(ServiceEndpoint::port).containsOnly(9999);
    }

    @Test
    void withSlices_selectedPodsAreNotUsed_evenIfNoSlicePortMatches() {
        MeshSnapshot snapshot = build(CART, pod("shop", "p", "10.0.0.5", Map.of("app", "cart")),
                slice("shop", "cart-1", "cart", List.of(new EndpointSliceInfo.SlicePort("other", 1, "TCP")),
                        ready("10.0.0.1", "")));

        assertThat(snapshot.endpointsOf(CART, HTTP)).isEmpty();
    }

    @ParameterizedTest(name = "ready={0} serving={1} terminating={2} -> {3}")
    @CsvSource({
            "true, true, false, HEALTHY",
            "false, false, false, UNHEALTHY",
            "false, true, true, DRAINING",
            "false, false, true, UNHEALTHY",
            "true, true, true, HEALTHY"})
    void sliceConditions_decideHealth(boolean ready, boolean serving, boolean terminating, Health expected) {
        MeshSnapshot snapshot = build(CART, slice("shop", "cart-1", "cart",
                List.of(new EndpointSliceInfo.SlicePort("http", 8080, "TCP")),
                new SliceEndpoint(List.of("10.0.0.1"), ready, serving, terminating, "", Locality.UNKNOWN)));

        assertThat(snapshot.endpointsOf(CART, HTTP)).singleElement().extracting(ServiceEndpoint::health)
                .isEqualTo(expected);
    }

    @Test
    void sliceEndpoint_takesPodNameLabelsAndLocalityFromItsTargetPod() {
        WorkloadInstance pod = new WorkloadInstance(new ObjectMeta("shop", "cart-abc", null,
                Map.of("app", "cart", "version", "v2"), Map.of()), "10.0.0.1", "sa", "", "",
                new Locality("eu-west1", "eu-west1-b"), false);

        MeshSnapshot snapshot = build(CART, pod, slice("shop", "cart-1", "cart",
                List.of(new EndpointSliceInfo.SlicePort("http", 8080, "TCP")), ready("10.0.0.1", "cart-abc")));

        assertThat(snapshot.endpointsOf(CART, HTTP)).singleElement().satisfies(e -> {
            assertThat(e.podName()).isEqualTo("cart-abc");
            assertThat(e.labels()).containsEntry("version", "v2");
            assertThat(e.locality()).isEqualTo(new Locality("eu-west1", "eu-west1-b"));
        });
    }

    @Test
    void sliceEndpointZone_winsOverThePodsLocality() {
        MeshSnapshot snapshot = build(CART, pod("shop", "p", "10.0.0.1", Map.of("app", "cart")),
                slice("shop", "cart-1", "cart", List.of(new EndpointSliceInfo.SlicePort("http", 8080, "TCP")),
                        new SliceEndpoint(List.of("10.0.0.1"), true, true, false, "", new Locality("", "zone-a"))));

        assertThat(snapshot.endpointsOf(CART, HTTP)).singleElement().satisfies(e -> {
            assertThat(e.locality().zone()).isEqualTo("zone-a");
            assertThat(e.podName()).isEqualTo("p");
        });
    }

    @ParameterizedTest(name = "ready={0} terminating={1} -> {2}")
    @CsvSource({
            "true, false, HEALTHY",
            "false, false, UNHEALTHY",
            "true, true, DRAINING",
            "false, true, UNHEALTHY"})
    void withoutSlices_aSelectedPodsReadinessDecidesItsHealth_asTheEndpointSliceControllerWould(
            boolean ready, boolean terminating, Health expected) {
        WorkloadInstance pod = new WorkloadInstance(new ObjectMeta("shop", "cart-0", null, Map.of("app", "cart"),
                Map.of()), "10.0.0.1", "sa", "", "", Locality.UNKNOWN, false, Map.of(), ready, terminating);

        assertThat(build(CART, pod).endpointsOf(CART, HTTP)).singleElement().extracting(ServiceEndpoint::health)
                .isEqualTo(expected);
    }

    @Test
    void aPodsReadiness_survivesItsAttributionToItsDeployment() {
        WorkloadInstance notReady = new WorkloadInstance(new ObjectMeta("shop", "cart-0", null, Map.of("app", "cart"),
                Map.of()), "10.0.0.1", "sa", "", "", Locality.UNKNOWN, false, Map.of(), false, false);

        MeshSnapshot snapshot = build(CART, notReady, Fixtures.deployment("shop", "cart", 1, Map.of("app", "cart")));

        assertThat(snapshot.workloads()).singleElement().satisfies(p -> {
            assertThat(p.workloadName()).isEqualTo("cart");
            assertThat(p.ready()).isFalse();
        });
        assertThat(snapshot.endpointsOf(CART, HTTP)).singleElement().extracting(ServiceEndpoint::health)
                .isEqualTo(Health.UNHEALTHY);
    }

    @Test
    void withoutSlices_endpointsAreTheSelectedPodsAtTheTargetPort() {
        MeshSnapshot snapshot = build(CART, pod("shop", "b", "10.0.0.2", Map.of("app", "cart", "v", "1")),
                pod("shop", "a", "10.0.0.1", Map.of("app", "cart")), pod("shop", "x", "10.0.0.3", Map.of("app", "other")),
                pod("elsewhere", "c", "10.0.0.4", Map.of("app", "cart")), pod("shop", "noip", "", Map.of("app", "cart")));

        assertThat(snapshot.endpointsOf(CART, HTTP)).extracting(e -> e.podName() + "@" + e.address() + ":" + e.port())
                .containsExactly("a@10.0.0.1:8080", "b@10.0.0.2:8080");
        assertThat(snapshot.endpointsOf(CART, HTTP)).allMatch(e -> e.health() == Health.HEALTHY);
    }

    @Test
    void serviceWithoutSelector_andNoSlices_hasNoEndpoints() {
        MeshService manual = service("shop", "manual", Map.of(), HTTP);

        assertThat(build(manual, pod("shop", "a", "10.0.0.1", Map.of())).endpointsOf(manual, HTTP)).isEmpty();
    }

    @Test
    void synthesizedPods_areEndpointsOfTheServicesThatSelectThem() {
        MeshSnapshot snapshot = build(CART, Fixtures.deployment("shop", "cart", 2, Map.of("app", "cart")));

        assertThat(snapshot.endpointsOf(CART, HTTP)).extracting(ServiceEndpoint::podName)
                .containsExactly("cart-0", "cart-1");
    }

    private static MeshService serviceEntry(MeshService.Resolution resolution, String host, Map<String, String> selector,
                                            List<MeshService.ServiceEntryEndpoint> endpoints) {
        return new MeshService(host, "shop", MeshService.Registry.EXTERNAL, ObjectMeta.of("shop", "se"),
                List.of(new ServicePort("https", 443, 8443, "", Protocol.TLS)), selector, List.of(), resolution,
                List.of(), true, endpoints);
    }

    @Test
    void serviceEntry_inlineEndpoints_mapPortsByNameAndParseLocality() {
        MeshService se = serviceEntry(MeshService.Resolution.CLIENT_SIDE_LB, "api.example.com", Map.of(), List.of(
                new MeshService.ServiceEntryEndpoint("1.1.1.1", Map.of("https", 9443), Map.of("v", "1"), "us/us-a/s1", 3),
                new MeshService.ServiceEntryEndpoint("2.2.2.2", Map.of(), Map.of(), "", 0)));
        ServicePort port = se.ports().get(0);

        List<ServiceEndpoint> endpoints = build(se).endpointsOf(se, port);

        assertThat(endpoints).extracting(e -> e.address() + ":" + e.port()).containsExactly("1.1.1.1:9443", "2.2.2.2:8443");
        assertThat(endpoints.get(0).locality()).isEqualTo(new Locality("us", "us-a"));
        assertThat(endpoints.get(0).labels()).containsEntry("v", "1");
        assertThat(endpoints.get(0).weight()).isEqualTo(3);
    }

    @Test
    void serviceEntry_withWorkloadSelector_usesThePodsOfItsNamespace() {
        MeshService se = serviceEntry(MeshService.Resolution.CLIENT_SIDE_LB, "vm.example.com", Map.of("app", "vm"), List.of());

        MeshSnapshot snapshot = build(se, pod("shop", "vm-1", "10.9.0.1", Map.of("app", "vm")));

        assertThat(snapshot.endpointsOf(se, se.ports().get(0))).extracting(e -> e.address() + ":" + e.port())
                .containsExactly("10.9.0.1:8443");
    }

    @Test
    void dnsServiceEntryWithoutEndpoints_resolvesItsOwnHost_butAWildcardHostHasNoEndpoint() {
        MeshService dns = serviceEntry(MeshService.Resolution.DNS, "api.example.com", Map.of(), List.of());
        MeshService wildcard = serviceEntry(MeshService.Resolution.DNS, "*.example.com", Map.of(), List.of());
        MeshService passthrough = serviceEntry(MeshService.Resolution.PASSTHROUGH, "db.example.com", Map.of(), List.of());
        MeshSnapshot snapshot = build(dns, wildcard, passthrough);

        assertThat(snapshot.endpointsOf(dns, dns.ports().get(0))).extracting(e -> e.address() + ":" + e.port())
                .containsExactly("api.example.com:8443");
        assertThat(snapshot.endpointsOf(wildcard, wildcard.ports().get(0))).isEmpty();
        assertThat(snapshot.endpointsOf(passthrough, passthrough.ports().get(0))).isEmpty();
    }
}
