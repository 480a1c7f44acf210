package dev.meshpilot.insight.learn;

import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearnedScopes;
import dev.meshpilot.core.scope.LearningSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.meshpilot.insight.learn.ShopMesh.CART;
import static dev.meshpilot.insight.learn.ShopMesh.DB;
import static dev.meshpilot.insight.learn.ShopMesh.NOW;
import static dev.meshpilot.insight.learn.ShopMesh.REVIEWS;
import static dev.meshpilot.insight.learn.ShopMesh.shop;
import static org.assertj.core.api.Assertions.assertThat;

class RecommenderTest {

    @TempDir
    Path dir;

    private final Recommender recommender = new Recommender(LearningSettings.defaults(), Set.of("istio-system"));

    private static Optional<SidecarResource> sidecar(Recommendation r, String name) {
        return r.resources().stream().filter(s -> s.meta().name().equals(name)).findFirst();
    }

    @Test
    void perWorkload_oneManagedSidecarSelectingItsPods_withSortedNamespacedHosts() {
        ShopMesh mesh = shop().calls("worker", REVIEWS, 80).calls("worker", CART, 0);

        Recommendation r = recommender.recommend(mesh.snapshot(dir), mesh.ledger(), NOW, Granularity.WORKLOAD);

        SidecarResource worker = sidecar(r, "meshpilot-worker").orElseThrow();
        assertThat(worker.meta().namespace()).isEqualTo("shop");
        assertThat(worker.meta().labels()).containsEntry("app.kubernetes.io/managed-by", "meshpilot");
        assertThat(worker.workloadSelector()).contains(Map.of("app", "worker"));
        assertThat(worker.egress().get(0).hosts()).containsExactly("shop/" + CART, "shop/" + REVIEWS);
        assertThat(r.brokenCalls()).isEmpty();
    }

    @Test
    void workloadThatCallsNothing_importsNothing() {
        ShopMesh mesh = shop();

        Recommendation r = recommender.recommend(mesh.snapshot(dir), mesh.ledger(), NOW, Granularity.WORKLOAD);

        assertThat(sidecar(r, "meshpilot-worker").orElseThrow().egress().get(0).hosts()).containsExactly("~/*");
    }

    @Test
    void selectorMatchingAnotherWorkloadsPods_carriesItsScopeToo() {
        ShopMesh mesh = shop().calls("frontend", CART, 80).calls("frontend-canary", DB, 80);

        Recommendation r = recommender.recommend(mesh.snapshot(dir), mesh.ledger(), NOW, Granularity.WORKLOAD);

        assertThat(sidecar(r, "meshpilot-frontend").orElseThrow().egress().get(0).hosts())
                .containsExactly("shop/" + CART, "shop/" + DB);
        assertThat(sidecar(r, "meshpilot-frontend-canary").orElseThrow().egress().get(0).hosts())
                .containsExactly("shop/" + DB);
        assertThat(r.brokenCalls()).isEmpty();
    }

    @Test
    void handWrittenWorkloadSidecar_isLeftAlone_andSaysWhy() {
        ShopMesh mesh = shop().with("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: mine, namespace: shop}
                spec:
                  workloadSelector: {labels: {app: worker}}
                  egress: [{hosts: ["./*"]}]
                """);

        Recommendation r = recommender.recommend(mesh.snapshot(dir), mesh.ledger(), NOW, Granularity.WORKLOAD);

        assertThat(sidecar(r, "meshpilot-worker")).isEmpty();
        assertThat(r.skipped()).anySatisfy(s -> {
            assertThat(s.workload()).isEqualTo("shop/worker");
            assertThat(s.reason()).isEqualTo("hand-written Sidecar shop/mine applies to it");
        });
    }

    @Test
    void ownSidecarsFromAnEarlierRun_doNotChangeTheAnswer() {
        ShopMesh mesh = shop().calls("worker", REVIEWS, 80);
        MeshSnapshot first = mesh.snapshot(dir);
        Recommendation once = recommender.recommend(first, mesh.ledger(), NOW, Granularity.WORKLOAD);
        ShopMesh applied = shop().calls("worker", REVIEWS, 80)
                .with(RecommendationYaml.render(once, java.util.List.of()));

        Recommendation twice = recommender.recommend(applied.snapshot(dir), applied.ledger(), NOW,
                Granularity.WORKLOAD);

        assertThat(twice.resources()).map(SidecarResource::egress).isEqualTo(once.resources().stream()
                .map(SidecarResource::egress).toList());
        assertThat(twice.skipped()).isEqualTo(once.skipped());
    }

    @Test
    void perNamespace_oneSidecarWithoutSelector_unionOfItsWorkloads() {
        ShopMesh mesh = shop().calls("worker", REVIEWS, 80).calls("frontend", CART, 80);

        Recommendation r = recommender.recommend(mesh.snapshot(dir), mesh.ledger(), NOW, Granularity.NAMESPACE);

        assertThat(r.resources()).singleElement().satisfies(s -> {
            assertThat(s.meta().name()).isEqualTo("meshpilot-learned");
            assertThat(s.workloadSelector()).isEmpty();
            assertThat(s.egress().get(0).hosts()).containsExactly("shop/" + CART, "shop/" + REVIEWS);
            assertThat(LearnedScopes.isManaged(s)).isTrue();
        });
        assertThat(r.brokenCalls()).isEmpty();
    }

    @Test
    void perNamespace_handWrittenNamespaceSidecar_keepsTheNamespace() {
        ShopMesh mesh = shop().calls("worker", REVIEWS, 80).with("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  egress: [{hosts: ["./*"]}]
                """);

        Recommendation r = recommender.recommend(mesh.snapshot(dir), mesh.ledger(), NOW, Granularity.NAMESPACE);

        assertThat(r.resources()).isEmpty();
        assertThat(r.skipped()).extracting(Recommendation.SkippedWorkload::reason)
                .containsExactly("hand-written Sidecar shop/default is its default");
    }

    @Test
    void unknownDestination_isNotServed_butNoted() {
        ShopMesh mesh = shop().calls("worker", "10.0.0.9", 5432).calls("worker", CART, 80);

        Recommendation r = recommender.recommend(mesh.snapshot(dir), mesh.ledger(), NOW, Granularity.WORKLOAD);

        assertThat(sidecar(r, "meshpilot-worker").orElseThrow().egress().get(0).hosts()).containsExactly("shop/" + CART);
        assertThat(r.notes()).containsExactly("shop/worker was seen calling destinations no service declares "
                + "(never served): 10.0.0.9:5432");
    }

    @Test
    void dnsLabel_lowersReplacesAndTrims() {
        assertThat(Recommender.dnsLabel("meshpilot-Cart_Service.v2")).isEqualTo("meshpilot-cart-service-v2");
        assertThat(Recommender.dnsLabel("meshpilot-" + "x".repeat(80))).hasSize(63);
        assertThat(Recommender.dnsLabel("meshpilot-" + "y".repeat(52) + "-z")).doesNotEndWith("-");
    }
}
