package dev.meshpilot.server.push;

import dev.meshpilot.core.registry.MeshObjects;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.core.registry.SnapshotUpdate;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rescoped mesh state reuses the previous state's outbound clusters only when the change left every cluster input
 * but the spec as it was ({@code ClusterInputs}), on examples/shared-cluster-root-default (255 pods, 14 namespaces,
 * each its own scope). Whatever it reuses, every pod's resources equal those of a state generated from scratch
 * on the new snapshot; where the change does alter clusters (a PeerAuthentication turning a namespace's mTLS off),
 * nothing stale is served.
 */
class ClusterReuseTest {
    private static final Path EXAMPLE = Path.of(System.getProperty("meshpilot.repo.root", ".."))
            .resolve("examples/shared-cluster-root-default");

    private final ProxyConfigGenerator generator =
            new ProxyConfigGenerator(GeneratorOptions.learning().withAccessLog(true));
    private final RegistryStore store = new RegistryStore(ConverterOptions.DEFAULT.defaultMeshConfig());
    private MeshState before;
    private List<ProxyIdentity> pods;

    @TempDir
    Path manifests;

    @BeforeEach
    void load() {
        MeshLoader.load(EXAMPLE).result().objectsByFile().forEach(store::replace);
        before = MeshState.of(store.current(), generator);
        pods = store.current().workloads().stream()
                .filter(p -> p.ready() && !p.terminating() && p.ip() != null && !p.ip().isEmpty())
                .map(ProxyIdentities::fromWorkload).toList();
        assertThat(pods).hasSizeGreaterThan(200);
        pods.forEach(before::resourcesFor);
    }

    @Test
    void outboundTrafficPolicyChange_regeneratesListeners_reusesEveryCluster_andServesWhatAFreshStateServes()
            throws IOException {
        SnapshotUpdate update = add("meshconfig.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: istio
                  namespace: istio-system
                data:
                  mesh: |
                    outboundTrafficPolicy:
                      mode: REGISTRY_ONLY
                """);
        MeshState after = before.rescoped(update.current(), update.changes());
        MeshState reference = fresh(update);

        int listenersChanged = 0;
        for (ProxyIdentity pod : pods) {
            ProxyResources old = before.resourcesFor(pod);
            ProxyResources now = after.resourcesFor(pod);
            assertThat(now).as(pod.proxyId()).isEqualTo(reference.resourcesFor(pod));
            listenersChanged += now.listeners().equals(old.listeners()) ? 0 : 1;
        }
        assertThat(listenersChanged).as("the change reached every pod's listeners").isEqualTo(pods.size());
        assertThat(after.clustersGenerated()).as("clusters carried, none generated").isZero();
        assertThat(reference.clustersGenerated()).isPositive();
    }

    @Test
    void sidecarChange_widensOneNamespace_reusesClusters_andServesWhatAFreshStateServes() throws IOException {
        SnapshotUpdate update = add("sidecar.yaml", """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: default
                  namespace: bookinfo
                spec:
                  egress:
                  - hosts:
                    - "./*"
                    - "istio-system/*"
                    - "emojivoto/*"
                """);
        MeshState after = before.rescoped(update.current(), update.changes());
        MeshState reference = fresh(update);

        int widened = 0;
        for (ProxyIdentity pod : pods) {
            ProxyResources now = after.resourcesFor(pod);
            assertThat(now).as(pod.proxyId()).isEqualTo(reference.resourcesFor(pod));
            widened += now.clusters().size() > before.resourcesFor(pod).clusters().size() ? 1 : 0;
        }
        assertThat(widened).as("bookinfo's pods see emojivoto now").isPositive();
        assertThat(after.clustersGenerated()).as("emojivoto's clusters came from emojivoto's scope").isZero();
    }

    @Test
    void peerAuthenticationChange_altersClusters_soNoneIsCarried_andWhatIsServedIsFresh() throws IOException {
        SnapshotUpdate update = add("peer-authentication.yaml", """
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata:
                  name: default
                  namespace: bookinfo
                spec:
                  mtls:
                    mode: DISABLE
                """);
        MeshState after = before.rescoped(update.current(), update.changes());
        MeshState reference = fresh(update);

        int clustersAltered = 0;
        for (ProxyIdentity pod : pods) {
            ProxyResources old = before.resourcesFor(pod);
            ProxyResources now = after.resourcesFor(pod);
            assertThat(now).as(pod.proxyId()).isEqualTo(reference.resourcesFor(pod));
            for (XdsResource cluster : now.clusters().resources()) {
                clustersAltered += old.clusters().get(cluster.name()).filter(o -> !o.equals(cluster)).isPresent()
                        ? 1 : 0;
            }
        }
        assertThat(clustersAltered).as("bookinfo's auto-mTLS clusters lost their TLS").isPositive();
        assertThat(after.clustersGenerated()).isEqualTo(reference.clustersGenerated());
    }

    /** Adds one manifest file to the registry, as the directory watcher would. */
    private SnapshotUpdate add(String file, String yaml) throws IOException {
        Files.writeString(manifests.resolve(file), yaml);
        Map<String, MeshObjects> objects = MeshLoader.load(manifests).result().objectsByFile();
        assertThat(objects).hasSize(1);
        return objects.entrySet().stream().map(e -> store.replace("added/" + e.getKey(), e.getValue()))
                .findFirst().orElseThrow().orElseThrow();
    }

    /** A state generated from scratch on the update's snapshot: nothing carried from an earlier one. */
    private MeshState fresh(SnapshotUpdate update) {
        return MeshState.of(update.current(), generator);
    }
}
