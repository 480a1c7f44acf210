package dev.meshpilot.insight.evidence.prometheus;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.WorkloadKey;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IstioLabelsTest {

    private static MetricSeries series(String... labelPairs) {
        Map<String, String> labels = new HashMap<>(Map.of("source_workload", "sleep",
                "source_workload_namespace", "default", "reporter", "source"));
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
        return new MetricSeries(labels, List.of());
    }

    private static IstioSeries call(MetricSeries series, boolean tcp) {
        IstioLabels.Reading reading = IstioLabels.read(series, tcp);
        assertThat(reading.skipped()).isEmpty();
        return reading.call().orElseThrow();
    }

    @Test
    void serviceCall_isCallerToServiceFqdnWithUnknownPort() {
        IstioSeries call = call(series("destination_service", "reviews.default.svc.cluster.local",
                "destination_service_name", "reviews", "request_protocol", "http"), false);

        assertThat(call.caller()).isEqualTo(new WorkloadKey("default", "sleep"));
        assertThat(call.destination()).isEqualTo(Destination.ofHost("reviews.default.svc.cluster.local"));
        assertThat(call.protocol()).isEqualTo(CallProtocol.HTTP);
        assertThat(call.reportedBySource()).isTrue();
    }

    @Test
    void grpcRequestProtocol_isGrpc_andTcpCounter_isTcp() {
        assertThat(call(series("destination_service", "a.b.svc.cluster.local", "request_protocol", "grpc"), false)
                .protocol()).isEqualTo(CallProtocol.GRPC);
        assertThat(call(series("destination_service", "a.b.svc.cluster.local", "request_protocol", "tcp"), true)
                .protocol()).isEqualTo(CallProtocol.TCP);
    }

    @Test
    void httpPassthrough_keepsTheHostHeaderAsOriginalDestination() {
        IstioSeries call = call(series("destination_service", "httpbin.org",
                "destination_service_name", "PassthroughCluster", "request_protocol", "http"), false);

        assertThat(call.destination()).isEqualTo(Destination.ofHost("httpbin.org"));
    }

    @Test
    void hostHeaderWithPort_givesThePort() {
        IstioSeries call = call(series("destination_service", "httpbin.org:8080",
                "destination_service_name", "BlackHoleCluster"), false);

        assertThat(call.destination()).isEqualTo(new Destination("httpbin.org", 8080));
    }

    @Test
    void tcpPassthroughWithDestinationIp_keepsTheIp() {
        IstioSeries call = call(series("destination_service", "unknown",
                "destination_service_name", "PassthroughCluster", "destination_ip", "52.22.188.80"), true);

        assertThat(call.destination()).isEqualTo(Destination.ofHost("52.22.188.80"));
    }

    @Test
    void tcpBlackholeWithoutOriginalDestination_isNamedAfterTheCluster() {
        IstioSeries call = call(series("destination_service", "unknown",
                "destination_service_name", "BlackHoleCluster"), true);

        assertThat(call.destination()).isEqualTo(Destination.ofHost("BlackHoleCluster"));
    }

    @Test
    void bracketedIpv6WithPort_isHostAndPort() {
        assertThat(IstioLabels.parse("[2001:db8::1]:443")).contains(new Destination("2001:db8::1", 443));
        assertThat(IstioLabels.parse("2001:db8::1")).contains(Destination.ofHost("2001:db8::1"));
    }

    @Test
    void unknownSource_isSkippedWithoutCaller_unknownDestination_isSkippedWithCaller() {
        IstioLabels.Reading unknownSource = IstioLabels.read(series("source_workload", "unknown",
                "destination_service", "a.b.svc.cluster.local"), false);
        IstioLabels.Reading unknownDestination = IstioLabels.read(series("destination_service", "unknown",
                "destination_service_name", "unknown"), false);

        assertThat(unknownSource.skipped().orElseThrow().caller()).isEmpty();
        assertThat(unknownDestination.skipped().orElseThrow().caller()).contains(new WorkloadKey("default", "sleep"));
    }
}
