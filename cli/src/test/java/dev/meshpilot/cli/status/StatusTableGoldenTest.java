package dev.meshpilot.cli.status;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.ControlPlane;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;
import io.envoyproxy.envoy.service.status.v3.ConfigStatus;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * proxy-status tables from a fixed syncz answer, compared with checked-in text under
 * {@code cli/src/test/resources/status/} (rewrite with {@code -Dmeshpilot.golden.update=true}, then review the diff).
 * The layouts mirror istioctl's {@code XdsStatusWriter} and the shapes its {@code status_test.go} pins
 * ({@code multiXdsStatusMultiPilot.txt}, {@code multiXdsStatusMultiPilot_verbose.txt}): the 1.27+ columns
 * {@code NAME CLUSTER ISTIOD VERSION SUBSCRIBED TYPES}, and with {@code -v 1} one column per type sorted by URL.
 */
class StatusTableGoldenTest {
    private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");

    /** Four proxies: all synced; stale, rejected and not sent; nothing subscribed; ECDS plus an ignored type. */
    static DiscoveryResponse syncz() {
        return DiscoveryResponse.newBuilder()
                .setTypeUrl("istio.io/debug/syncz")
                .setControlPlane(ControlPlane.newBuilder().setIdentifier(
                        "{\"Component\":\"meshpilot\",\"ID\":\"meshpilot-7d9f\",\"Info\":{\"version\":\"0.9.0\"}}"))
                .addResources(proxy("productpage-v1-6b746f74dc-9stvs.default", "default", "1.29.0",
                        type(StatusTable.CDS, ConfigStatus.SYNCED, Duration.ofSeconds(42)),
                        type(StatusTable.LDS, ConfigStatus.SYNCED, Duration.ofSeconds(42)),
                        type(StatusTable.EDS, ConfigStatus.SYNCED, Duration.ofMinutes(3).plusSeconds(2)),
                        type(StatusTable.RDS, ConfigStatus.SYNCED, Duration.ofSeconds(41))))
                .addResources(proxy("reviews-v2-5b667bcbf8-xjxsm.bookinfo", "bookinfo", "1.28.2",
                        type(StatusTable.CDS, ConfigStatus.STALE, Duration.ofHours(5).plusMinutes(3)),
                        type(StatusTable.LDS, ConfigStatus.ERROR, Duration.ofHours(30)),
                        type(StatusTable.EDS, ConfigStatus.NOT_SENT, null)))
                .addResources(proxy("details-v1-0.default", "default", ""))
                .addResources(proxy("ratings-v1-0.default", "default", "1.29.0",
                        type(StatusTable.CDS, ConfigStatus.SYNCED, Duration.ofDays(3).plusHours(4)),
                        type(StatusTable.ECDS, ConfigStatus.SYNCED, Duration.ofDays(20)),
                        type(StatusTable.RDS, ConfigStatus.UNKNOWN, null)))
                .build();
    }

    @Test
    void defaultTable_hasIstioctlsCurrentColumns_andCountsSubscribedTypes() throws IOException {
        String table = StatusTable.render(SynczResults.fromDiscovery(syncz()), NOW);
        assertMatchesGolden("proxy-status.txt", table);
        assertThat(table.lines().findFirst().orElseThrow())
                .matches("NAME +CLUSTER +ISTIOD +VERSION +SUBSCRIBED TYPES");
    }

    @Test
    void verboseTable_hasAColumnPerTypeSortedByUrl_withStatusesAndAges() throws IOException {
        String table = StatusTable.renderVerbose(SynczResults.fromDiscovery(syncz()), NOW);
        assertMatchesGolden("proxy-status-verbose.txt", table);
        assertThat(table.lines().findFirst().orElseThrow())
                .matches("NAME +CLUSTER +CDS +ECDS +EDS +LDS +RDS +ISTIOD +VERSION");
    }

    @Test
    void noProxies_printsTheHeaderOnly() {
        assertThat(StatusTable.render(List.of(), NOW)).isEqualTo("NAME     CLUSTER     ISTIOD     VERSION     SUBSCRIBED TYPES\n");
    }

    @Test
    void answerWithoutControlPlaneIdentifier_showsMissing_andAMalformedOneInvalid() {
        DiscoveryResponse none = syncz().toBuilder().clearControlPlane().build();
        assertThat(SynczResults.fromDiscovery(none)).allSatisfy(p -> assertThat(p.istiod()).isEqualTo("MISSING"));
        DiscoveryResponse bad = syncz().toBuilder().setControlPlane(ControlPlane.newBuilder().setIdentifier("{x"))
                .build();
        assertThat(SynczResults.fromDiscovery(bad)).allSatisfy(p -> assertThat(p.istiod()).isEqualTo("INVALID"));
    }

    private static Any proxy(String id, String namespace, String istioVersion, ClientConfig.GenericXdsConfig... types) {
        Struct.Builder metadata = Struct.newBuilder()
                .putFields("CLUSTER_ID", Value.newBuilder().setStringValue("Kubernetes").build())
                .putFields("NAMESPACE", Value.newBuilder().setStringValue(namespace).build());
        if (!istioVersion.isEmpty()) {
            metadata.putFields("ISTIO_VERSION", Value.newBuilder().setStringValue(istioVersion).build());
        }
        return Any.pack(ClientConfig.newBuilder().setNode(Node.newBuilder().setId(id).setMetadata(metadata))
                .addAllGenericXdsConfigs(List.of(types)).build());
    }

    private static ClientConfig.GenericXdsConfig type(String url, ConfigStatus status, Duration age) {
        ClientConfig.GenericXdsConfig.Builder t = ClientConfig.GenericXdsConfig.newBuilder().setTypeUrl(url)
                .setConfigStatus(status);
        if (age != null) {
            Instant at = NOW.minus(age);
            t.setLastUpdated(Timestamp.newBuilder().setSeconds(at.getEpochSecond()));
        }
        return t.build();
    }

    private static void assertMatchesGolden(String name, String actual) throws IOException {
        Path file = Path.of(System.getProperty("meshpilot.repo.root", ".."))
                .resolve("cli/src/test/resources/status").resolve(name);
        if (Boolean.getBoolean("meshpilot.golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        if (!Files.exists(file)) {
            fail("golden file " + file + " is missing; run with -Dmeshpilot.golden.update=true to create it");
        }
        assertThat(actual).as("table vs golden file %s (rewrite with -Dmeshpilot.golden.update=true and review)",
                file).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
