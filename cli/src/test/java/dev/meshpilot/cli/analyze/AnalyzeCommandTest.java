package dev.meshpilot.cli.analyze;

import dev.meshpilot.cli.CliRun;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import dev.meshpilot.xds.inspect.DumpedConfig;
import dev.meshpilot.xds.json.XdsJson;
import io.envoyproxy.envoy.admin.v3.ConfigDump;
import io.envoyproxy.envoy.admin.v3.RoutesConfigDump;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzeCommandTest {

    private static final String BOOKINFO = CliRun.repoArg("examples/bookinfo");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The analysed figures of one workload equal those of the config dump {@code proxy-config all} prints for it. */
    @ParameterizedTest
    @CsvSource({"examples/bookinfo,default/productpage-v1", "examples/bookinfo,default/reviews-v2",
            "examples/online-boutique,default/frontend", "examples/shared-cluster,train-ticket/ts-ui-dashboard"})
    void workloadFigures_equalWhatProxyConfigAllServes(String example, String workload) throws Exception {
        String dir = CliRun.repoArg(example);
        CliRun analyze = CliRun.of("analyze", "--registry", dir, "-o", "json");
        assertThat(analyze.exitCode()).as(analyze.err()).isZero();
        JsonNode row = row(MAPPER.readTree(analyze.out()), workload);
        String pod = row.get("proxy").asText();

        CliRun all = CliRun.of("proxy-config", "all", pod, "--registry", dir, "-o", "json");
        assertThat(all.exitCode()).as(all.err()).isZero();
        ConfigDump configDump = XdsJson.parse(all.out(), ConfigDump.newBuilder()).build();
        DumpedConfig dump = DumpedConfig.from(configDump);
        // the route table's view adds the listeners' inline route configurations; the served ones are RDS's
        List<RouteConfiguration> served = configDump.getConfigsList().stream()
                .filter(a -> a.is(RoutesConfigDump.class))
                .flatMap(a -> unpackRoutes(a).getDynamicRouteConfigsList().stream())
                .map(d -> unpackRoute(d.getRouteConfig())).toList();

        JsonNode now = row.get("now");
        assertThat(now.get("clusters").asInt()).isEqualTo(dump.clusters().size());
        assertThat(now.get("listeners").asInt()).isEqualTo(dump.listeners().size());
        assertThat(now.get("virtualHosts").asInt())
                .isEqualTo(served.stream().mapToInt(RouteConfiguration::getVirtualHostsCount).sum());
        assertThat(now.get("endpoints").asLong()).isEqualTo(hosts(dump));
        assertThat(now.at("/xdsBytes/clusters").asLong()).isEqualTo(bytes(dump.clusters()));
        assertThat(now.at("/xdsBytes/listeners").asLong()).isEqualTo(bytes(dump.listeners()));
        assertThat(now.at("/xdsBytes/routes").asLong()).isEqualTo(bytes(served));
        assertThat(now.at("/xdsBytes/endpoints").asLong()).isEqualTo(bytes(dump.endpoints()));
    }

    @Test
    void table_isTheDefault_andFitsIn120Columns() {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO);

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Footprint of ").contains("default/productpage-v1", "Mesh totals");
        assertThat(run.out().lines()).allMatch(l -> l.codePointCount(0, l.length()) <= 120);
    }

    @Test
    void trafficAlone_proposesTheOracle_andBreaksNoCall() throws IOException {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--traffic",
                CliRun.repoArg("examples/bookinfo/edges.csv"), "-o", "json");

        JsonNode root = MAPPER.readTree(run.out());
        assertThat(root.get("proposal").asText()).startsWith("traffic oracle");
        assertThat(root.get("trafficChecked").asBoolean()).isTrue();
        root.get("workloads").forEach(w -> assertThat(w.get("outsideProposed")).isEmpty());
        assertThat(root.at("/totals/proposed/clusters").asLong()).isLessThan(root.at("/totals/now/clusters").asLong());
    }

    @Test
    void scopeNamespace_withTraffic_checksTheNamespaceProposal() throws IOException {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--scope", "namespace", "--traffic",
                CliRun.repoArg("examples/bookinfo/edges.csv"), "-o", "json");

        JsonNode root = MAPPER.readTree(run.out());
        assertThat(root.get("proposal").asText()).startsWith("root default Sidecar istio-system/default");
        assertThat(root.get("trafficChecked").asBoolean()).isTrue();
    }

    @Test
    void withFile_appliesItsSidecars() throws IOException {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--with",
                CliRun.repoArg("examples/shared-cluster-root-default/root-default-sidecar.yaml"), "-o", "json");

        JsonNode root = MAPPER.readTree(run.out());
        assertThat(run.exitCode()).isZero();
        assertThat(root.get("proposal").asText()).contains("istio-system/default");
        assertThat(root.at("/workloads/0/proposed/scope").asText()).isEqualTo("default");
    }

    @Test
    void htmlOut_writesOneSelfContainedFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report/footprint.html");

        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--scope", "namespace", "-o", "html",
                "--out", file.toString());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("wrote " + file);
        assertThat(Files.readString(file)).startsWith("<!DOCTYPE html>").contains("<svg ").doesNotContain("<script");
    }

    @Test
    void grpcProxyType_hasNoEstimate() throws IOException {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--proxy-type", "grpc", "-o", "json");

        JsonNode root = MAPPER.readTree(run.out());
        assertThat(root.at("/settings/proxyType").asText()).isEqualTo("grpc");
        assertThat(root.at("/workloads/0/now/estimate").isNull()).isTrue();
    }

    @Test
    void concurrency_changesTheEstimateNotTheCounts() throws IOException {
        JsonNode two = MAPPER.readTree(CliRun.of("analyze", "--registry", BOOKINFO, "-o", "json").out());
        JsonNode eight = MAPPER.readTree(CliRun.of("analyze", "--registry", BOOKINFO, "--concurrency", "8",
                "-o", "json").out());

        assertThat(eight.at("/settings/workers").asInt()).isEqualTo(8);
        assertThat(eight.at("/totals/now/clusters")).isEqualTo(two.at("/totals/now/clusters"));
        assertThat(eight.at("/totals/now/allocatedBytes").asLong())
                .isGreaterThan(two.at("/totals/now/allocatedBytes").asLong());
    }

    @Test
    void missingRegistry_isOneLineAndExit2() {
        CliRun run = CliRun.of("analyze", "--registry", "/nonexistent/mesh");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: analyze: --registry /nonexistent/mesh does not exist"
                + System.lineSeparator());
    }

    @Test
    void withAndScopeTogether_isRejected() {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--scope", "namespace", "--with", BOOKINFO);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--with and --scope are two proposals");
    }

    @Test
    void unknownScope_isRejected() {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--scope", "cluster");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--scope accepts only 'namespace'");
    }

    @Test
    void unknownOutput_isRejected() {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "-o", "yaml");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("-o must be table, json or html");
    }

    @Test
    void withFileHoldingNoSidecar_isRejected() {
        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--with",
                CliRun.repoArg("examples/bookinfo/services.yaml"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("holds no Sidecar");
    }

    @Test
    void malformedTraffic_namesFileLineAndField(@TempDir Path dir) throws IOException {
        Path edges = dir.resolve("edges.csv");
        Files.writeString(edges, "source_workload,source_namespace,destination_host,destination_port,evidence\n"
                + "productpage-v1,default,reviews.default.svc.cluster.local,http,x\n");

        CliRun run = CliRun.of("analyze", "--registry", BOOKINFO, "--traffic", edges.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains(edges + ":2: field destination_port is not a number: 'http'")
                .doesNotContain("Exception");
    }

    @Test
    void badManifest_isReported_andTheRestIsAnalysed(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("mesh.yaml"), """
                apiVersion: v1
                kind: Service
                metadata:
                  name: good
                  namespace: ns
                spec:
                  selector:
                    app: good
                  ports:
                  - name: http
                    port: 80
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: good
                  namespace: ns
                spec:
                  replicas: 2
                  selector:
                    matchLabels:
                      app: good
                  template:
                    metadata:
                      labels:
                        app: good
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: bad
                  namespace: ns
                spec:
                  ports:
                  - name: http
                    port: not-a-port
                """);

        CliRun run = CliRun.of("analyze", "--registry", dir.toString(), "-o", "json");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).contains("mesh.yaml").doesNotContain("Exception");
        JsonNode root = MAPPER.readTree(run.out());
        assertThat(root.at("/workloads/0/replicas").asInt()).isEqualTo(2);
        assertThat(root.at("/totals/now/proxies").asInt()).isEqualTo(2);
        assertThat(root.get("notes").toString()).contains("invalid and left out");
    }

    private static JsonNode row(JsonNode root, String workload) {
        for (JsonNode w : root.get("workloads")) {
            if ((w.get("namespace").asText() + "/" + w.get("name").asText()).equals(workload)) {
                return w;
            }
        }
        throw new AssertionError("no row for " + workload);
    }

    private static RoutesConfigDump unpackRoutes(com.google.protobuf.Any any) {
        try {
            return any.unpack(RoutesConfigDump.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static RouteConfiguration unpackRoute(com.google.protobuf.Any any) {
        try {
            return any.unpack(RouteConfiguration.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static long hosts(DumpedConfig dump) {
        long n = 0;
        for (ClusterLoadAssignment cla : dump.endpoints()) {
            for (LocalityLbEndpoints l : cla.getEndpointsList()) {
                n += l.getLbEndpointsCount();
            }
        }
        for (var c : dump.clusters()) {
            for (LocalityLbEndpoints l : c.getLoadAssignment().getEndpointsList()) {
                n += l.getLbEndpointsCount();
            }
        }
        return n;
    }

    private static long bytes(List<? extends Message> messages) throws IOException {
        long total = 0;
        for (Message m : messages) {
            byte[] out = new byte[m.getSerializedSize()];
            CodedOutputStream stream = CodedOutputStream.newInstance(out);
            stream.useDeterministicSerialization();
            m.writeTo(stream);
            total += out.length;
        }
        return total;
    }
}
