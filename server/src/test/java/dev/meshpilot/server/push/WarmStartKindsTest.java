package dev.meshpilot.server.push;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.server.metrics.ServerMetrics;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WarmStart} warms each pod as the proxy Istio's injector gives it: a Deployment whose pod template asks for
 * the {@code grpc-agent} template runs proxyless gRPC clients, one that turns injection off runs none, the rest run
 * istio-proxies. A proxyless client that connects afterwards then finds its outbound part made.
 */
class WarmStartKindsTest {

    @TempDir
    Path registry;

    @Test
    void grpcTemplatePods_areWarmedAsProxylessClients_injectionOffPods_notAtAll() throws Exception {
        Files.writeString(registry.resolve("mesh.yaml"), """
                apiVersion: v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: echo, namespace: shop}
                spec:
                  selector: {app: echo}
                  ports: [{name: grpc, port: 7070}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: echo, namespace: shop}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: echo}}
                  template:
                    metadata:
                      labels: {app: echo}
                      annotations: {inject.istio.io/templates: grpc-agent}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: batch, namespace: shop}
                spec:
                  selector: {matchLabels: {app: batch}}
                  template:
                    metadata: {labels: {app: batch, sidecar.istio.io/inject: "false"}}
                """);
        MeshSnapshot snapshot = MeshLoader.load(registry).snapshot();
        MeshState state = MeshState.of(snapshot, new ProxyConfigGenerator());

        Map<String, ProxyKind> kinds = WarmStart.pods(state).stream()
                .collect(Collectors.toMap(ProxyIdentity::podName, ProxyIdentity::kind));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of("echo-0", ProxyKind.PROXYLESS_GRPC,
                "echo-1", ProxyKind.PROXYLESS_GRPC, "web-0", ProxyKind.SIDECAR));

        try (PushPipeline pipeline = new PushPipeline(state, new ServerMetrics(new SimpleMeterRegistry()),
                PushSettings.DEFAULT)) {
            WarmStart warm = new WarmStart(pipeline, () -> true, Duration.ofMinutes(1), Duration.ofHours(1), 2,
                    Clock.systemUTC());
            warm.start();
            assertThat(warm.await(Duration.ofMinutes(1))).isTrue();
            assertThat(state.generatedCount()).as("one outbound part per scope and kind: sidecar and gRPC")
                    .isEqualTo(2);

            ProxyIdentity grpcClient = ProxyIdentities.fromNode("sidecar~" + snapshot.findWorkload("echo-1", "shop")
                    .orElseThrow().ip() + "~echo-1.shop~shop.svc.cluster.local", Map.of(), Map.of(),
                    "gRPC Java", snapshot);
            assertThat(grpcClient.kind()).isEqualTo(ProxyKind.PROXYLESS_GRPC);
            assertThat(state.resourcesFor(grpcClient)).isEqualTo(MeshState.of(snapshot, new ProxyConfigGenerator())
                    .resourcesFor(grpcClient));
            assertThat(state.generatedCount()).as("the connecting gRPC client's part was warmed").isEqualTo(2);
        }
    }
}
