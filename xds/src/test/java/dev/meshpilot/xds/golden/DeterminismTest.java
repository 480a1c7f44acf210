package dev.meshpilot.xds.golden;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.json.ConfigDumps;
import dev.meshpilot.xds.json.XdsJson;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The same mesh gives byte-identical resources: generated twice, and from inputs given in another order. */
class DeterminismTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("bookinfo", "productpage-v1-0", "default", ProxyKind.SIDECAR),
                Arguments.of("bookinfo", "productpage-v1-0", "default", ProxyKind.PROXYLESS_GRPC),
                Arguments.of("online-boutique", "frontend-0", "default", ProxyKind.SIDECAR),
                Arguments.of("shared-cluster", "productpage-v1-0", "bookinfo", ProxyKind.SIDECAR),
                Arguments.of("shared-cluster-root-default", "productpage-v1-0", "bookinfo", ProxyKind.PROXYLESS_GRPC));
    }

    @ParameterizedTest(name = "{0} {1}.{2} {3}")
    @MethodSource("cases")
    void generatingTwice_givesIdenticalBytes(String example, String pod, String namespace, ProxyKind kind) {
        ProxyIdentity proxy = ExampleMeshes.proxy(example, pod, namespace, kind);
        ProxyResources first = ExampleMeshes.generate(example, proxy);
        ProxyResources second = ExampleMeshes.generate(example, proxy);
        assertIdentical(first, second);
    }

    @ParameterizedTest(name = "{0} {1}.{2} {3}")
    @MethodSource("cases")
    void shuffledInputOrder_givesIdenticalBytes(String example, String pod, String namespace, ProxyKind kind) {
        MeshSnapshot original = ExampleMeshes.snapshot(example);
        ProxyIdentity proxy = ExampleMeshes.proxy(example, pod, namespace, kind);
        ProxyResources expected = ExampleMeshes.generate(example, proxy);
        for (long seed = 1; seed <= 3; seed++) {
            MeshSnapshot shuffled = shuffle(original, new Random(seed));
            ProxyResources actual = new ProxyConfigGenerator()
                    .generate(shuffled, proxy, new SidecarScopes(shuffled).scopeFor(proxy));
            assertIdentical(expected, actual);
        }
    }

    private static void assertIdentical(ProxyResources expected, ProxyResources actual) {
        for (XdsType type : XdsType.values()) {
            assertThat(actual.get(type).names()).containsExactlyElementsOf(expected.get(type).names());
            List<XdsResource> e = expected.get(type).resources();
            List<XdsResource> a = actual.get(type).resources();
            for (int i = 0; i < e.size(); i++) {
                assertThat(a.get(i).bytes()).as("%s %s", type, e.get(i).name()).isEqualTo(e.get(i).bytes());
            }
            assertThat(actual.get(type).version()).isEqualTo(expected.get(type).version());
            assertThat(XdsJson.printArray(actual.get(type))).isEqualTo(XdsJson.printArray(expected.get(type)));
        }
        assertThat(XdsJson.print(ConfigDumps.of(actual))).isEqualTo(XdsJson.print(ConfigDumps.of(expected)));
    }

    private static MeshSnapshot shuffle(MeshSnapshot s, Random random) {
        return new MeshSnapshot(s.version(), s.meshConfig(), shuffled(s.namespaces(), random),
                shuffled(s.services(), random), shuffled(s.endpointSlices(), random), shuffled(s.workloads(), random),
                shuffled(s.workloadGroups(), random), shuffled(s.sidecars(), random),
                shuffled(s.virtualServices(), random), shuffled(s.destinationRules(), random));
    }

    private static <T> List<T> shuffled(List<T> list, Random random) {
        List<T> copy = new ArrayList<>(list);
        Collections.shuffle(copy, random);
        return copy;
    }
}
