package dev.meshpilot.xds.dump;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A ~20 MB dump is read in a JVM whose whole heap (24 MB) could not hold the file's text, let alone a tree of it:
 * the reader keeps one resource at a time.
 */
class BoundedMemoryDumpTest {

    @TempDir
    Path dir;

    /** Reads a dump and prints what it counted; run in a child JVM with a small heap. */
    public static void main(String[] args) {
        long[] endpoints = {0};
        ConfigDumpReader.read(Path.of(args[0]), new DumpVisitor() {
            @Override
            public void endpoints(io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment a, Section s) {
                endpoints[0] += a.getEndpoints(0).getLbEndpointsCount();
            }
        });
        System.out.println("endpoints=" + endpoints[0]);
    }

    @Test
    void twentyMegabyteDump_isReadWithA24MegabyteHeap() throws Exception {
        Path file = dir.resolve("big.json");
        int assignments = 4_000;
        int perAssignment = 25;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\"configs\": [{\"@type\": \"type.googleapis.com/envoy.admin.v3.EndpointsConfigDump\", "
                    + "\"dynamic_endpoint_configs\": [\n");
            for (int i = 0; i < assignments; i++) {
                out.write(i == 0 ? "" : ",\n");
                out.write("{\"endpoint_config\": {\"@type\": \"type.googleapis.com/envoy.config.endpoint.v3."
                        + "ClusterLoadAssignment\", \"cluster_name\": \"outbound|8080||svc-" + i
                        + ".copy-" + (i % 40) + ".svc.cluster.local\", \"endpoints\": [{\"locality\": {\"region\": "
                        + "\"us-east1\", \"zone\": \"us-east1-b\"}, \"lb_endpoints\": [");
                for (int e = 0; e < perAssignment; e++) {
                    out.write((e == 0 ? "" : ", ") + "{\"endpoint\": {\"address\": {\"socket_address\": {\"address\": \"10."
                            + (i / 250) + "." + (i % 250) + "." + e + "\", \"port_value\": 8080}}}, \"health_status\": "
                            + "\"HEALTHY\", \"metadata\": {\"filter_metadata\": {\"istio\": {\"workload\": \"svc-" + i
                            + "-v1;copy;svc;v1;Kubernetes\"}}}, \"load_balancing_weight\": 1}");
                }
                out.write("]}]}}");
            }
            out.write("]}]}\n");
        }
        assertThat(Files.size(file)).isGreaterThan(18_000_000L);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx24m", "-cp", System.getProperty("java.class.path"),
                BoundedMemoryDumpTest.class.getName(), file.toString())).redirectErrorStream(true).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("endpoints=" + (long) assignments * perAssignment);
    }
}
