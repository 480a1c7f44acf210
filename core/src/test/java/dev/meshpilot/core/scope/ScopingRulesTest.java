package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshService.Resolution;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.meshpilot.core.scope.TestMesh.created;
import static dev.meshpilot.core.scope.TestMesh.exported;
import static dev.meshpilot.core.scope.TestMesh.hosts;
import static dev.meshpilot.core.scope.TestMesh.k8s;
import static dev.meshpilot.core.scope.TestMesh.mesh;
import static dev.meshpilot.core.scope.TestMesh.portListener;
import static dev.meshpilot.core.scope.TestMesh.proxy;
import static dev.meshpilot.core.scope.TestMesh.se;
import static dev.meshpilot.core.scope.TestMesh.selecting;
import static dev.meshpilot.core.scope.TestMesh.sidecar;
import static dev.meshpilot.core.scope.TestMesh.t;
import static dev.meshpilot.core.scope.TestMesh.tcpVs;
import static dev.meshpilot.core.scope.TestMesh.vs;
import static dev.meshpilot.core.scope.TestMesh.vsExportTo;
import static dev.meshpilot.core.scope.TestMesh.vsFromSource;
import static dev.meshpilot.core.scope.TestMesh.vsGateways;
import static dev.meshpilot.core.scope.TestMesh.withPolicy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Table-driven suite of Istio 1.31 Sidecar scoping: each case names the rule of the scoping spec it pins (and the
 * Istio test case when there is one), builds a mesh, and states the Sidecar that applies and the scope's service
 * list in scope order ({@code name.ns:ports} for Kubernetes services, {@code host@ns:ports} for ServiceEntries).
 */
class ScopingRulesTest {

    record Case(String name, TestMesh mesh, ProxyIdentity proxy, String sidecar, List<String> services,
                OutboundTrafficPolicy policy) {
        @Override
        public String toString() {
            return name;
        }

        Case policy(OutboundTrafficPolicy expected) {
            return new Case(name, mesh, proxy, sidecar, services, expected);
        }
    }

    private static Case c(String name, TestMesh mesh, ProxyIdentity proxy, String sidecar, String... services) {
        return new Case(name, mesh, proxy, sidecar, List.of(services), OutboundTrafficPolicy.ALLOW_ANY);
    }

    private static final String DEFAULT = ProxyScope.DEFAULT_SIDECAR_NAME;
    private static final String A1 = "a.ns1.svc.cluster.local";
    private static final String B2 = "b.ns2.svc.cluster.local";
    private static final String SVC2 = "svc.ns2.svc.cluster.local";

