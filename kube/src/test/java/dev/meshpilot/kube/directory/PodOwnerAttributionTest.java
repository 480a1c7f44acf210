package dev.meshpilot.kube.directory;

import dev.meshpilot.core.model.WorkloadInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

/** A real pod named from its owner reference still counts as its Deployment's pod when the snapshot is built. */
class PodOwnerAttributionTest {

    @TempDir
    Path dir;

    @Test
    void podOfTheDeploymentsReplicaSet_isTheDeploymentsPod_soNoneIsSynthesized() {
        write(dir, "mesh.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: reviews-v1, namespace: bookinfo}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: reviews}}
                  template: {metadata: {labels: {app: reviews}}}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: reviews-v1-7d9f8c-abcde
                  namespace: bookinfo
                  labels: {app: reviews, pod-template-hash: 7d9f8c}
                  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: reviews-v1-7d9f8c, uid: u1, controller: true}]
                status: {podIP: 10.0.0.7}
                """);

        LoadedMesh mesh = MeshLoader.load(dir);

        assertThat(mesh.problems()).isEmpty();
        assertThat(mesh.snapshot().workloads()).singleElement().satisfies(pod -> {
            assertThat(pod.name()).isEqualTo("reviews-v1-7d9f8c-abcde");
            assertThat(pod.synthesized()).isFalse();
            assertThat(pod.workloadKind()).isEqualTo("Deployment");
            assertThat(pod.workloadName()).isEqualTo("reviews-v1");
        });
    }

    @Test
    void podOfADaemonSet_keepsItsOwner_evenWhenADeploymentsSelectorMatchesIt() {
        write(dir, "mesh.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: agent, namespace: ops}
                spec:
                  replicas: 1
                  selector: {matchLabels: {app: agent}}
                  template: {metadata: {labels: {app: agent}}}
                ---
                apiVersion: v1
                kind: Pod
                metadata:
                  name: agent-node-k2j9x
                  namespace: ops
                  labels: {app: agent}
                  ownerReferences: [{apiVersion: apps/v1, kind: DaemonSet, name: agent-node, uid: u2, controller: true}]
                status: {podIP: 10.0.0.8}
                """);

        LoadedMesh mesh = MeshLoader.load(dir);

        assertThat(mesh.snapshot().workloads()).filteredOn(p -> !p.synthesized())
                .extracting(WorkloadInstance::workloadKind, WorkloadInstance::workloadName)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("DaemonSet", "agent-node"));
    }
}
