package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.kube.testing.RepoPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled examples load on their own, with zero problems, into the meshes their README describes. */
class ExamplesLoadTest {

    @ParameterizedTest
    @ValueSource(strings = {"bookinfo", "online-boutique", "shared-cluster", "shared-cluster-root-default"})
    void example_loadsWithZeroProblems(String example) {
        LoadedMesh mesh = MeshLoader.load(RepoPaths.example(example));

        assertThat(mesh.problems()).isEmpty();
        assertThat(mesh.result().skippedKinds()).isEmpty();
        assertThat(mesh.snapshot().services()).isNotEmpty();
    }

    @Test
    void bookinfo_hasFourServicesSixPodsAndTheReviewsSplit() {
        MeshSnapshot snapshot = MeshLoader.load(RepoPaths.example("bookinfo")).snapshot();

        assertThat(snapshot.services()).extracting(MeshService::hostname).containsExactlyInAnyOrder(
                "details.default.svc.cluster.local", "ratings.default.svc.cluster.local",
                "reviews.default.svc.cluster.local", "productpage.default.svc.cluster.local");
        assertThat(snapshot.workloads()).extracting(w -> w.proxyId()).containsExactly(
                "details-v1-0.default", "productpage-v1-0.default", "ratings-v1-0.default", "reviews-v1-0.default",
                "reviews-v2-0.default", "reviews-v3-0.default");
        DestinationRuleResource rule = snapshot.destinationRules().get(0);
        assertThat(rule.subsets()).extracting(DestinationRuleResource.Subset::name).containsExactly("v1", "v2", "v3");
        VirtualServiceResource split = snapshot.virtualServices().get(0);
        assertThat(split.http().get(0).route()).extracting(r -> r.destination().subset() + "=" + r.weight())
                .containsExactly("v1=50", "v2=30", "v3=20");
        MeshService reviews = snapshot.servicesNamed("reviews.default.svc.cluster.local").get(0);
        assertThat(snapshot.endpointsOf(reviews, reviews.ports().get(0)))
                .extracting(ServiceEndpoint::podName).containsExactly("reviews-v1-0", "reviews-v2-0", "reviews-v3-0");
    }

    @Test
    void onlineBoutique_hasTwelveServicesAndTwelvePods() {
        MeshSnapshot snapshot = MeshLoader.load(RepoPaths.example("online-boutique")).snapshot();

        assertThat(snapshot.services()).hasSize(12);
        assertThat(snapshot.workloads()).hasSize(12);
        assertThat(snapshot.services()).flatExtracting(MeshService::ports).extracting(p -> p.protocol())
                .contains(dev.meshpilot.core.model.Protocol.GRPC, dev.meshpilot.core.model.Protocol.HTTP,
                        dev.meshpilot.core.model.Protocol.TCP);
    }

    @Test
    void sharedCluster_loadsEveryServiceAndSynthesizesOnePodPerReplica() {
        MeshSnapshot snapshot = MeshLoader.load(RepoPaths.example("shared-cluster")).snapshot();

        assertThat(snapshot.services()).hasSize(252);
        assertThat(snapshot.workloads()).hasSize(255).allMatch(w -> w.synthesized() && !w.ip().isEmpty());
        assertThat(snapshot.workloads()).extracting(w -> w.ip()).doesNotHaveDuplicates();
        // the manifests were trimmed of clusterIP: each Service gets a made-up one, distinct from every pod's
        assertThat(snapshot.services()).allMatch(s -> s.addresses().size() == 1);
        assertThat(snapshot.services()).flatExtracting(MeshService::addresses).doesNotHaveDuplicates()
                .doesNotContainAnyElementsOf(snapshot.workloads().stream().map(w -> w.ip()).toList());
        assertThat(snapshot.namespaces()).hasSize(14);
        assertThat(snapshot.sidecars()).isEmpty();
    }

    @Test
    void sharedClusterRootDefault_addsOnlyTheRootSidecar() {
        MeshSnapshot plain = MeshLoader.load(RepoPaths.example("shared-cluster")).snapshot();
        MeshSnapshot withRoot = MeshLoader.load(RepoPaths.example("shared-cluster-root-default")).snapshot();

        assertThat(withRoot.services()).isEqualTo(plain.services());
        assertThat(withRoot.sidecars()).singleElement().satisfies(s -> {
            assertThat(s.meta().namespace()).isEqualTo("istio-system");
            assertThat(s.meta().name()).isEqualTo("default");
            assertThat(s.hasWorkloadSelector()).isFalse();
            assertThat(s.egress()).extracting(SidecarResource.EgressListener::hosts)
                    .containsExactly(List.of("./*", "istio-system/*"));
        });
    }

    @Test
    void sharedCluster_everyServiceWithASelectorHasEndpointsFromItsPods() {
        MeshSnapshot snapshot = MeshLoader.load(RepoPaths.example("shared-cluster")).snapshot();

        for (MeshService service : snapshot.services()) {
            if (service.selector().isEmpty()) {
                continue;
            }
            List<ServiceEndpoint> endpoints = snapshot.endpointsOf(service, service.ports().get(0));
            assertThat(endpoints).as(service.hostname()).isNotEmpty()
                    .allMatch(e -> e.labels().entrySet().containsAll(service.selector().entrySet()));
        }
    }
}
