package dev.meshpilot.server.debug;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.meshpilot.server.ads.ConnectionStatus;
import dev.meshpilot.server.ads.ResourceSet;
import dev.meshpilot.server.ads.TypeStatus;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;
import io.envoyproxy.envoy.service.status.v3.ConfigStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** istiod's {@code debugSyncStatus} and {@code debugSyncz} shapes, from a stream's published status. */
class SyncStatusProtosTest {
    private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
    private static final Instant SENT = Instant.parse("2026-12-06T05:00:00Z");

    private static TypeStatus type(String url, String sentNonce, String ackedNonce, String error, String errorNonce) {
        return new TypeStatus(url, true, List.of(), sentNonce.isEmpty() ? "" : "v" + sentNonce, sentNonce,
                sentNonce.isEmpty() ? null : SENT, "", ackedNonce, null, error, errorNonce,
                error.isEmpty() ? null : SENT.plusSeconds(1), 0);
    }

    @Test
    void typeNeverSent_isNotSent_withoutATimestamp() {
        ClientConfig.GenericXdsConfig c = SyncStatusProtos.typeConfig(type(CDS, "", "", "", ""));
        assertThat(c.getConfigStatus()).isEqualTo(ConfigStatus.NOT_SENT);
        assertThat(c.hasLastUpdated()).isFalse();
    }

    @Test
    void sentAndAcknowledged_isSynced_sentNotYetAcknowledged_isStale() {
        assertThat(SyncStatusProtos.typeConfig(type(CDS, "3", "3", "", "")).getConfigStatus())
                .isEqualTo(ConfigStatus.SYNCED);
        ClientConfig.GenericXdsConfig stale = SyncStatusProtos.typeConfig(type(CDS, "4", "3", "", ""));
        assertThat(stale.getConfigStatus()).isEqualTo(ConfigStatus.STALE);
        assertThat(stale.getLastUpdated().getSeconds()).isEqualTo(SENT.getEpochSecond());
        assertThat(stale.getVersionInfo()).isEqualTo("v4");
    }

    @Test
    void rejectedLastSend_isError_withTheClientsMessageAsErrorState() {
        ClientConfig.GenericXdsConfig c = SyncStatusProtos.typeConfig(type(LDS, "5", "4", "bad listener", "5"));
        assertThat(c.getConfigStatus()).isEqualTo(ConfigStatus.ERROR);
        assertThat(c.getErrorState().getDetails()).isEqualTo("bad listener");
        assertThat(c.getErrorState().getLastUpdateAttempt().getSeconds()).isEqualTo(SENT.getEpochSecond());
    }

    @Test
    void clientConfig_namesTheProxy_keepsOnlyKnownMetadata_andSortsTypesByUrl() {
        Node node = Node.newBuilder().setId("sidecar~10.0.0.1~web-0.shop~shop.svc.cluster.local")
                .setMetadata(Struct.newBuilder().putFields("ISTIO_VERSION",
                        Value.newBuilder().setStringValue("1.29.0").build()).putFields("LABELS",
                        Value.newBuilder().setStringValue("ignored").build())).build();
        ConnectionStatus status = new ConnectionStatus(1, "web-0.shop", "shop", node, "sotw", "127.0.0.1:1",
                SENT, Map.of(LDS, type(LDS, "2", "2", "", ""), CDS, type(CDS, "1", "1", "", "")),
                ResourceSet.empty());
        ClientConfig c = SyncStatusProtos.clientConfig(status, "Kubernetes");
        assertThat(c.getNode().getId()).isEqualTo("web-0.shop");
        assertThat(c.getNode().getMetadata().getFieldsMap()).containsOnlyKeys("CLUSTER_ID", "NAMESPACE",
                "ISTIO_VERSION");
        assertThat(c.getNode().getMetadata().getFieldsOrThrow("ISTIO_VERSION").getStringValue()).isEqualTo("1.29.0");
        assertThat(c.getGenericXdsConfigsList()).extracting(ClientConfig.GenericXdsConfig::getTypeUrl)
                .containsExactly(CDS, LDS);
    }
}
