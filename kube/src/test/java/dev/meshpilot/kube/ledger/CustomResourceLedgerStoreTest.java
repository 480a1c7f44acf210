package dev.meshpilot.kube.ledger;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.LedgerStore;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.kube.apply.ObjectTrees;
import dev.meshpilot.kube.apply.WriteMethod;
import dev.meshpilot.kube.testing.CrudApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.meshpilot.kube.ledger.LedgerSamples.PRODUCTPAGE;
import static dev.meshpilot.kube.ledger.LedgerSamples.REVIEWS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger as {@code WorkloadDependencies} objects, against fabric8's Kubernetes API server mock in CRUD mode
 * (the accepted stand-in for a kube-apiserver, which cannot run here). The mock does not serve server-side apply,
 * so these stores write with {@link WriteMethod#REPLACE}; the mock checks {@code resourceVersion} on replace (409
 * on a stale one), which is what makes replicas' concurrent saves meet and retry.
 */
class CustomResourceLedgerStoreTest {

    private final CrudApiServer api = new CrudApiServer();

    @AfterEach
    void close() {
        api.close();
    }

    private CustomResourceLedgerStore replica() {
        return new CustomResourceLedgerStore(api.newClient(), WriteMethod.REPLACE,
                CustomResourceLedgerStore.DEFAULT_BYTE_BUDGET);
    }

    private GenericKubernetesResource object(KubernetesClient client, String namespace, String name) {
        return client.genericKubernetesResources(CustomResourceLedgerStore.CONTEXT).inNamespace(namespace)
                .withName(name).get();
    }

