package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.kube.convert.ConverterOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeshLoaderTest {

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: a, namespace: shop}
            spec:
              ports: [{name: http, port: 80}]
            """;

    @TempDir
    Path dir;

    @Test
    void singleFile_canBeTheRegistry() {
        Path file = write(dir, "mesh.yml", SERVICE);

        LoadedMesh mesh = MeshLoader.load(file);

        assertThat(mesh.snapshot().services()).hasSize(1);
        assertThat(mesh.result().objectsByFile()).containsOnlyKeys("mesh.yml");
    }

    @Test
    void missingDirectory_isAClearUserError() {
        assertThatThrownBy(() -> MeshLoader.load(dir.resolve("nope")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("registry directory " + dir.resolve("nope") + " does not exist");
    }

    @Test
    void emptyDirectory_isAnEmptyMeshWithTheDefaultMeshConfig() {
        LoadedMesh mesh = MeshLoader.load(dir);

        assertThat(mesh.snapshot().services()).isEmpty();
        assertThat(mesh.problems()).isEmpty();
        assertThat(mesh.snapshot().meshConfig()).isEqualTo(MeshConfig.DEFAULT);
        assertThat(mesh.snapshot().version()).isEqualTo(1);
    }

    @Test
    void systemNamespaceOption_decidesWhichIstioConfigMapIsRead_andTheDefaultRoot() {
        String configMap = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: %s}
                data:
                  mesh: "outboundTrafficPolicy: {mode: REGISTRY_ONLY}"
                """;
        write(dir, "mesh.yaml", configMap.formatted("istio-system") + "---\n" + configMap.formatted("mesh-control")
                .replace("REGISTRY_ONLY", "ALLOW_ANY"));

        MeshConfig standard = MeshLoader.load(dir).snapshot().meshConfig();
        MeshConfig custom = MeshLoader.load(dir, ConverterOptions.withSystemNamespace("mesh-control")).snapshot().meshConfig();

        assertThat(standard.outboundTrafficPolicy()).isEqualTo(OutboundTrafficPolicy.REGISTRY_ONLY);
        assertThat(standard.rootNamespace()).isEqualTo("istio-system");
        assertThat(custom.outboundTrafficPolicy()).isEqualTo(OutboundTrafficPolicy.ALLOW_ANY);
        assertThat(custom.rootNamespace()).isEqualTo("mesh-control");
        assertThat(MeshLoader.load(dir.resolve("mesh.yaml"), ConverterOptions.withSystemNamespace("elsewhere"))
                .snapshot().meshConfig().rootNamespace()).isEqualTo("elsewhere");
    }

    @Test
    void discoverySelectorsFromTheConfigMap_hideUnselectedNamespaces() {
        write(dir, "mesh.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |
                    discoverySelectors:
                    - matchLabels: {mesh: "on"}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop, labels: {mesh: "on"}}
                ---
                apiVersion: v1
                kind: Namespace
                metadata: {name: legacy}
                """);
        write(dir, "services.yaml", SERVICE + "---\n" + SERVICE.replace("shop", "legacy"));

        LoadedMesh mesh = MeshLoader.load(dir);

        assertThat(mesh.snapshot().services()).extracting(s -> s.namespace()).containsExactly("shop");
        assertThat(mesh.snapshot().namespaces()).hasSize(2);
    }

    @Test
    void serviceWrittenWithoutClusterIp_getsAMadeUpOne_headlessExternalNameAndGivenOnesDoNot() {
        write(dir, "services.yaml", SERVICE + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: shop}
                spec: {clusterIP: None, ports: [{name: tcp, port: 5432}]}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: ext, namespace: shop}
                spec: {type: ExternalName, externalName: api.example.com}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: given, namespace: shop}
                spec: {clusterIP: 10.0.0.7, clusterIPs: [10.0.0.7], ports: [{name: tcp, port: 9000}]}
                """);

        var snapshot = MeshLoader.load(dir).snapshot();

        assertThat(snapshot.servicesNamed("a.shop.svc.cluster.local").get(0).addresses()).singleElement()
                .satisfies(ip -> assertThat(ip).startsWith("10.").isNotEqualTo("10.0.0.7"));
        assertThat(snapshot.servicesNamed("db.shop.svc.cluster.local").get(0).addresses()).isEmpty();
        assertThat(snapshot.servicesNamed("ext.shop.svc.cluster.local").get(0).addresses()).isEmpty();
        assertThat(snapshot.servicesNamed("given.shop.svc.cluster.local").get(0).addresses())
                .containsExactly("10.0.0.7");
        assertThat(MeshLoader.load(dir).snapshot().services()).isEqualTo(snapshot.services());
    }
}
