package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.kube.testing.RepoPaths;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExamplesLoadTest {

    @Test
    void sharedCluster_loadsEveryServiceAndSynthesizesOnePodPerReplica() {
        LoadedMesh mesh = MeshLoader.load(RepoPaths.example("shared-cluster"));

        assertThat(mesh.problems()).isEmpty();
        MeshSnapshot snapshot = mesh.snapshot();
        assertThat(snapshot.services()).hasSize(252);
        assertThat(snapshot.workloads()).hasSize(255).allMatch(w -> w.synthesized() && !w.ip().isEmpty());
        assertThat(snapshot.namespaces()).hasSize(14);
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
