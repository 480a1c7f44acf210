package dev.meshpilot.cli.recommend;

import dev.meshpilot.cli.Main;
import dev.meshpilot.cli.MockApiServer;
import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.Observation;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.kube.apply.SidecarApplier;
import dev.meshpilot.kube.apply.WriteMethod;
import dev.meshpilot.kube.ledger.CustomResourceLedgerStore;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code recommend --kube [--apply [--dry-run]]}: the mesh, the stored ledger and the Sidecars live in the cluster.
 * fabric8's API server mock in CRUD mode stands in for a kube-apiserver (none can be installed here); it lacks
 * server-side apply (it answers 415), so these runs write with create/replace, as {@link WriteMethod} documents.
 */
class RecommendApplyKubeTest {

    private static final String SHOP = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {selector: {app: web}, ports: [{name: http, port: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: cart, namespace: shop}
            spec: {selector: {app: cart}, ports: [{name: http, port: 8080}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: shop}
            spec: {selector: {app: db}, ports: [{name: tcp-pg, port: 5432}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: web-5d8f7c-x1
              namespace: shop
              labels: {app: web, pod-template-hash: 5d8f7c}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-5d8f7c, uid: u-web, controller: true}]
            spec: {containers: [{name: web, image: web}]}
            status: {podIP: 10.1.0.1, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: cart-5d8f7c-x1
              namespace: shop
              labels: {app: cart, pod-template-hash: 5d8f7c}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: cart-5d8f7c, uid: u-cart, controller: true}]
            spec: {containers: [{name: cart, image: cart}]}
            status: {podIP: 10.1.0.2, phase: Running}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: db-5d8f7c-x1
              namespace: shop
              labels: {app: db, pod-template-hash: 5d8f7c}
              ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: db-5d8f7c, uid: u-db, controller: true}]
            spec: {containers: [{name: db, image: db}]}
            status: {podIP: 10.1.0.3, phase: Running}
            """;

    private static final String EDGES = """
            source_workload,source_namespace,destination_host,destination_port,evidence
            web,shop,cart.shop.svc.cluster.local,8080,test
            cart,shop,db.shop.svc.cluster.local,5432,test
            """;

    private MockApiServer server;
    private KubernetesClient admin;
    @TempDir
    Path dir;

    @BeforeEach
    void startApiServer() {
        server = new MockApiServer();
        admin = server.admin();
        server.apply(SHOP);
    }

    @AfterEach
    void stopApiServer() {
        server.close();
    }

    @Test
    void apply_createsManagedSidecars_andLeavesAForeignOneAlone() throws Exception {
        GenericKubernetesResource foreignSidecar = new GenericKubernetesResource();
        foreignSidecar.setApiVersion("networking.istio.io/v1");
        foreignSidecar.setKind("Sidecar");
        foreignSidecar.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("meshpilot-db")
                .withNamespace("shop").build());
        foreignSidecar.setAdditionalProperty("spec", Map.of("egress", List.of(Map.of("hosts", List.of("./*")))));
        admin.genericKubernetesResources(SidecarApplier.SIDECARS).inNamespace("shop").resource(foreignSidecar).create();

        Run run = recommend("--traffic", edges(), "--apply");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("created Sidecar shop/meshpilot-web", "created Sidecar shop/meshpilot-cart",
                "conflict Sidecar shop/meshpilot-db");
        GenericKubernetesResource web = sidecar("meshpilot-web");
        assertThat(web.getMetadata().getLabels()).containsEntry(SidecarApplier.MANAGED_BY_LABEL, "meshpilot");
        assertThat(hosts(web)).containsExactly("shop/cart.shop.svc.cluster.local");
        GenericKubernetesResource foreign = sidecar("meshpilot-db");
        assertThat(foreign.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(hosts(foreign)).containsExactly("./*");
    }

    @Test
    void reapplying_changesNothing_andAGoneWorkloadLosesItsSidecar() throws Exception {
        assertThat(recommend("--traffic", edges(), "--apply").code()).isZero();

        Run again = recommend("--traffic", edges(), "--apply");
        assertThat(again.out()).contains("0 created, 0 updated, 0 deleted, 3 unchanged");

        admin.pods().inNamespace("shop").withName("cart-5d8f7c-x1").delete();
        Run afterDelete = recommend("--traffic", edges(), "--apply");

        assertThat(afterDelete.code()).as(afterDelete.err()).isZero();
        assertThat(afterDelete.out()).contains("deleted Sidecar shop/meshpilot-cart");
        assertThat(sidecarOrNull("meshpilot-cart")).isNull();
        assertThat(sidecarOrNull("meshpilot-web")).isNotNull();
    }

    @Test
    void dryRun_printsTheDiff_andChangesNothing() throws Exception {
        Run run = recommend("--traffic", edges(), "--apply", "--dry-run");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("created Sidecar shop/meshpilot-web", "+ shop/cart.shop.svc.cluster.local",
                "(dry run)");
        assertThat(admin.genericKubernetesResources(SidecarApplier.SIDECARS).inNamespace("shop").list().getItems())
                .isEmpty();
    }

    @Test
    void withoutAnotherSource_theLedgerServeKeptInTheClusterIsTheEvidence() throws Exception {
        Instant seen = Instant.parse("2026-12-01T10:00:00Z");
        DependencyLedger ledger = DependencyLedger.ofObservations(List.of(Observation.at(new WorkloadKey("shop", "web"),
                new Destination("db.shop.svc.cluster.local", 5432), CallProtocol.TCP, EvidenceSource.ACCESS_LOG,
                "access-log meshpilot-0", seen, 3)));
        new CustomResourceLedgerStore(admin, WriteMethod.REPLACE, 512 * 1024).save(ledger);

        Run run = recommend();

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("meshpilot-web", "shop/db.shop.svc.cluster.local")
                .contains("access-log");
    }

    @Test
    void applyWithoutKube_isAUserError() throws Exception {
        Run run = Run.of(null, "recommend", "--registry", dir.toString(), "--traffic", edges(), "--apply");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).contains("--apply", "needs --kube").doesNotContain("\tat ");
    }

    private Run recommend(String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("recommend", "--kube", "--kubeconfig", kubeconfig()));
        args.addAll(List.of(more));
        return Run.of(WriteMethod.REPLACE, args.toArray(String[]::new));
    }

    private String edges() throws Exception {
        Path file = dir.resolve("edges.csv");
        Files.writeString(file, EDGES);
        return file.toString();
    }

    private String kubeconfig() throws Exception {
        return server.kubeconfig(dir, "mock").toString();
    }

    private GenericKubernetesResource sidecar(String name) {
        GenericKubernetesResource r = sidecarOrNull(name);
        assertThat(r).as("Sidecar shop/" + name).isNotNull();
        return r;
    }

    private GenericKubernetesResource sidecarOrNull(String name) {
        return admin.genericKubernetesResources(SidecarApplier.SIDECARS).inNamespace("shop").withName(name).get();
    }

    @SuppressWarnings("unchecked")
    private static List<String> hosts(GenericKubernetesResource sidecar) {
        Map<String, Object> spec = (Map<String, Object>) sidecar.getAdditionalProperties().get("spec");
        List<Map<String, Object>> egress = (List<Map<String, Object>>) spec.get("egress");
        return (List<String>) egress.get(0).get("hosts");
    }

    private record Run(int code, String out, String err) {
        static Run of(WriteMethod writes, String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cli = Main.newCommandLine();
            if (writes != null) {
                ((RecommendCommand) cli.getSubcommands().get("recommend").getCommand()).writeMethod = writes;
            }
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        }
    }
}