    private static TestMesh ab() {
        return mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80));
    }

    /** Appendix 2 of the spec: root default, a selecting Sidecar with a port listener and a catch-all listener. */
    private static TestMesh appendix2() {
        return mesh().add(
                sidecar("istio-system", "default", t(0), hosts("./*", "istio-system/*")),
                selecting("shop", "checkout", t(5), Map.of("app", "checkout"),
                        portListener(9080, "HTTP", "shop/*"), hosts("payments/*")),
                k8s("cart", "shop", 9080, 9090), k8s("db", "shop", 5432),
                k8s("api", "payments", t(0), List.of("*"), 8443),
                k8s("ledger", "payments", t(0), List.of("."), 8080),
                k8s("istiod", "istio-system", 15010, 15012));
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // ---- Part B: visibility ----
        cases.add(c("R18 no Sidecar anywhere: every public service (TestSidecarScope 'no sidecar' -> default-sidecar)",
                ab(), proxy("ns1"), DEFAULT, "a.ns1:80", "b.ns2:80"));
        cases.add(c("R7 exportTo [other] hides a service from its own namespace (TestIsServiceVisible)",
                mesh().add(exported(k8s("a", "ns1", 80), "ns2"), k8s("b", "ns1", 80)), proxy("ns1"), DEFAULT,
                "b.ns1:80"));
        cases.add(c("R7/R8 exportTo [client] exports to that namespace, bucket before public list (TestServiceIndex)",
                mesh().add(exported(k8s("a", "ns1", 80), "ns2"), k8s("b", "ns1", 80)), proxy("ns2"), DEFAULT,
                "a.ns1:80", "b.ns1:80"));
        cases.add(c("R7 defaultServiceExportTo ['.'] makes services namespace-private (TestServiceIndexDefaultServiceExportTo)",
                ab().defaultServiceExportTo("."), proxy("ns1"), DEFAULT, "a.ns1:80"));
        cases.add(c("R7 defaultServiceExportTo ['.', 'bar'] keeps services private and exports them to bar",
                ab().defaultServiceExportTo(".", "bar"), proxy("bar"), DEFAULT, "a.ns1:80", "b.ns2:80"));
        cases.add(c("R6 a declared exportTo replaces the mesh default (never merged)",
                mesh().defaultServiceExportTo(".").add(exported(k8s("a", "ns1", 80), "*"), k8s("b", "ns1", 80)),
                proxy("ns2"), DEFAULT, "a.ns1:80"));
        cases.add(c("R6 comma-separated annotation value is split and trimmed ('.,client')",
                mesh().add(exported(k8s("a", "ns1", 80), " ., client ")), proxy("client"), DEFAULT, "a.ns1:80"));
        cases.add(c("R8 '~' with '.' hides a service even from its own namespace (TestIsServiceVisible 'both none and private')",
                mesh().add(exported(k8s("a", "ns1", 80), "~", "."), k8s("b", "ns1", 80)), proxy("ns1"), DEFAULT,
                "b.ns1:80"));
        cases.add(c("R8 '*' overrides '~' (TestIsServiceVisible 'both public and none')",
                mesh().add(exported(k8s("a", "ns1", 80), "*", "~")), proxy("ns2"), DEFAULT, "a.ns1:80"));
        cases.add(c("R8 candidate order: namespace bucket (even if younger) before the public list (TestServiceIndex)",
                mesh().add(k8s("a", "ns1", t(0), List.of(), 80), k8s("b", "ns2", t(10), List.of("ns3"), 80)),
                proxy("ns3"), DEFAULT, "b.ns2:80", "a.ns1:80"));
        cases.add(c("R12 services of namespaces not selected by discoverySelectors are invisible",
                ab().discoverySelector(Map.of("mesh", "on")).namespace("ns1", Map.of("mesh", "on"))
                        .namespace("ns2", Map.of()), proxy("ns1"), DEFAULT, "a.ns1:80"));

        // ---- Part C: which Sidecar ----
        cases.add(c("R14 a selecting Sidecar beats an older namespace default (TestSidecarScope)",
                ab().add(sidecar("ns1", "default", t(0), hosts("./*")),
                        selecting("ns1", "sel", t(10), Map.of("app", "a"), hosts("ns2/*"))),
                proxy("ns1", "app", "a"), "sel", "b.ns2:80"));
        cases.add(c("R13 an empty workloadSelector counts as a selector and outranks the namespace default",
                ab().add(sidecar("ns1", "default", t(0), hosts("./*")),
                        selecting("ns1", "empty", t(10), Map.of(), hosts("ns2/*"))),
                proxy("ns1", "app", "x"), "empty", "b.ns2:80"));
        cases.add(c("R14 a non-matching selector falls through to the namespace default (TestSidecarScope)",
                ab().add(sidecar("ns1", "default", t(10), hosts("./*")),
                        selecting("ns1", "sel", t(0), Map.of("app", "a"), hosts("ns2/*"))),
                proxy("ns1", "app", "z"), "default", "a.ns1:80"));
        cases.add(c("R14 several matching selecting Sidecars: the oldest wins",
                ab().add(selecting("ns1", "s-new", t(10), Map.of("app", "a"), hosts("./*")),
                        selecting("ns1", "s-old", t(5), Map.of("app", "a"), hosts("ns2/*"))),
                proxy("ns1", "app", "a", "v", "1"), "s-old", "b.ns2:80"));
        cases.add(c("R13 several selector-less Sidecars created together: the first by name wins",
                ab().add(sidecar("ns1", "b-sc", t(0), hosts("ns2/*")), sidecar("ns1", "a-sc", t(0), hosts("./*"))),
                proxy("ns1"), "a-sc", "a.ns1:80"));
        cases.add(c("R15 no local match: root default evaluated as if in the proxy namespace (TestSidecarScope 'no match local sidecar')",
                ab().add(k8s("istiod", "istio-system", 15010),
                        sidecar("istio-system", "default", t(0), hosts("./*", "istio-system/*")),
                        selecting("ns1", "other", t(0), Map.of("app", "other"), hosts("ns2/*"))),
                proxy("ns1", "app", "a"), "default", "a.ns1:80", "istiod.istio-system:15010"));
        cases.add(c("R15 a root-namespace Sidecar with a selector is not mesh-wide: synthesized default",
                ab().add(selecting("istio-system", "sel", t(0), Map.of("app", "a"), hosts("./*"))),
                proxy("ns1", "app", "a"), DEFAULT, "a.ns1:80", "b.ns2:80"));
        cases.add(c("R15 the root namespace's oldest selector-less Sidecar is the mesh default",
                ab().add(sidecar("istio-system", "newer", t(10), hosts("ns2/*")),
                        sidecar("istio-system", "older", t(5), hosts("./*"))),
                proxy("ns1"), "older", "a.ns1:80"));
        cases.add(c("R15 no merging: a namespace Sidecar replaces the root default entirely (TestRootSidecarScopePropagation)",
                ab().add(sidecar("istio-system", "default", t(0), hosts("*/*")), sidecar("ns1", "local", t(9), hosts("./*"))),
                proxy("ns1"), "local", "a.ns1:80"));
        cases.add(c("R15 root-namespace selecting Sidecars apply to pods of the root namespace itself",
                ab().add(selecting("istio-system", "gw", t(0), Map.of("app", "gw"), hosts("ns2/*"))),
                proxy("istio-system", "app", "gw"), "gw", "b.ns2:80"));
        cases.add(c("R17 a Sidecar without egress imports everything (sidecar-with-zero-egress-multiple-service)",
                ab().add(withPolicy(sidecar("ns1", "policy-only", t(0)), OutboundTrafficPolicy.REGISTRY_ONLY)),
                proxy("ns1"), "policy-only", "a.ns1:80", "b.ns2:80").policy(OutboundTrafficPolicy.REGISTRY_ONLY));

        // ---- Part D: egress hosts ----
        cases.add(c("R20 host entries without exactly one '/' are skipped, the rest applies (sidecar-scope-with-illegal-host)",
                ab().add(sidecar("ns1", "sc", t(0), hosts("ns2", "a/b/c", "./*"))), proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R21 naming a namespace does not bypass exportTo (Appendix 3.4)",
                mesh().add(k8s("api", "payments", t(0), List.of("*"), 8443), k8s("ledger", "payments", t(0), List.of("."), 8080),
                        sidecar("shop", "sc", t(0), hosts("payments/*"))), proxy("shop"), "sc", "api.payments:8443"));
        cases.add(c("R21 a service exported to [client] is importable from client",
                mesh().add(k8s("api", "payments", 8443), k8s("ledger", "payments", t(0), List.of("shop"), 8080),
                        sidecar("shop", "sc", t(0), hosts("payments/*"))), proxy("shop"), "sc",
                "ledger.payments:8080", "api.payments:8443"));
        cases.add(c("R22 an exact host imports that service only (sidecar-scope-with-specific-host)",
                ab().add(k8s("c", "ns2", 80), sidecar("ns1", "sc", t(0), hosts("ns2/" + B2))), proxy("ns1"), "sc",
                "b.ns2:80"));
        cases.add(c("R22 '*.foo.com' covers deeper names but not the apex (TestNameSubsetOf)",
                mesh().add(se("e1", "ext", "foo.com", 443), se("e2", "ext", "a.foo.com", 443),
                        se("e3", "ext", "a.b.foo.com", 443), sidecar("ns1", "sc", t(0), hosts("*/*.foo.com"))),
                proxy("ns1"), "sc", "a.b.foo.com@ext:443", "a.foo.com@ext:443"));
        cases.add(c("R22 an exact entry never imports a wildcard service ('service is wildcard, but not listener's subset')",
                mesh().add(se("wiki", "ext", "*.wiki.org", 443), sidecar("ns1", "sc", t(0), hosts("*/en.wiki.org"))),
                proxy("ns1"), "sc"));
        cases.add(c("R22 a wildcard service is imported by a covering wildcard entry ('service is wildcard')",
                mesh().add(se("wiki", "ext", "*.wiki.org", 443), sidecar("ns1", "sc", t(0), hosts("ext/*.org"))),
                proxy("ns1"), "sc", "*.wiki.org@ext:443"));
        cases.add(c("R22 '*' entries apply when the namespace's own entries do not match ('fall back to wildcard namespace')",
                ab().add(sidecar("ns1", "sc", t(0), hosts("ns2/x.example.com", "*/" + B2))), proxy("ns1"), "sc",
                "b.ns2:80"));
        cases.add(c("R22 'b/*' does not import services of namespace a ('b/* imports doesn't import in namespace a with proxy in a')",
                mesh().add(k8s("x", "a", 80), k8s("y", "b", 80), sidecar("a", "sc", t(0), hosts("b/*"))),
                proxy("a"), "sc", "y.b:80"));
        cases.add(c("R4 host matching is case-sensitive (a.foo.com vs *.FOO.com)",
                mesh().add(se("e", "ext", "a.foo.com", 443), sidecar("ns1", "sc", t(0), hosts("*/*.FOO.com"))),
                proxy("ns1"), "sc"));
        cases.add(c("R23 the proxy namespace wins a hostname ('*/* will bias towards configNamespace')",
                mesh().add(se("mine", "ns1", "api.ext.com", Resolution.DNS, t(10), 443),
                        se("theirs", "ns2", "api.ext.com", Resolution.DNS, t(0), 443)),
                proxy("ns1"), DEFAULT, "api.ext.com@ns1:443"));
        cases.add(c("R23 otherwise the first namespace in candidate order wins ('*/* imports only those in a')",
                mesh().add(se("x", "nsb", "api.ext.com", Resolution.DNS, t(10), 443),
                        se("y", "nsa", "api.ext.com", Resolution.DNS, t(0), 443)),
                proxy("nsc"), DEFAULT, "api.ext.com@nsa:443"));
        cases.add(c("R23 a Kubernetes service beats an older ServiceEntry of the same host (no-sidecar-config-k8s-service-take-precedence)",
                mesh().add(created(k8s("svc", "ns2", 80), t(10)), se("squat", "ns3", SVC2, Resolution.DNS, t(0), 80)),
                proxy("ns1"), DEFAULT, "svc.ns2:80"));
        cases.add(c("R23 a ServiceEntry in the proxy namespace beats a Kubernetes service elsewhere",
                mesh().add(k8s("svc", "ns2", 80), se("local", "ns1", SVC2, Resolution.DNS, t(0), 443)),
                proxy("ns1"), DEFAULT, SVC2 + "@ns1:443"));
        cases.add(c("R23 without Sidecar, different namespaces never merge (no-sidecar-config-not-merge-service-in-diff-namespaces)",
                mesh().add(se("x", "nsa", "api.ext.com", Resolution.DNS, t(0), 443),
                        se("y", "nsb", "api.ext.com", Resolution.DNS, t(1), 8443)),
                proxy("nsc"), DEFAULT, "api.ext.com@nsa:443"));
        cases.add(c("R24 '~/host' excludes a host in every namespace ('*/* excludes')",
                ab().add(sidecar("ns1", "sc", t(0), hosts("*/*", "~/" + B2))), proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R24 a namespace-scoped exclusion keeps the host of other namespaces ('ns-scoped exclusion')",
                mesh().add(se("x", "ns2", "api.ext.com", 443), se("y", "ns3", "api.ext.com", 443),
                        sidecar("ns1", "sc", t(0), hosts("*/*", "~ns2/api.ext.com"))),
                proxy("ns1"), "sc", "api.ext.com@ns3:443"));
        cases.add(c("R24 a wildcard exclusion covers wildcard services ('wildcard exclusion')",
                mesh().add(se("w", "b", "*.test.wildcard.com", 443), se("o", "b", "x.other.com", 443),
                        sidecar("ns1", "sc", t(0), hosts("b/*", "~b/*.wildcard.com"))),
                proxy("ns1"), "sc", "x.other.com@b:443"));
        cases.add(c("R24 '~./host' resolves '.' to the proxy namespace",
                mesh().add(k8s("a", "ns1", 80), k8s("c", "ns1", 80),
                        sidecar("ns1", "sc", t(0), hosts("./*", "~./c.ns1.svc.cluster.local"))),
                proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R24 a listener of exclusions only imports nothing ('~*/*')",
                ab().add(sidecar("ns1", "sc", t(0), hosts("~*/*"))), proxy("ns1"), "sc"));
        cases.add(c("R20/R24 a bare '~/*' excludes everything",
                ab().add(sidecar("ns1", "sc", t(0), hosts("~/*"))), proxy("ns1"), "sc"));
        cases.add(c("R25 a port listener keeps services with that port, narrowed (sidecar-with-egress-port-match-with-services-with-and-without-port)",
                mesh().add(k8s("a", "ns1", 80, 9080), k8s("b", "ns1", 80),
                        sidecar("ns1", "sc", t(0), portListener(9080, "HTTP", "./*"))),
                proxy("ns1"), "sc", "a.ns1:9080"));
        cases.add(c("R25 an HTTP_PROXY listener does not filter ports (http-proxy-protocol-matches-any-port)",
                mesh().add(k8s("a", "ns1", 80, 9080), k8s("b", "ns1", 80),
                        sidecar("ns1", "sc", t(0), portListener(15080, "http_proxy", "./*"))),
                proxy("ns1"), "sc", "a.ns1:80,9080", "b.ns1:80"));
        cases.add(c("R25 a port-0 (Unix socket) listener does not filter ports",
                mesh().add(k8s("a", "ns1", 80, 9080), sidecar("ns1", "sc", t(0), portListener(0, "HTTP", "./*"))),
                proxy("ns1"), "sc", "a.ns1:80,9080"));

        // ---- Part E: the scope's list ----
        cases.add(c("R27 two port listeners rebuild a multi-port service (sidecar-with-egress-port-merges-service-ports)",
                mesh().add(k8s("a", "ns1", 80, 9080, 9090), sidecar("ns1", "sc", t(0),
                        portListener(9080, "HTTP", "./*"), portListener(80, "HTTP", "./*"))),
                proxy("ns1"), "sc", "a.ns1:9080,80"));
        cases.add(c("R27 ServiceEntries of one host in one namespace merge ports (multi-port-merge: serviceentry merge)",
                mesh().add(se("se1", "ns1", "api.ext.com", 443), se("se2", "ns1", "api.ext.com", 8443)),
                proxy("ns1"), DEFAULT, "api.ext.com@ns1:443,8443"));
        cases.add(c("R27 ServiceEntries with different resolution do not merge (serviceentry not merge when resolution is different)",
                mesh().add(se("se1", "ns1", "api.ext.com", 443),
                        se("se2", "ns1", "api.ext.com", Resolution.CLIENT_SIDE_LB, t(0), 8443)),
                proxy("ns1"), DEFAULT, "api.ext.com@ns1:443"));
        cases.add(c("R27 a Kubernetes service replaces a ServiceEntry from an earlier listener (k8s service take precedence over external service)",
                mesh().add(k8s("svc", "ns2", 80), se("squat", "ns3", SVC2, 80), sidecar("ns1", "sc", t(0),
                        portListener(80, "HTTP", "ns3/*"), hosts("ns2/*"))),
                proxy("ns1"), "sc", "svc.ns2:80"));
        cases.add(c("R21 exact-host fast path keeps one ServiceEntry per (host, namespace), so no port merge (TestSelectServicesExactParity)",
                mesh().add(se("se1", "ns1", "api.ext.com", 443), se("se2", "ns1", "api.ext.com", 8443),
                        sidecar("ns1", "sc", t(0), hosts("./api.ext.com"))),
                proxy("ns1"), "sc", "api.ext.com@ns1:443"));
        cases.add(c("R29 VirtualService destinations are pulled into scope (virtual-service)",
                ab().add(sidecar("ns1", "sc", t(0), hosts("./*")), vs("ns1", "v", List.of(A1), B2)),
                proxy("ns1"), "sc", "a.ns1:80", "b.ns2:80"));
        cases.add(c("R29 short destination names resolve in the VirtualService's namespace",
                mesh().add(k8s("a", "ns1", 80), k8s("b", "ns1", 80), sidecar("ns1", "sc", t(0), hosts("./a.ns1.svc.cluster.local")),
                        vs("ns1", "v", List.of("a"), "b")),
                proxy("ns1"), "sc", "a.ns1:80", "b.ns1:80"));
        cases.add(c("R29 a destination is narrowed to the VirtualService's ports (virtual-service-destinations-matching-http-virtual-service-ports)",
                mesh().add(k8s("a", "ns1", 80), k8s("b", "ns2", 80, 7000), sidecar("ns1", "sc", t(0), hosts("./*")),
                        vs("ns1", "v", List.of(A1), B2 + ":7000")),
                proxy("ns1"), "sc", "a.ns1:80", "b.ns2:7000"));
        cases.add(c("R29 a destination port the service lacks adds nothing (virtual-service-destination-port-missing-from-service)",
                ab().add(sidecar("ns1", "sc", t(0), hosts("./*")), vs("ns1", "v", List.of(A1), B2 + ":9999")),
                proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R29 a destination resolves to the proxy namespace first (virtual-service-prefer-config-namespace)",
                mesh().add(k8s("a", "ns1", 80), se("mine", "ns1", "api.ext.com", Resolution.DNS, t(10), 443),
                        se("older", "ns2", "api.ext.com", Resolution.DNS, t(0), 443),
                        sidecar("ns1", "sc", t(0), hosts("./" + A1)), vs("ns1", "v", List.of(A1), "api.ext.com")),
                proxy("ns1"), "sc", "a.ns1:80", "api.ext.com@ns1:443"));
        cases.add(c("R29 else a visible Kubernetes service is preferred for a destination (pickBestVisibleNamespace)",
                mesh().add(k8s("a", "ns1", 80), created(k8s("svc", "ns2", 80), t(10)), se("squat", "ns3", SVC2, Resolution.DNS, t(0), 80),
                        sidecar("ns1", "sc", t(0), hosts("./" + A1)), vs("ns1", "v", List.of(A1), SVC2)),
                proxy("ns1"), "sc", "a.ns1:80", "svc.ns2:80"));
        cases.add(c("R29 else the oldest visible ServiceEntry (virtual-service-pick-by-creation-time)",
                mesh().add(k8s("a", "ns1", 80), se("young", "ns2", "api.ext.com", Resolution.DNS, t(10), 443),
                        se("old", "ns3", "api.ext.com", Resolution.DNS, t(0), 443),
                        sidecar("ns1", "sc", t(0), hosts("./" + A1)), vs("ns1", "v", List.of(A1), "api.ext.com")),
                proxy("ns1"), "sc", "a.ns1:80", "api.ext.com@ns3:443"));
        cases.add(c("R29 HTTP rules for another sourceNamespace are skipped (virtual-service-6-match-source-namespace)",
                ab().add(sidecar("ns1", "sc", t(0), hosts("./*")), vsFromSource("ns1", "v", List.of(A1), "other", B2)),
                proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R29 HTTP rules for the proxy's sourceNamespace count (virtual-service-6-match-source-namespace)",
                ab().add(sidecar("ns1", "sc", t(0), hosts("./*")), vsFromSource("ns1", "v", List.of(A1), "ns1", B2)),
                proxy("ns1"), "sc", "a.ns1:80", "b.ns2:80"));
        cases.add(c("R29 TCP route destinations are pulled in too",
                ab().add(sidecar("ns1", "sc", t(0), hosts("./*")), tcpVs("ns1", "v", List.of(A1), B2)),
                proxy("ns1"), "sc", "a.ns1:80", "b.ns2:80"));
        cases.add(c("R29 a VirtualService bound only to a gateway is not imported by sidecars",
                ab().add(sidecar("ns1", "sc", t(0), hosts("./*")), vsGateways(vs("ns1", "v", List.of(A1), B2), "ns1/gw")),
                proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R29 a VirtualService listing the mesh gateway is imported",
                ab().add(sidecar("ns1", "sc", t(0), hosts("./*")), vsGateways(vs("ns1", "v", List.of(A1), B2), "ns1/gw", "mesh")),
                proxy("ns1"), "sc", "a.ns1:80", "b.ns2:80"));
        cases.add(c("R29 a VirtualService exported to '.' is invisible to other namespaces",
                ab().add(sidecar("ns1", "sc", t(0), hosts("*/" + A1)), vsExportTo(vs("ns3", "v", List.of(A1), B2), ".")),
                proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R29 defaultVirtualServiceExportTo ['.'] hides VirtualServices of other namespaces",
                ab().defaultVirtualServiceExportTo(".").add(sidecar("ns1", "sc", t(0), hosts("*/" + A1)),
                        vs("ns3", "v", List.of(A1), B2)),
                proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R24/R29 a host excluded by '~' does not select a VirtualService",
                ab().add(k8s("c", "ns1", 80), sidecar("ns1", "sc", t(0), hosts("./*", "~./" + A1)),
                        vs("ns1", "v", List.of(A1), B2)),
                proxy("ns1"), "sc", "c.ns1:80"));
        cases.add(c("R24/R29 a VirtualService selected through another host still adds an excluded destination",
                mesh().add(k8s("a", "ns1", 80), k8s("b", "ns1", 80), sidecar("ns1", "sc", t(0),
                        hosts("./*", "~./b.ns1.svc.cluster.local")), vs("ns1", "v", List.of(A1), "b.ns1.svc.cluster.local")),
                proxy("ns1"), "sc", "a.ns1:80", "b.ns1:80"));
        cases.add(c("R25/R29 on a port listener a destination is narrowed to the listener port",
                mesh().add(k8s("a", "ns1", 7000), k8s("b", "ns2", 80, 7000), sidecar("ns1", "sc", t(0),
                        portListener(7000, "HTTP", "./*")), vs("ns1", "v", List.of(A1), B2)),
                proxy("ns1"), "sc", "a.ns1:7000", "b.ns2:7000"));
        cases.add(c("R27/R29 VirtualService-derived services never displace explicit imports",
                mesh().add(k8s("a", "ns1", 80), se("mine", "ns1", "api.ext.com", 443), se("theirs", "ns2", "api.ext.com", 443),
                        sidecar("ns1", "sc", t(0), hosts("ns2/api.ext.com", "./" + A1)),
                        vs("ns1", "v", List.of(A1), "api.ext.com")),
                proxy("ns1"), "sc", "a.ns1:80", "api.ext.com@ns2:443"));
        cases.add(c("R31 the Sidecar's outboundTrafficPolicy overrides the mesh's (TestSidecarOutboundTrafficPolicy)",
                ab().outboundTrafficPolicy(OutboundTrafficPolicy.REGISTRY_ONLY)
                        .add(withPolicy(sidecar("ns1", "sc", t(0), hosts("./*")), OutboundTrafficPolicy.ALLOW_ANY)),
                proxy("ns1"), "sc", "a.ns1:80"));
        cases.add(c("R31 the mesh's outboundTrafficPolicy applies when the Sidecar sets none (TestSidecarOutboundTrafficPolicy)",
                ab().outboundTrafficPolicy(OutboundTrafficPolicy.REGISTRY_ONLY).add(sidecar("ns1", "sc", t(0), hosts("./*"))),
                proxy("ns1"), "sc", "a.ns1:80").policy(OutboundTrafficPolicy.REGISTRY_ONLY));

        // ---- Appendix 2 worked example ----
        cases.add(c("Appendix 2: checkout pod gets its selecting Sidecar, listener 1 narrowed to 9080, no istiod",
                appendix2(), proxy("shop", "app", "checkout"), "checkout", "cart.shop:9080", "api.payments:8443"));
        cases.add(c("Appendix 2: web pod falls through to the root default evaluated for shop",
                appendix2(), proxy("shop", "app", "web"), "default",
                "cart.shop:9080,9090", "db.shop:5432", "istiod.istio-system:15010,15012"));
        return cases;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void scopeFollowsIstio(Case c) {
        SidecarScopes scopes = c.mesh().scopes();
        ProxyScope scope = scopes.scopeFor(c.proxy());

        assertThat(scope.name()).as("applied Sidecar").isEqualTo(c.sidecar());
        assertThat(TestMesh.render(scope)).as("scope services").containsExactlyElementsOf(c.services());
        assertThat(scope.outboundTrafficPolicy()).as("outbound traffic policy").isEqualTo(c.policy());
        assertThat(scope.proxyNamespace()).isEqualTo(c.proxy().namespace());
    }
}
