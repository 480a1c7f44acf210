package dev.meshpilot.insight.evidence.prometheus;

import com.sun.net.httpserver.HttpServer;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceException;
import dev.meshpilot.core.ledger.WorkloadKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad answers from a stand-in server on 127.0.0.1: each is one clear message naming the endpoint and the cause. */
class PrometheusEvidenceFailuresTest {

    private static final Instant NOW = Instant.parse("2026-01-16T00:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService executor;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private URI serve(int status, String contentType, String body) throws IOException {
        return serve(exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    private URI serve(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static PrometheusEvidence reader(URI uri) {
        return new PrometheusEvidence(uri, Duration.ofDays(7), TIMEOUT,
                HttpClient.newBuilder().connectTimeout(TIMEOUT).build());
    }

    private static String matrix(String series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + series + "]}}";
    }

    @Test
    void closedPort_failsWithCannotConnect() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        URI uri = URI.create("http://127.0.0.1:" + port);

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus http://127.0.0.1:" + port + "/api/v1/query_range: cannot connect (connection refused)");
    }

    @Test
    void serverThatNeverAnswers_failsAfterTheTimeout() throws IOException {
        URI uri = serve(exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        long started = System.nanoTime();

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus " + uri + "/api/v1/query_range: no answer within 500 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void httpErrorWithPrometheusJson_namesStatusAndPrometheusError() throws IOException {
        URI uri = serve(400, "application/json",
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:8: parse error: unexpected\"}");

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus " + uri + "/api/v1/query_range: HTTP 400: bad_data: 1:8: parse error: unexpected");
    }

    @Test
    void httpErrorWithPlainText_namesStatusAndFirstLine() throws IOException {
        URI uri = serve(502, "text/plain", "Bad Gateway\nupstream down");

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus " + uri + "/api/v1/query_range: HTTP 502: Bad Gateway");
    }

    @Test
    void httpErrorWithHtml_asksWhetherTheUrlIsPrometheus() throws IOException {
        URI uri = serve(404, "text/html", "<!DOCTYPE html>\n<html><body>Not Found</body></html>");

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus " + uri + "/api/v1/query_range: HTTP 404 (an HTML page: is this Prometheus's URL?)");
    }

    @Test
    void malformedJson_isNamedAsSuch() throws IOException {
        URI uri = serve(200, "application/json", "{\"status\":\"success\",\"data\":{\"result\":[{\"metric\":");

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessageStartingWith("prometheus " + uri + "/api/v1/query_range: malformed JSON response: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void htmlInsteadOfJson_isMalformedJson() throws IOException {
        URI uri = serve(200, "text/html", "<html>login</html>");

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessageStartingWith("prometheus " + uri + "/api/v1/query_range: malformed JSON response");
    }

    @Test
    void statusErrorWithHttp200_namesPrometheusError() throws IOException {
        URI uri = serve(200, "application/json",
                "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":\"query timed out in expression evaluation\"}");

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus " + uri + "/api/v1/query_range: Prometheus answered status error (timeout): "
                        + "query timed out in expression evaluation");
    }

    @Test
    void vectorInsteadOfMatrix_isRefused() throws IOException {
        URI uri = serve(200, "application/json",
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus " + uri + "/api/v1/query_range: expected a matrix result, got 'vector'");
    }

    @Test
    void valueThatIsNotANumber_isMalformed() throws IOException {
        URI uri = serve(200, "application/json", matrix(
                "{\"metric\":{\"source_workload\":\"a\"},\"values\":[[1768000000,\"lots\"]]}"));

        assertThatThrownBy(() -> reader(uri).read(NOW))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus " + uri + "/api/v1/query_range: malformed JSON response: series 0 has the "
                        + "value 'lots', not a number");
    }

    @Test
    void seriesWithoutSourceOrDestination_areSkippedCountedAndWarned_restIsRead() throws IOException {
        String good = "{\"metric\":{\"source_workload\":\"web\",\"source_workload_namespace\":\"shop\","
                + "\"destination_service\":\"cart.shop.svc.cluster.local\",\"reporter\":\"source\","
                + "\"request_protocol\":\"http\"},\"values\":[[1768478400,\"3\"]]}";
        String unknownSource = "{\"metric\":{\"source_workload\":\"unknown\",\"source_workload_namespace\":\"unknown\","
                + "\"destination_service\":\"cart.shop.svc.cluster.local\",\"reporter\":\"destination\"},"
                + "\"values\":[[1768478400,\"1\"]]}";
        String noLabels = "{\"metric\":{},\"values\":[[1768478400,\"1\"]]}";
        String noDestination = "{\"metric\":{\"source_workload\":\"batch\",\"source_workload_namespace\":\"jobs\","
                + "\"destination_service\":\"unknown\",\"reporter\":\"source\"},\"values\":[[1768478400,\"1\"]]}";
        URI uri = serve(200, "application/json", matrix(String.join(",", good, unknownSource, noLabels, noDestination)));

        PrometheusReading reading = reader(uri).readWithReport(NOW);

        // Both queries (requests and TCP) get the same answer from the stand-in: 8 series, 6 skipped.
        assertThat(reading.seriesRead()).isEqualTo(8);
        assertThat(reading.seriesSkipped()).isEqualTo(6);
        assertThat(reading.warnings()).containsExactly("skipped 6 of 8 series: 2 no destination_service, "
                + "2 no source_workload/source_workload_namespace, 2 source unknown");
        DependencyLedger ledger = reading.ledger();
        assertThat(ledger.edgeCount()).isEqualTo(1);
        assertThat(ledger.page(new WorkloadKey("shop", "web"))).isPresent();
        assertThat(ledger.page(new WorkloadKey("jobs", "batch")).orElseThrow().calls())
                .as("a source with series but no usable destination is still reported, with no calls").isEmpty();
    }

    @Test
    void noIstioSeriesAtAll_isAnEmptyLedgerWithAWarningAskingWhetherThisIsTheMeshsPrometheus() throws IOException {
        URI uri = serve(200, "application/json", matrix(""));

        PrometheusReading reading = reader(uri).readWithReport(NOW);

        assertThat(reading.ledger().isEmpty()).isTrue();
        assertThat(reading.warnings()).singleElement().asString()
                .startsWith("no istio_requests_total or istio_tcp_connections_closed_total series in the 7 days before "
                        + "2026-01-16T00:00:00Z");
    }

    @Test
    void answerOverTheByteLimit_isRefusedWhole() throws IOException {
        URI uri = serve(200, "application/json", matrix("{\"metric\":{\"source_workload\":\"" + "a".repeat(4096)
                + "\"},\"values\":[]}"));
        PrometheusApi api = new PrometheusApi(uri, HttpClient.newHttpClient(), TIMEOUT, 1024, 10);

        assertThatThrownBy(() -> api.queryRange("up", NOW.minusSeconds(60), NOW, Duration.ofDays(1)))
                .isInstanceOf(EvidenceException.class)
                .hasMessage("prometheus " + uri + "/api/v1/query_range: answer larger than 1024 bytes; narrow the window");
    }

    @Test
    void answerOverTheSeriesLimit_isRefusedWhole() throws IOException {
        String series = "{\"metric\":{},\"values\":[]}";
        URI uri = serve(200, "application/json", matrix(String.join(",", series, series, series)));
        PrometheusApi api = new PrometheusApi(uri, HttpClient.newHttpClient(), TIMEOUT, 1 << 20, 2);

        assertThatThrownBy(() -> api.queryRange("up", NOW.minusSeconds(60), NOW, Duration.ofDays(1)))
                .isInstanceOf(EvidenceException.class)
                .hasMessageStartingWith("prometheus " + uri + "/api/v1/query_range: more than 2 series");
    }

    @Test
    void windowShorterThanADay_isRejectedAtConstruction() {
        assertThatThrownBy(() -> new PrometheusEvidence(URI.create("http://127.0.0.1:9090"), Duration.ofHours(2),
                TIMEOUT, HttpClient.newHttpClient()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 1d and 366d");
    }

    @Test
    void urlWithoutHttpScheme_isRejectedAtConstruction() {
        assertThatThrownBy(() -> PrometheusEvidence.of(URI.create("prometheus:9090"), Duration.ofDays(7)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http(s)://HOST");
    }
}