    @Test
    void saveThenLoad_roundTripsTheLedger_oneObjectPerWorkloadInItsNamespace() {
        CustomResourceLedgerStore store = replica();

        DependencyLedger saved = store.save(LedgerSamples.bookinfo());
        LedgerStore.Loaded loaded = store.load();

        assertThat(saved).isEqualTo(LedgerSamples.bookinfo());
        assertThat(loaded.ledger()).isEqualTo(LedgerSamples.bookinfo());
        assertThat(loaded.problems()).isEmpty();
        GenericKubernetesResource object = object(api.newClient(), "bookinfo", "productpage-v1");
        assertThat(object.getApiVersion()).isEqualTo("meshpilot.dev/v1alpha1");
        assertThat(object.getKind()).isEqualTo("WorkloadDependencies");
        assertThat(object.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/managed-by", "meshpilot")
                .containsEntry("meshpilot.dev/workload", "productpage-v1")
                .containsEntry("meshpilot.dev/shard", "1");
        assertThat(ObjectTrees.toTree(object).at("/spec/destinations").asInt()).isEqualTo(2);
    }

    @Test
    void restart_aNewStoreInstance_keepsTheLedger() {
        replica().save(LedgerSamples.bookinfo());

        assertThat(replica().load().ledger()).isEqualTo(LedgerSamples.bookinfo());
    }

    @Test
    void savingWhatIsStored_writesNothing() {
        CustomResourceLedgerStore store = replica();
        store.save(LedgerSamples.bookinfo());
        KubernetesClient admin = api.newClient();
        String version = object(admin, "bookinfo", "productpage-v1").getMetadata().getResourceVersion();

        store.save(LedgerSamples.bookinfo());

        assertThat(object(admin, "bookinfo", "productpage-v1").getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void twoReplicasSharingOneLedger_converge_withoutLosingEitherReplicasEvidence() throws Exception {
        CustomResourceLedgerStore first = replica();
        CustomResourceLedgerStore second = replica();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        DependencyLedger expected = DependencyLedger.empty();
        List<Future<DependencyLedger>> saves = new ArrayList<>();
        try {
            for (int i = 0; i < 25; i++) {
                DependencyLedger a = LedgerSamples.productpageCalls("a-" + i + ".example", "meshpilot-0");
                DependencyLedger b = LedgerSamples.productpageCalls("b-" + i + ".example", "meshpilot-1");
                expected = expected.merge(a).merge(b);
                saves.add(pool.submit(() -> first.save(a)));
                saves.add(pool.submit(() -> second.save(b)));
            }
            for (Future<DependencyLedger> save : saves) {
                save.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(first.load().ledger()).isEqualTo(expected);
        assertThat(second.load().ledger()).isEqualTo(expected);
        assertThat(expected.edgeCount()).isEqualTo(50);
    }

    @Test
    void staleReplace_isAConflictOnTheMock_soConcurrentWritesCannotPassUnseen() {
        CustomResourceLedgerStore store = replica();
        store.save(LedgerSamples.bookinfo());
        KubernetesClient client = api.newClient();
        var objects = client.genericKubernetesResources(CustomResourceLedgerStore.CONTEXT).inNamespace("bookinfo");
        GenericKubernetesResource read = objects.withName("productpage-v1").get();
        String staleVersion = read.getMetadata().getResourceVersion();
        store.save(LedgerSamples.productpageCalls("new.example", "meshpilot-1"));

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> WriteMethod.REPLACE.update(objects, read, staleVersion))
                .isInstanceOfSatisfying(io.fabric8.kubernetes.client.KubernetesClientException.class,
                        e -> assertThat(WriteMethod.isConflict(e)).isTrue());
    }

    @Test
    void workloadCalling5000Hosts_isSplitIntoShardsWithinTheBudget_andLoadsWhole() {
        CustomResourceLedgerStore store = replica();
        DependencyLedger wide = LedgerSamples.calling(REVIEWS, 5_000);

        store.save(wide);

        KubernetesClient admin = api.newClient();
        List<GenericKubernetesResource> objects = admin.genericKubernetesResources(CustomResourceLedgerStore.CONTEXT)
                .inNamespace("bookinfo").list().getItems();
        assertThat(objects).extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder("reviews-v2", "reviews-v2.shard-2", "reviews-v2.shard-3");
        int total = 0;
        for (GenericKubernetesResource o : objects) {
            int bytes = LedgerJson.toBytes(ObjectTrees.toTree(o).get("spec")).length;
            assertThat(bytes).isLessThanOrEqualTo(CustomResourceLedgerStore.DEFAULT_BYTE_BUDGET);
            assertThat(o.getMetadata().getLabels()).containsEntry("meshpilot.dev/workload", "reviews-v2");
            total += ObjectTrees.toTree(o).at("/spec/destinations").asInt();
        }
        assertThat(total).isEqualTo(5_000);
        assertThat(replica().load().ledger()).isEqualTo(wide);
        System.out.printf("5,000 destinations: %d objects, %d bytes of spec in all%n", objects.size(),
                objects.stream().mapToInt(o -> LedgerJson.toBytes(ObjectTrees.toTree(o).get("spec")).length).sum());
    }

    @Test
    void growingPastTheBudget_spillsIntoANewShard_andKeepsEverything() {
        CustomResourceLedgerStore store = new CustomResourceLedgerStore(api.newClient(), WriteMethod.REPLACE, 8 * 1024);
        DependencyLedger some = LedgerSamples.calling(PRODUCTPAGE, 20);
        store.save(some);
        assertThat(store.objectCount(PRODUCTPAGE)).isEqualTo(1);

        DependencyLedger more = LedgerSamples.calling(PRODUCTPAGE, 120);
        store.save(more);

        assertThat(store.objectCount(PRODUCTPAGE)).isGreaterThan(1);
        assertThat(store.load().ledger()).isEqualTo(some.merge(more));
    }

    @Test
    void corruptObject_isReportedWithItsNameAndField_leftAsItIs_andTheWorkloadsPageGoesElsewhere() {
        KubernetesClient admin = api.newClient();
        var objects = admin.genericKubernetesResources(CustomResourceLedgerStore.CONTEXT).inNamespace("bookinfo");
        CustomResourceLedgerStore store = replica();
        store.save(LedgerSamples.bookinfo());
        GenericKubernetesResource broken = objects.withName("productpage-v1").get();
        var tree = ObjectTrees.toTree(broken);
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree.get("spec").get("calls").get(0)).put("port", "http");
        objects.resource(ObjectTrees.toResource(tree)).update();
        String brokenVersion = objects.withName("productpage-v1").get().getMetadata().getResourceVersion();

        LedgerStore.Loaded loaded = store.load();
        DependencyLedger more = LedgerSamples.productpageCalls("api.example.com", "meshpilot-1");
        store.save(more);

        assertThat(loaded.problems()).containsExactly("WorkloadDependencies bookinfo/productpage-v1: "
                + "spec.calls[0].port: must be a port number 0 to 65535, got \"http\"; skipped and left as it is");
        assertThat(loaded.ledger().page(REVIEWS)).isPresent();
        assertThat(objects.withName("productpage-v1").get().getMetadata().getResourceVersion())
                .as("never written over").isEqualTo(brokenVersion);
        assertThat(objects.withName("productpage-v1.shard-2").get()).isNotNull();
        assertThat(store.load().ledger().page(PRODUCTPAGE)).contains(more.page(PRODUCTPAGE).orElseThrow());
    }

    @Test
    void objectAtTheWorkloadsNameBelongingToSomethingElse_isLeftAlone() {
        KubernetesClient admin = api.newClient();
        var objects = admin.genericKubernetesResources(CustomResourceLedgerStore.CONTEXT).inNamespace("bookinfo");
        objects.resource(ObjectTrees.toResource((com.fasterxml.jackson.databind.node.ObjectNode)
                LedgerJsonTestTrees.foreignObject("productpage-v1"))).create();

        replica().save(LedgerSamples.bookinfo());

        assertThat(ObjectTrees.toTree(objects.withName("productpage-v1").get()).at("/spec/note").asText())
                .isEqualTo("hand-made");
        assertThat(replica().load().ledger().page(PRODUCTPAGE))
                .contains(LedgerSamples.bookinfo().page(PRODUCTPAGE).orElseThrow());
    }

    @Test
    void unsafeWorkloadName_getsAValidObjectName_andRoundTrips() {
        WorkloadKey odd = new WorkloadKey("bookinfo", "Payments_API");
        DependencyLedger ledger = DependencyLedger.ofObservations(List.of(
                LedgerSamples.call(odd, "x.example", 80, "r", LedgerSamples.T0, 1)));

        replica().save(ledger);

        assertThat(api.newClient().genericKubernetesResources(CustomResourceLedgerStore.CONTEXT).inNamespace("bookinfo")
                .list().getItems()).singleElement().satisfies(o ->
                assertThat(o.getMetadata().getName()).matches("payments-api-[0-9a-f]{8}"));
        assertThat(replica().load().ledger()).isEqualTo(ledger);
    }
}
