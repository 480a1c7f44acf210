package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint {@code istio.workload} metadata; mirrors Istio's {@code pilot/pkg/networking/util/util_test.go
 * TestEndpointMetadata} (canonical name/revision fallbacks, {@code latest} dropped, cluster id last).
 */
class EndpointMetadataTest {

    private static final MeshService REVIEWS = TestMesh.bookinfo().services.get(1);

    private static MeshSnapshot mesh(String pod, String workload, Map<String, String> labels) {
        TestMesh mesh = TestMesh.bookinfo();
        mesh.pods.add(new WorkloadInstance(ObjectMeta.of("default", pod).withLabels(labels), "10.0.0.99", "default",
                "Deployment", workload, null, false));
        return mesh.snapshot();
    }

    private static ServiceEndpoint endpoint(String pod, Map<String, String> labels) {
        return new ServiceEndpoint("10.0.0.99", 9080, ServiceEndpoint.Health.HEALTHY, pod, labels, Locality.UNKNOWN);
    }

    private static Optional<String> workload(ProxyKind kind, MeshSnapshot snapshot, MeshService service,
                                             ServiceEndpoint endpoint) {
        return new EndpointMetadata(kind, snapshot, service).of(endpoint)
                .map(Metadata::getFilterMetadataMap)
                .map(m -> m.get("istio").getFieldsOrThrow("workload").getStringValue());
    }

    @Test
    void appAndVersionLabels_giveCanonicalNameAndRevision() {
        Map<String, String> labels = Map.of("app", "reviews", "version", "v2");
        assertThat(workload(ProxyKind.SIDECAR, mesh("reviews-v2-7f9c-abcde", "reviews-v2", labels), REVIEWS,
                endpoint("reviews-v2-7f9c-abcde", labels)))
                .contains("reviews-v2;default;reviews;v2;Kubernetes");
    }

    @Test
    void canonicalServiceLabels_winOverKubernetesAndAppLabels() {
        Map<String, String> labels = Map.of("app", "reviews", "version", "v2",
                "app.kubernetes.io/name", "reviews-k8s", "app.kubernetes.io/version", "2.0",
                "service.istio.io/canonical-name", "service", "service.istio.io/canonical-revision", "v1");
        assertThat(workload(ProxyKind.SIDECAR, mesh("p", "workload", labels), REVIEWS, endpoint("p", labels)))
                .contains("workload;default;service;v1;Kubernetes");
    }

    @Test
    void kubernetesRecommendedLabels_winOverAppAndVersion() {
        Map<String, String> labels = Map.of("app", "reviews", "version", "v2",
                "app.kubernetes.io/name", "reviews-k8s", "app.kubernetes.io/version", "2.0");
        assertThat(workload(ProxyKind.SIDECAR, mesh("p", "w", labels), REVIEWS, endpoint("p", labels)))
                .contains("w;default;reviews-k8s;2.0;Kubernetes");
    }

    @Test
    void noLabels_canonicalNameIsTheWorkloadAndRevisionIsEmpty() {
        assertThat(workload(ProxyKind.SIDECAR, mesh("p", "workload", Map.of()), REVIEWS, endpoint("p", Map.of())))
                .contains("workload;default;workload;;Kubernetes");
    }

    @Test
    void latestRevision_isNotSent() {
        Map<String, String> labels = Map.of("app", "reviews", "version", "latest");
        assertThat(workload(ProxyKind.SIDECAR, mesh("p", "w", labels), REVIEWS, endpoint("p", labels)))
                .contains("w;default;reviews;;Kubernetes");
    }

    @Test
    void podWithoutOwner_isItsOwnWorkload() {
        assertThat(workload(ProxyKind.SIDECAR, mesh("bare", "", Map.of()), REVIEWS, endpoint("bare", Map.of())))
                .contains("bare;default;bare;;Kubernetes");
    }

    @Test
    void serviceEntryEndpoint_isAttributedToTheServiceEntry() {
        TestMesh mesh = new TestMesh().serviceEntry("external-db", "shop", "db.example.com",
                MeshService.Resolution.CLIENT_SIDE_LB, java.util.List.of(), TestMesh.port("tcp", 5432, 5432,
                        dev.meshpilot.core.model.Protocol.TCP));
        assertThat(workload(ProxyKind.SIDECAR, mesh.snapshot(), mesh.services.get(0), endpoint("", Map.of())))
                .contains("external-db;shop;external-db;;Kubernetes");
    }

    @Test
    void plainEnvoyAndProxylessGrpc_getNoIstioMetadata() {
        Map<String, String> labels = Map.of("app", "reviews");
        MeshSnapshot snapshot = mesh("p", "w", labels);
        assertThat(new EndpointMetadata(ProxyKind.ENVOY, snapshot, REVIEWS).of(endpoint("p", labels))).isEmpty();
        assertThat(new EndpointMetadata(ProxyKind.PROXYLESS_GRPC, snapshot, REVIEWS).of(endpoint("p", labels)))
                .isEmpty();
    }
}
