package dev.meshpilot.xds.inspect;

import dev.meshpilot.xds.golden.ExampleMeshes;
import dev.meshpilot.xds.golden.GoldenFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

/**
 * Every table, as istioctl renders it, of our own config dumps: {@code istio-sidecar} (an Istio 1.24-shaped sidecar:
 * bootstrap clusters and listeners, warming resources, inline routes, TLS/plaintext inbound chains, black-hole
 * chains, multi-locality EDS, health statuses, unknown Istio filter types), {@code istio-gateway} (a router:
 * SNI chains, gateway routes with exact/prefix/path-separated matches and a 404 virtual host, additional
 * endpoint addresses) and {@code meshpilot-productpage} ({@code meshpilot proxy-config all -o json} of bookinfo).
 * Expected text lives in {@code golden/tables/DUMP/TABLE.txt}; rewrite with {@code -Dmeshpilot.golden.update=true}
 * and review the diff against istioctl's writer rules.
 */
class IstioctlTablesGoldenTest {

    private static final Path DUMPS = ExampleMeshes.repoRoot().resolve("xds/src/test/resources/dumps");

    @ParameterizedTest
    @ValueSource(strings = {"istio-sidecar", "istio-gateway", "meshpilot-productpage"})
    void everyTable_rendersAsIstioctl(String dump) {
        DumpedConfig config = DumpedConfig.read(DUMPS.resolve(dump + ".json")).config();
        String dir = "tables/" + dump + "/";
        GoldenFiles.assertMatches(dir + "clusters.txt", ClusterTable.render(config.clusters()));
        GoldenFiles.assertMatches(dir + "clusters-fqdn-reviews-subset-v1.txt",
                ClusterTable.render(config.clusters(), new ClusterFilter("reviews", 0, "v1", ""), false));
        GoldenFiles.assertMatches(dir + "clusters-direction-outbound-port-9080.txt",
                ClusterTable.render(config.clusters(), new ClusterFilter("", 9080, "", "outbound"), false));
        GoldenFiles.assertMatches(dir + "listeners.txt", ListenerTable.render(config.listeners()));
        GoldenFiles.assertMatches(dir + "listeners-short.txt",
                ListenerTable.render(config.listeners(), ListenerFilter.ALL, false, false));
        GoldenFiles.assertMatches(dir + "listeners-type-http.txt",
                ListenerTable.render(config.listeners(), new ListenerFilter("", 0, "http"), true, false));
        GoldenFiles.assertMatches(dir + "listeners-address-port.txt",
                ListenerTable.render(config.listeners(), new ListenerFilter("0.0.0.0", 15006, ""), true, false));
        GoldenFiles.assertMatches(dir + "routes.txt", RouteTable.render(config.routes()));
        GoldenFiles.assertMatches(dir + "routes-short.txt",
                RouteTable.render(config.routes(), RouteFilter.ALL, false, false));
        GoldenFiles.assertMatches(dir + "routes-name-9080.txt",
                RouteTable.render(config.routes(), new RouteFilter("9080"), true, false));
        GoldenFiles.assertMatches(dir + "endpoints.txt", EndpointTable.render(config.endpoints()));
        GoldenFiles.assertMatches(dir + "endpoints-status-healthy-port-9080.txt",
                EndpointTable.render(config.endpoints(), new EndpointFilter("", 9080, "", "healthy")));
        GoldenFiles.assertMatches(dir + "eds.txt", EdsTable.render(config.endpoints(), EndpointFilter.ALL, false));
        GoldenFiles.assertMatches(dir + "eds-cluster.txt", EdsTable.render(config.endpoints(),
                new EndpointFilter("", 0, "OUTBOUND|9080||reviews.default.svc.cluster.local", ""), false));
        GoldenFiles.assertMatches(dir + "all.txt", FullSummary.render(config, ClusterFilter.ALL, ListenerFilter.ALL,
                RouteFilter.ALL, EndpointFilter.ALL, true, false));
        GoldenFiles.assertMatches(dir + "all-with-headers-short.txt", FullSummary.render(config, ClusterFilter.ALL,
                ListenerFilter.ALL, RouteFilter.ALL, EndpointFilter.ALL, false, true));
    }
}
