package dev.meshpilot.server.debug;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import dev.meshpilot.server.ads.ConnectionStatus;
import dev.meshpilot.server.ads.TypeStatus;
import io.envoyproxy.envoy.admin.v3.UpdateFailureState;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.status.v3.ClientConfig;
import io.envoyproxy.envoy.service.status.v3.ConfigStatus;

import java.time.Instant;
import java.util.Comparator;

/**
 * One connected proxy's sync status as istiod's {@code StatusGen} reports it for {@code istio.io/debug/syncz}: an
 * {@code envoy.service.status.v3.ClientConfig} whose node is the proxy id ({@code POD.NS}) with the metadata
 * istioctl reads ({@code CLUSTER_ID}, {@code NAMESPACE}, {@code ISTIO_VERSION}, each only when known), and per
 * subscribed type a {@code generic_xds_configs} entry (sorted by type URL) with the type URL, the status
 * (SYNCED, STALE, NOT_SENT, ERROR), the time of the last send, the client's last rejection as
 * {@code error_state}, and, beyond what istiod fills in, the version last sent.
 */
final class SyncStatusProtos {
    private SyncStatusProtos() {
    }

    static ClientConfig clientConfig(ConnectionStatus status, String clusterId) {
        Struct.Builder metadata = Struct.newBuilder();
        putIfKnown(metadata, "CLUSTER_ID", clusterId);
        putIfKnown(metadata, "NAMESPACE", status.namespace());
        Value version = status.node().getMetadata().getFieldsMap().get("ISTIO_VERSION");
        putIfKnown(metadata, "ISTIO_VERSION", version == null ? "" : version.getStringValue());
        ClientConfig.Builder config = ClientConfig.newBuilder()
                .setNode(Node.newBuilder().setId(status.proxyId()).setMetadata(metadata));
        status.types().values().stream().sorted(Comparator.comparing(TypeStatus::typeUrl))
                .forEach(t -> config.addGenericXdsConfigs(typeConfig(t)));
        return config.build();
    }

    static ClientConfig.GenericXdsConfig typeConfig(TypeStatus t) {
        ClientConfig.GenericXdsConfig.Builder c = ClientConfig.GenericXdsConfig.newBuilder()
                .setTypeUrl(t.typeUrl())
                .setConfigStatus(configStatus(t.state()))
                .setVersionInfo(t.sentVersion());
        if (t.sentAt() != null) {
            c.setLastUpdated(timestamp(t.sentAt()));
        }
        if (!t.lastError().isEmpty()) {
            UpdateFailureState.Builder failure = UpdateFailureState.newBuilder().setDetails(t.lastError());
            Instant attempt = t.sentAt() != null ? t.sentAt() : t.lastErrorAt();
            if (attempt != null) {
                failure.setLastUpdateAttempt(timestamp(attempt));
            }
            c.setErrorState(failure);
        }
        return c.build();
    }

    static ConfigStatus configStatus(TypeStatus.SyncState state) {
        return switch (state) {
            case NOT_SENT -> ConfigStatus.NOT_SENT;
            case SYNCED -> ConfigStatus.SYNCED;
            case STALE -> ConfigStatus.STALE;
            case ERROR -> ConfigStatus.ERROR;
        };
    }

    private static void putIfKnown(Struct.Builder metadata, String key, String value) {
        if (value != null && !value.isEmpty()) {
            metadata.putFields(key, Value.newBuilder().setStringValue(value).build());
        }
    }

    private static Timestamp timestamp(Instant t) {
        return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
    }
}
