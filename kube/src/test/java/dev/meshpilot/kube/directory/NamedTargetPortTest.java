package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code targetPort: NAME} resolves through the pods' named container ports, as Kubernetes does. */
class NamedTargetPortTest {

    @TempDir
    Path dir;

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec:
              selector: {app: web}
              ports:
              - {name: http, port: 80, targetPort: http-web}
            """;

    private static String deployment(String name, String version, int containerPort) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %s, namespace: shop}
                spec:
                  selector: {matchLabels: {app: web, version: %s}}
                  template:
                    metadata: {labels: {app: web, version: %s}}
                    spec:
                      containers:
                      - name: web
                        image: web
                        ports:
                        - {name: http-web, containerPort: %d}
                        - {containerPort: 9090}
                """.formatted(name, version, version, containerPort);
    }

    @Test
    void podsAgreeingOnTheNamedPort_giveTheServiceThatTargetPort_andTheirEndpointsUseIt() {
        write(dir, "mesh.yaml", SERVICE + "---\n" + deployment("web-v1", "v1", 8080) + "---\n"
                + deployment("web-v2", "v2", 8080));

        MeshSnapshot snapshot = MeshLoader.load(dir).snapshot();

        MeshService web = snapshot.services().get(0);
        assertThat(web.ports()).containsExactly(new ServicePort("http", 80, 8080, "http-web",
                dev.meshpilot.core.model.Protocol.HTTP));
        assertThat(snapshot.endpointsOf(web, web.ports().get(0))).extracting(ServiceEndpoint::port).containsOnly(8080);
    }

    @Test
    void podsDisagreeing_keepTheServicePortAsTarget_butEachEndpointUsesItsPodsNumber() {
        write(dir, "mesh.yaml", SERVICE + "---\n" + deployment("web-v1", "v1", 8080) + "---\n"
                + deployment("web-v2", "v2", 8081));

        MeshSnapshot snapshot = MeshLoader.load(dir).snapshot();

        MeshService web = snapshot.services().get(0);
        assertThat(web.ports().get(0).targetPort()).isEqualTo(80);
        assertThat(snapshot.endpointsOf(web, web.ports().get(0))).extracting(e -> e.podName() + ":" + e.port())
                .containsExactly("web-v1-0:8080", "web-v2-0:8081");
    }

    @Test
    void givenPod_resolvesTheNameFromItsOwnContainers() {
        write(dir, "mesh.yaml", SERVICE + "---\n" + """
                apiVersion: v1
                kind: Pod
                metadata: {name: web-abc, namespace: shop, labels: {app: web}}
                spec:
                  containers:
                  - name: web
                    ports: [{name: http-web, containerPort: 7070}]
                status: {podIP: 10.1.2.3}
                """);

        MeshSnapshot snapshot = MeshLoader.load(dir).snapshot();

        MeshService web = snapshot.services().get(0);
        assertThat(snapshot.endpointsOf(web, web.ports().get(0))).extracting(e -> e.address() + ":" + e.port())
                .containsExactly("10.1.2.3:7070");
        assertThat(snapshot.workloads().get(0).containerPorts()).containsEntry("http-web", 7070);
    }
}
