package dev.meshpilot.xds.golden;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The closing-note figures: per-type counts and serialized bytes for one shared-cluster pod without a Sidecar and
 * with the root-namespace default Sidecar (printed, and pinned so a regression in scoping or generation shows).
 */
class SharedClusterFiguresTest {

    @Test
    void rootDefaultSidecar_shrinksEveryTypeForProductpage() {
        for (ProxyKind kind : ProxyKind.values()) {
            ProxyResources open = ExampleMeshes.generate("shared-cluster",
                    ExampleMeshes.proxy("shared-cluster", "productpage-v1-0", "bookinfo", kind));
            ProxyResources scoped = ExampleMeshes.generate("shared-cluster-root-default",
                    ExampleMeshes.proxy("shared-cluster-root-default", "productpage-v1-0", "bookinfo", kind));
            StringBuilder table = new StringBuilder("productpage-v1-0.bookinfo " + kind + "\nTYPE  NO-SIDECAR(count/bytes)  ROOT-DEFAULT(count/bytes)\n");
            for (XdsType type : XdsType.values()) {
                table.append(String.format("%s   %d/%d   %d/%d%n", type.discoveryService(), open.get(type).size(),
                        open.get(type).totalBytes(), scoped.get(type).size(), scoped.get(type).totalBytes()));
                assertThat(scoped.get(type).size()).isLessThan(open.get(type).size());
                assertThat(scoped.get(type).totalBytes()).isLessThan(open.get(type).totalBytes());
            }
            table.append(String.format("total %d/%d   %d/%d%n", open.totalCount(), open.totalBytes(),
                    scoped.totalCount(), scoped.totalBytes()));
            System.out.print(table);
        }
    }
}
