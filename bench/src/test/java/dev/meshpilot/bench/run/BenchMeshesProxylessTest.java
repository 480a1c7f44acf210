package dev.meshpilot.bench.run;

import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.insight.generate.SidecarMode;
import dev.meshpilot.kube.directory.MeshLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A mesh generated for proxyless gRPC runs declares its pods as Istio users declare proxyless gRPC workloads. */
class BenchMeshesProxylessTest {

    @TempDir
    Path work;

    @Test
    void proxylessMesh_everyPodAsksForTheGrpcAgentTemplate_andLoadsLikeTheEnvoyMesh() throws Exception {
        Path topologies = Path.of(System.getProperty("meshpilot.repo.root", "..")).toAbsolutePath().normalize()
                .resolve("examples/topologies");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        Path envoyDir = BenchMeshes.generated(topologies, 1, SidecarMode.ROOT_DEFAULT, 1.0, 1, false, work, out);
        Path grpcDir = BenchMeshes.generated(topologies, 1, SidecarMode.ROOT_DEFAULT, 1.0, 1, true, work, out);

        assertThat(grpcDir).isNotEqualTo(envoyDir);
        MeshSnapshot envoy = MeshLoader.load(envoyDir).snapshot();
        MeshSnapshot grpc = MeshLoader.load(grpcDir).snapshot();
        assertThat(grpc.services()).isEqualTo(envoy.services());
        assertThat(grpc.workloads()).hasSameSizeAs(envoy.workloads()).hasSizeGreaterThan(100);
        for (WorkloadInstance pod : grpc.workloads()) {
            assertThat(ProxyIdentities.asInjected(pod)).as(pod.proxyId()).map(ProxyIdentity::kind)
                    .contains(ProxyIdentity.ProxyKind.PROXYLESS_GRPC);
        }
        for (WorkloadInstance pod : envoy.workloads()) {
            assertThat(ProxyIdentities.asInjected(pod)).as(pod.proxyId()).map(ProxyIdentity::kind)
                    .contains(ProxyIdentity.ProxyKind.SIDECAR);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("workloads with inject.istio.io/templates: grpc-agent");
    }
}
