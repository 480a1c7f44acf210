package dev.meshpilot.server.accesslog;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CallerResolverTest {

    @Test
    void slimNode_keepsIdAndNamespaceAndName_andDropsTheRestOfTheMetadata() {
        Node node = Node.newBuilder().setId("sidecar~10.0.0.1~p-0.ns~ns.svc.cluster.local")
                .setMetadata(Struct.newBuilder()
                        .putFields("NAMESPACE", Value.newBuilder().setStringValue("ns").build())
                        .putFields("NAME", Value.newBuilder().setStringValue("p-0").build())
                        .putFields("LABELS", Value.newBuilder().setStringValue("x".repeat(100_000)).build()))
                .build();

        Node slim = CallerResolver.slim(node);

        assertThat(slim.getId()).isEqualTo(node.getId());
        assertThat(slim.getMetadata().getFieldsMap()).containsOnlyKeys("NAMESPACE", "NAME");
        assertThat(slim.getSerializedSize()).isLessThan(200);
    }

    @Test
    void nodeIdTooLongToNameAPod_isNotKept() {
        Node node = Node.newBuilder().setId("sidecar~10.0.0.1~p-0.ns~ns.svc.cluster.local" + "x".repeat(2_000)).build();
        assertThat(CallerResolver.slim(node).getId()).isEmpty();
    }

    @Test
    void nodeOfARegistryPod_isItsOwningWorkload_andOtherwiseNothing() {
        WorkloadInstance pod = new WorkloadInstance(ObjectMeta.of("ns", "p-0"), "10.0.0.1", "sa", "Deployment", "p", null, false);
        MeshSnapshot registry = new MeshSnapshot(1, MeshConfig.defaultsWithRoot("istio-system"), List.of(), List.of(), List.of(),
                List.of(pod), List.of(), List.of(), List.of(), List.of());

        assertThat(CallerResolver.resolve(Node.newBuilder().setId("sidecar~10.0.0.1~p-0.ns~ns.svc.cluster.local")
                .build(), registry)).contains(new WorkloadKey("ns", "p"));
        assertThat(CallerResolver.resolve(Node.newBuilder().setId("sidecar~10.0.0.1~q-0.ns~ns.svc.cluster.local")
                .build(), registry)).isEmpty();
        assertThat(CallerResolver.resolve(Node.newBuilder().setId("router~10.0.0.1~p-0.ns~ns.svc.cluster.local")
                .build(), registry)).isEmpty();
    }
}
