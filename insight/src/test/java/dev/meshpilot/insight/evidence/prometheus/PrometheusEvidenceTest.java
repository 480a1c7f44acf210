package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.EvidenceSource;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The happy path against a real Prometheus server serving a TSDB of generated Istio metrics. */
class PrometheusEvidenceTest {

    /** The window read is the seven days 2026-01-09 to 2026-01-15; the data starts a week earlier. */
    private static final Instant NOW = Instant.parse("2026-01-16T00:00:00Z");
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-01-02");
    private static final LocalDate LAST_DAY = LocalDate.parse("2026-01-15");

    private static final WorkloadKey WEB = new WorkloadKey("shop", "web");
    private static final WorkloadKey ORDERS = new WorkloadKey("shop", "orders");
    private static final WorkloadKey CHECKOUT = new WorkloadKey("shop", "checkout");
    private static final WorkloadKey LEGACY = new WorkloadKey("old", "legacy");
    private static final WorkloadKey IDLE = new WorkloadKey("shop", "idle");

    @TempDir
    static Path work;
    private static RealPrometheus prometheus;
    private static PrometheusReading reading;

    @BeforeAll
    static void serveAndRead() throws Exception {
        List<IstioCounter> counters = new ArrayList<>();
        counters.add(requests(WEB, "cart.shop.svc.cluster.local", "cart", "source", "http",
                days(100, "2026-01-10", "2026-01-12", "2026-01-15")));
        counters.add(requests(WEB, "catalog.shop.svc.cluster.local", "catalog", "source", "grpc", days(40, "2026-01-15")));
        counters.add(requests(WEB, "old.shop.svc.cluster.local", "old", "source", "http", days(9, "2026-01-05")));
        counters.add(requests(WEB, "httpbin.org", "PassthroughCluster", "source", "http", days(3, "2026-01-14")));
        counters.add(tcp(ORDERS, "postgres.db.svc.cluster.local", "postgres", days(5, "2026-01-09", "2026-01-10",
                "2026-01-11", "2026-01-12", "2026-01-13", "2026-01-14", "2026-01-15")));
        counters.add(tcp(ORDERS, "unknown", "BlackHoleCluster", days(2, "2026-01-13")));
        counters.add(requests(CHECKOUT, "payment.shop.svc.cluster.local", "payment", "source", "http",
                days(10, "2026-01-14")));
        counters.add(requests(CHECKOUT, "payment.shop.svc.cluster.local", "payment", "destination", "http",
                days(999, "2026-01-13", "2026-01-14")));
        counters.add(requests(LEGACY, "api.shop.svc.cluster.local", "api", "destination", "http", days(7, "2026-01-11")));
        counters.add(requests(IDLE, "cart.shop.svc.cluster.local", "cart", "source", "http", days(50, "2026-01-03")));
        counters.add(requests(new WorkloadKey("unknown", "unknown"), "cart.shop.svc.cluster.local", "cart",
                "destination", "http", days(8, "2026-01-15")));
        prometheus = RealPrometheus.serving(work, counters, FIRST_DAY, LAST_DAY);
        PrometheusEvidence evidence = new PrometheusEvidence(prometheus.uri(), Duration.ofDays(7), Duration.ofSeconds(20),
                HttpClient.newHttpClient());
        reading = evidence.readWithReport(NOW);
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static Map<LocalDate, Long> days(long calls, String... days) {
        Map<LocalDate, Long> out = new TreeMap<>();
        for (String day : days) {
            out.put(LocalDate.parse(day), calls);
        }
        return out;
    }

    private static IstioCounter requests(WorkloadKey caller, String service, String serviceName, String reporter,
                                         String protocol, Map<LocalDate, Long> calls) {
        return IstioCounter.of(IstioMetricQueries.REQUESTS, Map.of("reporter", reporter,
                "source_workload", caller.name(), "source_workload_namespace", caller.namespace(),
                "destination_service", service, "destination_service_name", serviceName,
                "request_protocol", protocol, "response_code", "200"), calls);
    }

    private static IstioCounter tcp(WorkloadKey caller, String service, String serviceName, Map<LocalDate, Long> calls) {
        return IstioCounter.of(IstioMetricQueries.TCP_CLOSED, Map.of("reporter", "source",
                "source_workload", caller.name(), "source_workload_namespace", caller.namespace(),
                "destination_service", service, "destination_service_name", serviceName,
                "request_protocol", "tcp"), calls);
    }

    private static CallEvidence call(WorkloadKey caller, String host) {
        return page(caller).call(Destination.ofHost(host)).orElseThrow(
                () -> new AssertionError(caller + " -> " + host + " not learned; page: " + page(caller).calls().keySet()));
    }

    private static WorkloadLedger page(WorkloadKey caller) {
        DependencyLedger ledger = reading.ledger();
        return ledger.page(caller).orElseThrow(() -> new AssertionError(caller + " has no page in " + ledger.asMap().keySet()));
    }

    private static long epochDay(String day) {
        return LocalDate.parse(day).toEpochDay();
    }

    @Test
    void httpCall_isLearnedWithItsSeenDaysFirstAndLastSightingAndCount() {
        CallEvidence cart = call(WEB, "cart.shop.svc.cluster.local");

        assertThat(cart.protocols()).containsExactly(CallProtocol.HTTP);
        assertThat(cart.sources()).containsExactly(EvidenceSource.PROMETHEUS);
        assertThat(cart.seenDays()).containsExactly(epochDay("2026-01-10"), epochDay("2026-01-12"), epochDay("2026-01-15"));
        assertThat(cart.firstSeen()).isEqualTo(Instant.parse("2026-01-10T12:00:00Z"));
        assertThat(cart.lastSeen()).isEqualTo(Instant.parse("2026-01-15T12:00:00Z"));
        assertThat(cart.count()).isEqualTo(300);
    }

    @Test
    void grpcCall_isLearnedAsGrpc() {
        CallEvidence catalog = call(WEB, "catalog.shop.svc.cluster.local");

        assertThat(catalog.protocols()).containsExactly(CallProtocol.GRPC);
        assertThat(catalog.count()).isEqualTo(40);
    }

    @Test
    void tcpConnections_areLearnedAsTcpOnEveryDayOfTheWindow() {
        CallEvidence postgres = call(ORDERS, "postgres.db.svc.cluster.local");

        assertThat(postgres.protocols()).containsExactly(CallProtocol.TCP);
        assertThat(postgres.seenDays()).hasSize(7);
        assertThat(postgres.longestGapDays()).isEqualTo(1);
        assertThat(postgres.count()).isEqualTo(35);
    }

    @Test
    void sourceReportedSeries_arePreferredOverDestinationReported() {
        CallEvidence payment = call(CHECKOUT, "payment.shop.svc.cluster.local");

        assertThat(payment.count()).isEqualTo(10);
        assertThat(payment.seenDays()).containsExactly(epochDay("2026-01-14"));
    }

    @Test
    void destinationReportedSeries_areUsedForAnEdgeWithoutSourceSeries() {
        CallEvidence api = call(LEGACY, "api.shop.svc.cluster.local");

        assertThat(api.count()).isEqualTo(7);
        assertThat(api.seenDays()).containsExactly(epochDay("2026-01-11"));
    }

    @Test
    void httpPassthrough_isKeptWithTheOriginalHost_tcpBlackhole_isNamedAfterTheCluster() {
        assertThat(call(WEB, "httpbin.org").protocols()).containsExactly(CallProtocol.HTTP);
        CallEvidence blackhole = call(ORDERS, "blackholecluster");
        assertThat(blackhole.protocols()).containsExactly(CallProtocol.TCP);
        assertThat(blackhole.count()).isEqualTo(2);
    }

    @Test
    void callOnlyBeforeTheWindow_isNotLearned() {
        assertThat(page(WEB).call(Destination.ofHost("old.shop.svc.cluster.local"))).isEmpty();
        assertThat(page(WEB).calls()).hasSize(3);
    }

    @Test
    void everySourceWithSeriesInTheWindow_isReportedByPrometheusAtNow_evenWithoutCalls() {
        assertThat(reading.ledger().asMap().keySet()).containsExactlyInAnyOrder(WEB, ORDERS, CHECKOUT, LEGACY, IDLE);
        assertThat(page(IDLE).calls()).isEmpty();
        for (WorkloadLedger page : reading.ledger().pages()) {
            assertThat(page.lastReportedBy(EvidenceSource.PROMETHEUS)).as(page.workload().toString()).contains(NOW);
        }
    }

    @Test
    void unknownSource_isSkippedWithAWarning() {
        assertThat(reading.seriesSkipped()).isEqualTo(1);
        assertThat(reading.warnings()).containsExactly("skipped 1 of 11 series: 1 source unknown");
    }
}
