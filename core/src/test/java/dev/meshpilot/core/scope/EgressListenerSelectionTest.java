package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.MeshService.Resolution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static dev.meshpilot.core.scope.TestMesh.hosts;
import static dev.meshpilot.core.scope.TestMesh.mesh;
import static dev.meshpilot.core.scope.TestMesh.proxy;
import static dev.meshpilot.core.scope.TestMesh.se;
import static dev.meshpilot.core.scope.TestMesh.sidecar;
import static dev.meshpilot.core.scope.TestMesh.t;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * R22–R24 on one listener's own (un-merged, R28) service list, case by case after Istio's
 * {@code TestIstioEgressListenerWrapper}: services {@code host} (ports 8000 and 9000, two entries) and {@code alt} in
 * namespaces a and b, and {@code *.test.wildcard.com} in b.
 */
class EgressListenerSelectionTest {

    private static final MeshService A8000 = se("host-8000", "a", "host", 8000);
    private static final MeshService A9000 = se("host-9000", "a", "host", 9000);
    private static final MeshService A_ALT = se("alt", "a", "alt", 8000);
    private static final MeshService B8000 = se("host-8000", "b", "host", Resolution.DNS, t(-10), 8000);
    private static final MeshService B9000 = se("host-9000", "b", "host", Resolution.DNS, t(-10), 9000);
    private static final MeshService B_ALT = se("alt", "b", "alt", Resolution.DNS, t(-10), 8000);
    private static final MeshService B_WILDCARD = se("wild", "b", "*.test.wildcard.com", 8000);
    private static final List<MeshService> ALL = List.of(A8000, A9000, A_ALT, B8000, B9000, B_ALT);

    record Case(String name, List<String> hosts, List<MeshService> services, String namespace,
                List<MeshService> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        c.add(new Case("R23 '*/* imports only those in a'", List.of("*/*"), ALL, "a", List.of(A8000, A9000, A_ALT)));
        c.add(new Case("R23 '*/* will bias towards configNamespace' (b's services older, so first)", List.of("*/*"),
                ALL, "a", List.of(A8000, A9000, A_ALT)));
        c.add(new Case("R22 'a/* imports only those in a'", List.of("a/*"), ALL, "a", List.of(A8000, A9000, A_ALT)));
        c.add(new Case("R22 'b/*, b/* imports only those in b'", List.of("b/*", "b/*"), ALL, "a",
                List.of(B8000, B9000, B_ALT)));
        c.add(new Case("R23 '*/alt imports alt in namespace a'", List.of("*/alt"), ALL, "a", List.of(A_ALT)));
        c.add(new Case("R22 'b/alt imports alt in a namespaces'", List.of("b/alt"), ALL, "a", List.of(B_ALT)));
        c.add(new Case("R22 'b/* imports doesn't import in namespace a with proxy in a'", List.of("b/*"),
                List.of(A8000), "a", List.of()));
        c.add(new Case("R22 'multiple hosts selected same service'", List.of("a/*", "*/*"), List.of(A8000), "a",
                List.of(A8000)));
        c.add(new Case("R22 'fall back to wildcard namespace'", List.of("*/host", "a/alt"), ALL, "a",
                List.of(A8000, A9000, A_ALT)));
        c.add(new Case("R22 'service is wildcard, but not listener's subset'", List.of("b/wildcard.com"),
                List.of(B_WILDCARD), "b", List.of()));
        c.add(new Case("R22 'service is wildcard'", List.of("b/*.wildcard.com"), List.of(B_WILDCARD), "b",
                List.of(B_WILDCARD)));
        c.add(new Case("R24 '*/* excludes whole namespace b via ~b/*'", List.of("*/*", "~b/*"), ALL, "a",
                List.of(A8000, A9000, A_ALT)));
        c.add(new Case("R24 '*/* excludes exact host (all ports) from all namespaces via ~/host'",
                List.of("*/*", "~/host"), ALL, "a", List.of(A_ALT)));
        c.add(new Case("R24 'wildcard exclusion ~b/*.wildcard.com drops matching service'",
                List.of("b/*", "~b/*.wildcard.com"), List.of(B_WILDCARD), "b", List.of()));
        c.add(new Case("R24 'ns-scoped exclusion does not affect other namespace'", List.of("*/*", "~a/*"),
                List.of(B8000, B9000, B_ALT), "b", List.of(B8000, B9000, B_ALT)));
        return c;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void listenerImportsWhatIstioImports(Case c) {
        TestMesh m = mesh().add(c.services().toArray()).add(sidecar(c.namespace(), "sc", t(0),
                hosts(c.hosts().toArray(String[]::new))));
        ProxyScope scope = m.scopes().scopeFor(proxy(c.namespace()));
        List<MeshService> listenerServices = scope.egressListeners().get(0).services();
        assertThat(listenerServices).containsExactlyInAnyOrderElementsOf(c.expected());
    }
}
