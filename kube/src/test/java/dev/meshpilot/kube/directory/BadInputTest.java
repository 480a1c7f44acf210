package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.kube.convert.ConversionProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of user mistake gives one located message, skips only the object at fault, and leaves the other
 * objects of the same file in the mesh.
 */
class BadInputTest {

    private static final String GOOD_SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: good
              namespace: shop
            spec:
              selector:
                app: good
              ports:
              - name: http
                port: 80
            """;

    @TempDir
    Path dir;

    private LoadedMesh loadWith(String badDocument) {
        write(dir, "mesh.yaml", GOOD_SERVICE + "---\n" + badDocument + "---\n" + GOOD_SERVICE.replace("good", "after"));
        return MeshLoader.load(dir);
    }

    private static void assertGoodObjectsLoaded(LoadedMesh mesh) {
        assertThat(mesh.snapshot().services()).extracting(MeshService::name).contains("good", "after");
    }

    @Test
    void malformedYaml_isReportedWithFileLineAndDocument_andTheOtherDocumentsLoad() {
        LoadedMesh mesh = loadWith("""
                apiVersion: v1
                kind: Service
                metadata: {name: broken
                  namespace: shop
                """);

        assertThat(mesh.errors()).singleElement().satisfies(p -> {
            assertThat(p.file()).isEqualTo("mesh.yaml");
            assertThat(p.documentIndex()).isEqualTo(2);
            assertThat(p.line()).isBetween(13, 17);
            assertThat(p.toString()).startsWith("mesh.yaml:").contains("document 2: malformed YAML: ");
        });
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void duplicateYamlKey_isMalformedYaml() {
        LoadedMesh mesh = loadWith("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: a
                  name: b
                """);

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .contains("document 2: malformed YAML: Duplicate field 'name'");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void unknownKind_isSkippedCountedAndWarned_notAnError() {
        LoadedMesh mesh = loadWith("""
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata:
                  name: gw
                  namespace: shop
                spec: {}
                """);

        assertThat(mesh.errors()).isEmpty();
        assertThat(mesh.result().skippedKinds()).containsEntry("networking.istio.io/v1/Gateway", 1);
        assertThat(mesh.result().warnings()).singleElement().hasToString(
                "warning: mesh.yaml:13: document 2: Gateway shop/gw: kind networking.istio.io/v1/Gateway is not used "
                        + "by meshpilot; skipped");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void manyObjectsOfAnUnusedKind_giveOneWarningPerFileWithTheCount() {
        String account = """
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: %s, namespace: shop}
                """;
        write(dir, "dump.yaml", account.formatted("a") + "---\n" + account.formatted("b") + "---\n" + account.formatted("c")
                + "---\n" + GOOD_SERVICE);

        LoadedMesh mesh = MeshLoader.load(dir);

        assertThat(mesh.result().skippedKinds()).containsEntry("v1/ServiceAccount", 3);
        assertThat(mesh.problems()).singleElement().hasToString("warning: dump.yaml:1: document 1: ServiceAccount shop/a: "
                + "kind v1/ServiceAccount is not used by meshpilot; skipped (and 2 more in this file)");
        assertThat(mesh.snapshot().services()).hasSize(1);
    }

    @Test
    void wrongType_namesTheFieldAndWhatWasFound() {
        LoadedMesh mesh = loadWith("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: bad
                  namespace: shop
                spec:
                  ports:
                  - name: http
                    port: eighty
                """);

        assertThat(mesh.errors()).singleElement().hasToString(
                "mesh.yaml:13: document 2: Service shop/bad: spec.ports[0].port: must be an integer, got string \"eighty\"");
        assertGoodObjectsLoaded(mesh);
        assertThat(mesh.snapshot().services()).extracting(MeshService::name).doesNotContain("bad");
    }

    @Test
    void missingRequiredField_isNamed() {
        LoadedMesh mesh = loadWith("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata:
                  name: dr
                  namespace: shop
                spec:
                  subsets:
                  - name: v1
                """);

        assertThat(mesh.errors()).singleElement().hasToString(
                "mesh.yaml:13: document 2: DestinationRule shop/dr: spec.host: is required");
        assertThat(mesh.snapshot().destinationRules()).isEmpty();
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void missingName_isNamedEvenWithoutAnObjectName() {
        LoadedMesh mesh = loadWith("""
                apiVersion: v1
                kind: Service
                metadata:
                  namespace: shop
                """);

        assertThat(mesh.errors()).singleElement().hasToString(
                "mesh.yaml:13: document 2: Service: metadata.name: is required");
        assertGoodObjectsLoaded(mesh);
    }

    private static String sidecarWithHost(String host) {
        return """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: sc
                  namespace: shop
                spec:
                  egress:
                  - hosts:
                    - "./*"
                    - "%s"
                """.formatted(host);
    }

    @Test
    void sidecarHostWithoutSlash_isRejected() {
        LoadedMesh mesh = loadWith(sidecarWithHost("reviews.default.svc.cluster.local"));

        assertThat(mesh.errors()).singleElement().hasToString(
                "mesh.yaml:13: document 2: Sidecar shop/sc: spec.egress[0].hosts[1]: host "
                        + "\"reviews.default.svc.cluster.local\" must have the form namespace/dnsName (e.g. "
                        + "\"./reviews.default.svc.cluster.local\" or \"*/reviews.default.svc.cluster.local\")");
        assertThat(mesh.snapshot().sidecars()).isEmpty();
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void sidecarHostWithTwoSlashes_isRejected() {
        LoadedMesh mesh = loadWith(sidecarWithHost("shop/api/v1"));

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .endsWith("spec.egress[0].hosts[1]: host \"shop/api/v1\" must contain exactly one \"/\" (namespace/dnsName)");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void sidecarHostWithInvalidNamespacePattern_isRejected() {
        LoadedMesh mesh = loadWith(sidecarWithHost("Shop_NS/*"));

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .endsWith("spec.egress[0].hosts[1]: host \"Shop_NS/*\" has an invalid namespace \"Shop_NS\": use *, ., "
                        + "a namespace name, or one of these prefixed by ~");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void sidecarHostWithPartialWildcardNamespace_isRejected() {
        LoadedMesh mesh = loadWith(sidecarWithHost("sh*/*"));

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::field).isEqualTo("spec.egress[0].hosts[1]");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void sidecarHostWithShortDnsName_isRejected() {
        LoadedMesh mesh = loadWith(sidecarWithHost("shop/reviews"));

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .contains("has an invalid dnsName \"reviews\"");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void invalidExportTo_onAnIstioObject_isRejected() {
        LoadedMesh mesh = loadWith("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: vs
                  namespace: shop
                spec:
                  hosts: [good.shop.svc.cluster.local]
                  exportTo: [".", "Other_Team"]
                  http:
                  - route:
                    - destination: {host: good.shop.svc.cluster.local}
                """);

        assertThat(mesh.errors()).singleElement().hasToString(
                "mesh.yaml:13: document 2: VirtualService shop/vs: spec.exportTo[1]: invalid exportTo value "
                        + "\"Other_Team\": use \"*\", \".\", \"~\" or a namespace name");
        assertThat(mesh.snapshot().virtualServices()).isEmpty();
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void invalidExportTo_inTheServiceAnnotation_isRejected() {
        LoadedMesh mesh = loadWith("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: bad
                  namespace: shop
                  annotations:
                    networking.istio.io/exportTo: ". , bad ns"
                spec:
                  ports:
                  - port: 80
                """);

        assertThat(mesh.errors()).singleElement().hasToString(
                "mesh.yaml:13: document 2: Service shop/bad: metadata.annotations.networking.istio.io/exportTo: "
                        + "invalid exportTo value \"bad ns\": use \"*\", \".\", \"~\" or a namespace name");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void exportToStarWithOthers_isRejected() {
        LoadedMesh mesh = loadWith("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata:
                  name: se
                  namespace: shop
                spec:
                  hosts: [api.example.com]
                  exportTo: ["*", "."]
                  ports: [{number: 443, name: https, protocol: TLS}]
                """);

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .endsWith("spec.exportTo: exportTo \"*\" must be the only value");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void unknownFieldInAnIstioSpec_isRejected() {
        LoadedMesh mesh = loadWith("""
                apiVersion: networking.istio.io/v1beta1
                kind: Sidecar
                metadata:
                  name: sc
                  namespace: shop
                spec:
                  egress:
                  - hosts: ["./*"]
                    portt: 80
                """);

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .contains("Sidecar shop/sc: spec.egress[0].portt: unknown field \"portt\" (known fields: bind, "
                        + "captureMode, hosts, port)");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void duplicateObjectInTheSameFile_firstIsKeptSecondIsReported() {
        LoadedMesh mesh = loadWith(GOOD_SERVICE.replace("port: 80", "port: 81"));

        assertThat(mesh.errors()).singleElement().hasToString(
                "mesh.yaml:13: document 2: Service shop/good: metadata.name: duplicate object: also defined in "
                        + "mesh.yaml document 1, which is kept (equal creationTimestamp; first in path and document "
                        + "order); this copy in mesh.yaml document 2 is ignored");
        assertThat(mesh.snapshot().servicesNamed("good.shop.svc.cluster.local")).singleElement()
                .satisfies(s -> assertThat(s.ports().get(0).port()).isEqualTo(80));
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void duplicateObjectAcrossFiles_withoutTimestamps_onAFirstLoad_theFileThatSortsFirstWins() {
        write(dir, "b.yaml", GOOD_SERVICE.replace("port: 80", "port: 82"));
        write(dir, "a.yaml", GOOD_SERVICE);

        LoadedMesh mesh = MeshLoader.load(dir);

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .isEqualTo("b.yaml:1: document 1: Service shop/good: metadata.name: duplicate object: also defined "
                        + "in a.yaml document 1, which is kept (equal creationTimestamp; first in path and document "
                        + "order); this copy in b.yaml document 1 is ignored");
        assertThat(mesh.snapshot().services()).singleElement()
                .satisfies(s -> assertThat(s.ports().get(0).port()).isEqualTo(80));
    }

    @Test
    void sameNameInAnotherApiVersion_isStillADuplicate() {
        String sidecar = """
                apiVersion: networking.istio.io/%s
                kind: Sidecar
                metadata: {name: sc, namespace: shop}
                spec:
                  egress:
                  - hosts: ["./*"]
                """;
        write(dir, "a.yaml", sidecar.formatted("v1") + "---\n" + sidecar.formatted("v1alpha3"));

        LoadedMesh mesh = MeshLoader.load(dir);

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::message).asString()
                .startsWith("duplicate object");
        assertThat(mesh.snapshot().sidecars()).hasSize(1);
    }

    @Test
    void badCreationTimestamp_isRejected() {
        LoadedMesh mesh = loadWith("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                  creationTimestamp: yesterday
                """);

        assertThat(mesh.errors()).singleElement().hasToString(
                "mesh.yaml:13: document 2: Namespace shop: metadata.creationTimestamp: \"yesterday\" is not an RFC 3339 "
                        + "time such as 2024-01-31T12:00:00Z");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void documentThatIsNotAnObject_isRejected() {
        LoadedMesh mesh = loadWith("- just\n- a list\n");

        assertThat(mesh.errors()).singleElement().hasToString("mesh.yaml:13: document 2: a Kubernetes object (a mapping "
                + "with apiVersion, kind and metadata) was expected, got a list");
        assertGoodObjectsLoaded(mesh);
    }

    @Test
    void invalidNamespaceName_isRejected() {
        LoadedMesh mesh = loadWith("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: bad
                  namespace: Shop
                """);

        assertThat(mesh.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .contains("metadata.namespace: \"Shop\" is not a valid namespace name (DNS-1123 label)");
        assertGoodObjectsLoaded(mesh);
    }
}
