package dev.meshpilot.xds.golden;

import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.xds.json.XdsJson;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

/**
 * The generated xDS of chosen workloads of every example, for the proxy kinds and all four types, as proto3 JSON
 * arrays under {@code golden/EXAMPLE/POD.NS/KIND/TYPE.json} (KIND: {@code sidecar} = istio-proxy, {@code envoy} =
 * upstream Envoy, {@code grpc} = proxyless gRPC). Rewrite with {@code -Dmeshpilot.golden.update=true}.
 */
class GoldenXdsTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("bookinfo", "productpage-v1-0", "default", ProxyKind.SIDECAR),
                Arguments.of("bookinfo", "productpage-v1-0", "default", ProxyKind.ENVOY),
                Arguments.of("bookinfo", "productpage-v1-0", "default", ProxyKind.PROXYLESS_GRPC),
                Arguments.of("bookinfo", "reviews-v2-0", "default", ProxyKind.SIDECAR),
                Arguments.of("bookinfo", "reviews-v2-0", "default", ProxyKind.ENVOY),
                Arguments.of("online-boutique", "frontend-0", "default", ProxyKind.SIDECAR),
                Arguments.of("online-boutique", "frontend-0", "default", ProxyKind.PROXYLESS_GRPC),
                Arguments.of("online-boutique", "cartservice-0", "default", ProxyKind.SIDECAR),
                Arguments.of("shared-cluster", "productpage-v1-0", "bookinfo", ProxyKind.SIDECAR),
                Arguments.of("shared-cluster-root-default", "productpage-v1-0", "bookinfo", ProxyKind.SIDECAR),
                Arguments.of("shared-cluster-root-default", "productpage-v1-0", "bookinfo", ProxyKind.PROXYLESS_GRPC));
    }

    @ParameterizedTest(name = "{0} {1}.{2} {3}")
    @MethodSource("cases")
    void generatedResources_matchGoldenFiles(String example, String pod, String namespace, ProxyKind kind) {
        ProxyIdentity proxy = ExampleMeshes.proxy(example, pod, namespace, kind);
        ProxyResources resources = ExampleMeshes.generate(example, proxy);
        String dir = example + "/" + pod + "." + namespace + "/" + dirName(kind) + "/";
        for (XdsType type : XdsType.values()) {
            GoldenFiles.assertMatches(dir + type.plural() + ".json", XdsJson.printArray(resources.get(type)));
        }
    }

    private static String dirName(ProxyKind kind) {
        return switch (kind) {
            case SIDECAR -> "sidecar";
            case ENVOY -> "envoy";
            case PROXYLESS_GRPC -> "grpc";
        };
    }
}
