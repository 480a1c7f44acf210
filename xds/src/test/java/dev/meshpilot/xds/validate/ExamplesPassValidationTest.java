package dev.meshpilot.xds.validate;

import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.golden.ExampleMeshes;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.xds.generate.OutboundResources;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every resource generated for every pod of every example, both proxy kinds, passes Envoy's validate.rules. */
class ExamplesPassValidationTest {

    static List<String> examples() {
        return ExampleMeshes.ALL;
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyResourceOfEveryPod_passesValidateRules(String example) {
        List<Violation> violations = new ArrayList<>();
        Set<String> validated = new HashSet<>();
        Map<List<Object>, OutboundResources> shared = new HashMap<>();
        ProxyConfigGenerator generator = new ProxyConfigGenerator();
        MeshSnapshot snapshot = ExampleMeshes.snapshot(example);
        int checked = 0;
        for (WorkloadInstance pod : snapshot.workloads()) {
            for (ProxyKind kind : ProxyKind.values()) {
                ProxyIdentity proxy = ExampleMeshes.proxy(example, pod.name(), pod.namespace(), kind);
                ProxyScope scope = ExampleMeshes.scopes(example).scopeFor(proxy);
                OutboundResources outbound = shared.computeIfAbsent(List.of(scope.key(), kind),
                        k -> generator.outbound(snapshot, scope, kind));
                ProxyResources r = generator.generate(snapshot, proxy, outbound);
                violations.addAll(XdsValidator.validateSemantics(r));
                for (ResourceSet set : r.sets().values()) {
                    for (XdsResource resource : set.resources()) {
                        // equal bytes, equal verdict: each distinct resource is checked once
                        if (validated.add(resource.type() + resource.hash())) {
                            violations.addAll(XdsValidator.validate(resource));
                            checked++;
                        }
                    }
                }
            }
        }
        assertThat(checked).isPositive();
        assertThat(violations).isEmpty();
    }
}
