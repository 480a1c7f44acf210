package dev.meshpilot.insight.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshGeneratorTest {

    @TempDir
    Path temp;

    private Path shop() throws IOException {
        Path app = temp.resolve("apps/shop");
        Files.createDirectories(app);
        Files.writeString(app.resolve("services.yaml"), """
                apiVersion: v1
                kind: Service
                metadata:
                  name: cart
                  namespace: default
                  annotations:
                    note: "talks to db.default.svc.cluster.local and db.default.svc.cluster.localx"
                spec:
                  selector:
                    app: cart
                  ports:
                  - name: http
                    port: 8080
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: db
                  namespace: default
                spec:
                  selector:
                    app: db
                  ports:
                  - port: 5432
                """);
        Files.writeString(app.resolve("workloads.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: cart
                  namespace: default
                spec:
                  replicas: 3
                  selector:
                    matchLabels:
                      app: cart
                  template:
                    metadata:
                      labels:
                        app: cart
                        version: v1
                ---
                apiVersion: apps/v1
                kind: StatefulSet
                metadata:
                  name: db
                  namespace: default
                spec:
                  selector:
                    matchLabels:
                      app: db
                  template:
                    metadata:
                      labels:
                        app: db
                """);
        Files.writeString(app.resolve("edges.csv"), """
                source_workload,source_namespace,destination_host,destination_port,evidence
                cart,default,db.default.svc.cluster.local,5432,src/cart.go: DB_ADDR=db:5432, pooled
                """);
        return temp.resolve("apps");
    }

    private GeneratedMesh generate(Path apps, int copies, double factor, SidecarMode mode, Path out) {
        return new MeshGenerator().generate(new TopologyReader().readAll(apps),
                new GeneratorOptions(copies, factor, mode), out);
    }

    @Test
    void eachCopy_getsItsOwnSuffixedNamespace_andRewrittenFqdns() throws IOException {
        Path out = temp.resolve("out");
        GeneratedMesh mesh = generate(shop(), 2, 1, SidecarMode.NONE, out);

        assertThat(mesh.services()).isEqualTo(4);
        assertThat(mesh.namespaces()).isEqualTo(3);
        String services = Files.readString(out.resolve("g2/shop/services.yaml"));
        assertThat(services).contains("namespace: shop-g2")
                .contains("db.shop-g2.svc.cluster.local and db.default.svc.cluster.localx")
                .doesNotContain("namespace: default");
        assertThat(Files.readString(out.resolve("namespaces.yaml")))
                .contains("name: istio-system", "name: shop-g1", "name: shop-g2", "meshpilot.dev/copy: g2");
    }

    @Test
    void edges_moveToTheCopysNamespace_andKeepEvidenceWithCommas() throws IOException {
        Path out = temp.resolve("out");
        generate(shop(), 1, 1, SidecarMode.NONE, out);

        assertThat(Files.readAllLines(out.resolve("g1/shop/edges.csv"))).containsExactly(
                CallEdge.HEADER,
                "cart,shop-g1,db.shop-g1.svc.cluster.local,5432,src/cart.go: DB_ADDR=db:5432, pooled");
    }

    @Test
    void replicas_areScaledAndRounded_neverBelowOne() throws IOException {
        Path out = temp.resolve("out");
        GeneratedMesh mesh = generate(shop(), 1, 0.5, SidecarMode.NONE, out);

        String workloads = Files.readString(out.resolve("g1/shop/workloads.yaml"));
        assertThat(workloads).contains("replicas: 2").contains("replicas: 1");
        assertThat(mesh.pods()).isEqualTo(3);
    }

    @Test
    void rootDefaultMode_writesOneSidecarInTheRootNamespace() throws IOException {
        Path out = temp.resolve("out");
        GeneratedMesh mesh = generate(shop(), 2, 1, SidecarMode.ROOT_DEFAULT, out);

        assertThat(mesh.sidecars()).isEqualTo(1);
        assertThat(Files.readString(out.resolve("istio-system/sidecar-default.yaml")))
                .contains("kind: Sidecar", "name: default", "namespace: istio-system", "./*", "istio-system/*");
        assertThat(out.resolve("g1/shop/sidecars.yaml")).doesNotExist();
    }

    @Test
    void trafficMode_importsExactlyTheCalledHosts_perWorkload() throws IOException {
        Path out = temp.resolve("out");
        GeneratedMesh mesh = generate(shop(), 1, 1, SidecarMode.TRAFFIC, out);

        assertThat(mesh.sidecars()).isEqualTo(2);
        String sidecars = Files.readString(out.resolve("g1/shop/sidecars.yaml"));
        String[] docs = sidecars.split("---\n");
        assertThat(docs[0]).contains("name: cart", "version: v1", "shop-g1/db.shop-g1.svc.cluster.local")
                .doesNotContain("~/*");
        assertThat(docs[1]).contains("name: db", "~/*");
    }

    @Test
    void sameInputs_giveByteIdenticalOutput() throws IOException {
        Path apps = shop();
        generate(apps, 3, 1.5, SidecarMode.TRAFFIC, temp.resolve("a"));
        generate(apps, 3, 1.5, SidecarMode.TRAFFIC, temp.resolve("b"));

        assertThat(contents(temp.resolve("a"))).isEqualTo(contents(temp.resolve("b")));
    }

    @Test
    void nonEmptyOutput_isRejectedWithItsPath() throws IOException {
        Path out = temp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");

        assertThatThrownBy(() -> generate(shop(), 1, 1, SidecarMode.NONE, out))
                .isInstanceOf(TopologyException.class).hasMessageContaining(out.toString()).hasMessageContaining("not empty");
    }

    @Test
    void topologySpanningTwoNamespaces_isRejected() throws IOException {
        Path app = temp.resolve("bad/mixed");
        Files.createDirectories(app);
        Files.writeString(app.resolve("services.yaml"), """
                kind: Service
                metadata: {name: a, namespace: one}
                ---
                kind: Service
                metadata: {name: b, namespace: two}
                """);

        assertThatThrownBy(() -> new TopologyReader().readAll(temp.resolve("bad")))
                .isInstanceOf(TopologyException.class).hasMessageContaining("mixed").hasMessageContaining("[one, two]");
    }

    @Test
    void podTemplateAnnotations_areAddedToEveryWorkloadsTemplate_besideItsOwn() throws IOException {
        Path plain = temp.resolve("plain");
        Path annotated = temp.resolve("annotated");
        generate(shop(), 1, 1, SidecarMode.NONE, plain);
        new MeshGenerator().generate(new TopologyReader().readAll(shop()), new GeneratorOptions(1, 1, SidecarMode.NONE,
                Map.of("inject.istio.io/templates", "grpc-agent")), annotated);

        assertThat(Files.readString(plain.resolve("g1/shop/workloads.yaml"))).doesNotContain("inject.istio.io");
        String workloads = Files.readString(annotated.resolve("g1/shop/workloads.yaml"));
        long annotations = java.util.regex.Pattern.compile("inject.istio.io/templates: grpc-agent")
                .matcher(workloads).results().count();
        long kinds = java.util.regex.Pattern.compile("(?m)^kind: ").matcher(workloads).results().count();
        assertThat(kinds).isPositive();
        assertThat(annotations).as("one annotation per workload").isEqualTo(kinds);
        assertThat(Files.readString(annotated.resolve("g1/shop/services.yaml")))
                .isEqualTo(Files.readString(plain.resolve("g1/shop/services.yaml")));
    }

    @Test
    void realTopologies_giveAbout250ServicesPerCopy() {
        Path real = Path.of(System.getProperty("meshpilot.repo.root", ".."), "examples", "topologies").normalize();
        assertThat(real).as("the real topologies bundled with the repository").isDirectory();
        List<Topology> apps = new TopologyReader().readAll(real);

        GeneratedMesh mesh = new MeshGenerator().generate(apps, new GeneratorOptions(2, 1, SidecarMode.TRAFFIC),
                temp.resolve("real"));

        assertThat(apps).hasSize(13);
        assertThat(mesh.services()).isEqualTo(2 * apps.stream().mapToInt(t -> t.services().size()).sum());
        assertThat(mesh.services()).isBetween(400, 600);
        assertThat(mesh.sidecars()).isEqualTo(mesh.workloads());
        assertThat(mesh.namespaces()).isEqualTo(1 + 2 * 13);
    }

    private static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(file).toString(), Files.readString(file));
            }
        }
        return out;
    }
}
