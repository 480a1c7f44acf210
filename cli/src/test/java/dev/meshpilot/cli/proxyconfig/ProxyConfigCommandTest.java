package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyConfigCommandTest {

    private static final String BOOKINFO = CliRun.repo("examples/bookinfo").toString();
    private static final String SHARED = CliRun.repo("examples/shared-cluster").toString();
    private static final String SHARED_ROOT_DEFAULT = CliRun.repo("examples/shared-cluster-root-default").toString();

    @Test
    void clustersTable_showsSubsetClustersOfTheDestinationRule() {
        CliRun run = CliRun.of("proxy-config", "clusters", "productpage-v1-0.default", "--registry", BOOKINFO);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("SERVICE FQDN ")
                .containsPattern("reviews\\.default\\.svc\\.cluster\\.local +9080 +v2 +outbound +EDS +reviews\\.default")
                .containsPattern("\n +9080 +- +inbound +ORIGINAL_DST")
                .contains("BlackHoleCluster", "PassthroughCluster", "InboundPassthroughCluster");
    }

    @Test
    void clustersJson_isAnArrayOfClusterResourcesNamedAsTheTableRows() throws Exception {
        CliRun table = CliRun.of("proxy-config", "clusters", "productpage-v1-0", "-n", "default", "--registry", BOOKINFO);
        CliRun json = CliRun.of("proxy-config", "clusters", "productpage-v1-0.default", "--registry", BOOKINFO, "-o", "json");

        JsonNode array = new ObjectMapper().readTree(json.out());
        assertThat(array.isArray()).isTrue();
        List<String> names = new ArrayList<>();
        array.forEach(c -> names.add(c.get("name").asText()));
        assertThat(names).contains("outbound|9080|v1|reviews.default.svc.cluster.local", "inbound|9080||",
                "BlackHoleCluster");
        assertThat(table.out().lines().count() - 1).isEqualTo(names.size());
    }

    @Test
    void yamlOutput_holdsTheSameResources() {
        CliRun yaml = CliRun.of("proxy-config", "clusters", "productpage-v1-0.default", "--registry", BOOKINFO, "-o", "yaml");
        assertThat(yaml.exitCode()).isZero();
        assertThat(yaml.out()).contains("name: outbound|9080|v1|reviews.default.svc.cluster.local");
    }

    @Test
    void unknownPod_isAUserErrorWithExitCode2_andNoStackTrace() {
        CliRun run = CliRun.of("proxy-config", "clusters", "nosuch-0.default", "--registry", BOOKINFO);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("pod nosuch-0 not found in namespace default").contains("productpage-v1-0")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void noSourceNamed_isAUserError() {
        CliRun run = CliRun.of("proxy-config", "clusters", "productpage-v1-0.default");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--registry DIR").contains("--server URL");
    }

    @Test
    void missingRegistryDirectory_isAUserError() {
        CliRun run = CliRun.of("proxy-config", "clusters", "a-0.default", "--registry", "/no/such/dir");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("/no/such/dir").contains("does not exist");
    }

    @Test
    void rootDefaultSidecar_shrinksOutboundClustersToOwnNamespaceAndIstioSystem() {
        List<String> full = outboundHosts(CliRun.of("proxy-config", "clusters", "productpage-v1-0.bookinfo",
                "--registry", SHARED, "-o", "json"));
        List<String> scoped = outboundHosts(CliRun.of("proxy-config", "clusters", "productpage-v1-0.bookinfo",
                "--registry", SHARED_ROOT_DEFAULT, "-o", "json"));

        assertThat(full).hasSizeGreaterThan(250)
                .anyMatch(h -> h.endsWith(".train-ticket.svc.cluster.local"));
        assertThat(scoped).isNotEmpty()
                .allMatch(h -> h.endsWith(".bookinfo.svc.cluster.local") || h.endsWith(".istio-system.svc.cluster.local"))
                .anyMatch(h -> h.endsWith(".istio-system.svc.cluster.local"));
        assertThat(full).containsAll(scoped);
    }

    @Test
    void scopeExplainsWhyAHostIsOutOfScope() {
        CliRun run = CliRun.of("proxy-config", "scope", "productpage-v1-0.bookinfo", "--registry", SHARED_ROOT_DEFAULT,
                "--host", "ts-ui-dashboard.train-ticket.svc.cluster.local");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("istio-system/default").contains("R15")
                .contains("ts-ui-dashboard.train-ticket.svc.cluster.local").contains("OUT");
    }

    @Test
    void scopeWithTraffic_showsTheLearnedScopeAndWhyEachHostIsInOrOut() {
        CliRun run = CliRun.of("proxy-config", "scope", "productpage-v1-0.default", "--registry", BOOKINFO,
                "--traffic", CliRun.repo("examples/bookinfo/edges.csv").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("learned scope of default/productpage-v1: 3 of ");
        assertThat(run.out()).containsPattern("in +default/reviews\\.default\\.svc\\.cluster\\.local +learned +traffic-file; 1 call");
        assertThat(run.out()).containsPattern("out +default/productpage\\.default\\.svc\\.cluster\\.local +not-observed");
    }

    @Test
    void scopeWithoutTraffic_saysNothingOfLearning() {
        CliRun run = CliRun.of("proxy-config", "scope", "productpage-v1-0.default", "--registry", BOOKINFO);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).doesNotContain("learned scope");
    }

    @Test
    void scopeWithTraffic_fromAServer_isAUserError() {
        CliRun run = CliRun.of("proxy-config", "scope", "productpage-v1-0.default", "--server", "http://127.0.0.1:1",
                "--traffic", CliRun.repo("examples/bookinfo/edges.csv").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--traffic needs the mesh in this process");
    }

    @Test
    void scopeJson_isStructured() throws Exception {
        CliRun run = CliRun.of("proxy-config", "scope", "productpage-v1-0.default", "--registry", BOOKINFO, "-o", "json");
        JsonNode node = new ObjectMapper().readTree(run.out());
        assertThat(node.get("proxyId").asText()).isEqualTo("productpage-v1-0.default");
        assertThat(node.get("scopeName").asText()).isEqualTo("default-sidecar");
    }

    @Test
    void allJson_isAnEnvoyConfigDump() throws Exception {
        CliRun run = CliRun.of("proxy-config", "all", "productpage-v1-0.default", "--registry", BOOKINFO, "-o", "json");
        JsonNode configs = new ObjectMapper().readTree(run.out()).get("configs");
        List<String> types = new ArrayList<>();
        configs.forEach(c -> types.add(c.get("@type").asText()));
        assertThat(types).containsExactly(
                "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                "type.googleapis.com/envoy.admin.v3.RoutesConfigDump",
                "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump");
    }

    @Test
    void listenersRoutesAndEndpointsTables_haveIstioctlHeaders() {
        assertThat(CliRun.of("proxy-config", "listeners", "productpage-v1-0.default", "--registry", BOOKINFO).out())
                .startsWith("ADDRESSES PORT  MATCH").contains("0.0.0.0   15001").contains("Route: 9080");
        assertThat(CliRun.of("proxy-config", "routes", "productpage-v1-0.default", "--registry", BOOKINFO).out())
                .startsWith("NAME ").contains("VHOST NAME").contains("reviews.default.svc.cluster.local:9080");
        assertThat(CliRun.of("proxy-config", "endpoints", "productpage-v1-0.default", "--registry", BOOKINFO).out())
                .startsWith("ENDPOINT ").contains("HEALTHY").contains("outbound|9080|v1|reviews.default.svc.cluster.local");
    }

    @Test
    void grpcProxyType_getsFqdnPortListeners() {
        CliRun run = CliRun.of("proxy-config", "listeners", "productpage-v1-0.default", "--registry", BOOKINFO,
                "--proxy-type", "grpc", "-o", "json");
        assertThat(run.out()).contains("\"name\": \"reviews.default.svc.cluster.local:9080\"").contains("apiListener");
    }

    @Test
    void envoyProxyKind_keepsTheSidecarLayoutWithoutIstioExtensions() {
        CliRun table = CliRun.of("proxy-config", "listeners", "productpage-v1-0.default", "--registry", BOOKINFO,
                "--proxy-kind", "envoy");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("0.0.0.0   15001").contains("Route: 9080");
        CliRun envoy = CliRun.of("proxy-config", "all", "productpage-v1-0.default", "--registry", BOOKINFO,
                "--proxy-kind", "envoy", "-o", "json");
        assertThat(envoy.out()).contains("envoy.filters.http.grpc_stats").doesNotContain("\"istio.")
                .doesNotContain("TypedStruct");
    }

    @Test
    void defaultProxyKind_isIstioProxyWithIstiosExtensions() {
        CliRun run = CliRun.of("proxy-config", "listeners", "productpage-v1-0.default", "--registry", BOOKINFO,
                "-o", "json");
        assertThat(run.out()).contains("\"istio.stats\"").contains("\"istio.metadata_exchange\"")
                .contains("\"istio.alpn\"");
    }

    @Test
    void unknownProxyKind_isAUsageErrorNamingTheKinds() {
        CliRun run = CliRun.of("proxy-config", "listeners", "productpage-v1-0.default", "--registry", BOOKINFO,
                "--proxy-kind", "waypoint");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("waypoint").contains("istio-proxy").contains("envoy").contains("grpc");
    }

    @Test
    void badManifest_isReportedWithItsLocation_andTheRestIsStillServed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("good.yaml"), String.join("\n",
                "apiVersion: v1", "kind: Service", "metadata: {name: web, namespace: shop}",
                "spec: {selector: {app: web}, ports: [{name: http, port: 80}]}", "---",
                "apiVersion: v1", "kind: Pod", "metadata: {name: web-1, namespace: shop, labels: {app: web}}",
                "status: {podIP: 10.1.0.1}", ""));
        Files.writeString(dir.resolve("broken.yaml"), "apiVersion: v1\nkind: Service\nmetadata: [oops\n");

        CliRun run = CliRun.of("proxy-config", "clusters", "web-1.shop", "--registry", dir.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("broken.yaml");
        assertThat(run.out()).contains("web.shop.svc.cluster.local");
    }

    private static List<String> outboundHosts(CliRun run) {
        try {
            JsonNode array = new ObjectMapper().readTree(run.out());
            List<String> hosts = new ArrayList<>();
            array.forEach(c -> {
                String[] parts = c.get("name").asText().split("\\|", -1);
                if (parts.length == 4 && parts[0].equals("outbound") && parts[2].isEmpty()) {
                    hosts.add(parts[3]);
                }
            });
            return hosts;
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + run.out() + run.err(), e);
        }
    }
}
