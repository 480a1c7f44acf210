package dev.meshpilot.xds.learning;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.json.XdsJson;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The fallback shapes do not depend on the order in which the scope lists its left-out services. */
class LearnedScopeDeterminismTest {

    @Test
    void shuffledFallbackServices_giveByteIdenticalResources() {
        MeshSnapshot mesh = CheckoutLearned.mesh(true);
        ProxyScope scope = CheckoutLearned.scope(mesh, ProxyKind.SIDECAR);
        List<MeshService> shuffled = new ArrayList<>(scope.fallbackServices());
        Collections.reverse(shuffled);
        Collections.shuffle(shuffled, new Random(11));
        assertThat(shuffled).isNotEqualTo(scope.fallbackServices());
        ProxyConfigGenerator generator = new ProxyConfigGenerator(GeneratorOptions.learning());
        ProxyResources a = generator.generate(mesh, CheckoutLearned.proxy(ProxyKind.SIDECAR), scope);
        ProxyResources b = generator.generate(mesh, CheckoutLearned.proxy(ProxyKind.SIDECAR),
                scope.withFallbackServices(shuffled));
        for (XdsType type : XdsType.values()) {
            assertThat(XdsJson.printArray(b.get(type))).isEqualTo(XdsJson.printArray(a.get(type)));
        }
    }
}
