package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.scope.ServiceIndex;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.meshpilot.core.registry.Fixtures.http;
import static dev.meshpilot.core.registry.Fixtures.objects;
import static org.assertj.core.api.Assertions.assertThat;

/** R3: creation time, then the service's name (a ServiceEntry's host), then namespace. */
class GlobalServiceOrderTest {

    private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

    private static MeshService kube(String namespace, String name, Instant created) {
        return new MeshService(name + "." + namespace + ".svc.cluster.local", namespace,
                MeshService.Registry.KUBERNETES, new ObjectMeta(namespace, name, created, Map.of(), Map.of()),
                List.of(http(80, 80)), Map.of(), List.of(), MeshService.Resolution.CLIENT_SIDE_LB, List.of(), false,
                List.of());
    }

    private static MeshService entry(String namespace, String entryName, String host, Instant created) {
        return new MeshService(host, namespace, MeshService.Registry.EXTERNAL,
                new ObjectMeta(namespace, entryName, created, Map.of(), Map.of()), List.of(http(80, 80)), Map.of(),
                List.of(), MeshService.Resolution.DNS, List.of(), true, List.of());
    }

    private static List<String> hostnames(Object... services) {
        return SnapshotBuilder.build(1, MeshConfig.DEFAULT, objects(services)).services().stream()
                .map(MeshService::hostname).toList();
    }

    @Test
    void sameCreationTime_nameBreaksTheTie_notHostname() {
        // by hostname "a-b.ns..." < "a.ns..." ('-' sorts before '.'); Istio compares the names "a" < "a-b"
        assertThat(hostnames(kube("ns", "a-b", T0), kube("ns", "a", T0)))
                .containsExactly("a.ns.svc.cluster.local", "a-b.ns.svc.cluster.local");
    }

    @Test
    void olderService_comesFirst_whateverItsName() {
        assertThat(hostnames(kube("ns", "a", T0.plusSeconds(1)), kube("ns", "z", T0)))
                .containsExactly("z.ns.svc.cluster.local", "a.ns.svc.cluster.local");
    }

    @Test
    void sameCreationTimeAndName_namespaceBreaksTheTie() {
        assertThat(hostnames(kube("b", "svc", T0), kube("a", "svc", T0)))
                .containsExactly("svc.a.svc.cluster.local", "svc.b.svc.cluster.local");
    }

    @Test
    void serviceEntry_isOrderedByItsHost_notByTheEntryObjectsName() {
        // entry object "zz" with host "b.example.com" sorts between Services "a" and "c"
        assertThat(hostnames(kube("ns", "c", T0), entry("ns", "zz", "b.example.com", T0), kube("ns", "a", T0)))
                .containsExactly("a.ns.svc.cluster.local", "b.example.com", "c.ns.svc.cluster.local");
    }

    @Test
    void serviceEntryHostEqualToAServiceName_kubernetesServiceFirst() {
        assertThat(hostnames(entry("ns", "e", "a", T0), kube("ns", "a", T0)))
                .containsExactly("a.ns.svc.cluster.local", "a");
    }

    @Test
    void scopingIndex_usesTheSnapshotOrder() {
        MeshSnapshot snapshot = SnapshotBuilder.build(1, MeshConfig.DEFAULT,
                objects(kube("ns", "a-b", T0), kube("ns", "a", T0)));

        List<MeshService> reversed = new ArrayList<>(snapshot.services());
        Collections.reverse(reversed);
        ServiceIndex index = new ServiceIndex(reversed, MeshConfig.DEFAULT);

        assertThat(index.all()).containsExactlyElementsOf(snapshot.services());
        assertThat(ServiceIndex.ISTIO_ORDER).isSameAs(MeshSnapshot.GLOBAL_SERVICE_ORDER);
    }
}
