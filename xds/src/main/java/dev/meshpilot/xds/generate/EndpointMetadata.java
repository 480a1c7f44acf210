package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import io.envoyproxy.envoy.config.core.v3.Metadata;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code metadata} of one lb endpoint, as istiod's {@code util.AppendLbEndpointMetadata} (Istio 1.29) builds it
 * for an endpoint of one service. The one place endpoint metadata is made, for EDS and for the inline endpoints of
 * DNS clusters alike; each key has its own method here.
 *
 * <ul>
 *   <li>{@code envoy.transport_socket_match: {tlsMode: istio}} for an endpoint whose pod runs a sidecar (istio-proxy
 *       only: its outbound clusters carry the auto-mTLS {@code transport_socket_matches} this selects).</li>
 *   <li>{@code istio: {workload: "WORKLOAD;NAMESPACE;CANONICAL_NAME;CANONICAL_REVISION;CLUSTER_ID"}} for an
 *       istio-proxy only (Istio's stats filter reads it to label client metrics when the server has no sidecar or the
 *       request fails before metadata exchange). The canonical name is {@code service.istio.io/canonical-name}, else
 *       {@code app.kubernetes.io/name}, else {@code app}, else the workload name; the revision
 *       {@code service.istio.io/canonical-revision}, else {@code app.kubernetes.io/version}, else {@code version},
 *       left empty for Istio's default {@code latest}. The workload is the pod's Deployment/StatefulSet (the pod
 *       itself when bare), a ServiceEntry endpoint's the ServiceEntry's name; the cluster id is Istio's default
 *       {@code Kubernetes}.</li>
 * </ul>
 * Upstream Envoy and proxyless gRPC get none of it (nothing there reads it).
 *
 * <p>Every input is a field of the endpoint (labels) or immutable for its pod (owner), so load assignments stay
 * shareable by endpoint equality ({@link LoadAssignmentMemo}).
 */
final class EndpointMetadata {

    /** Istio's filter metadata namespace ({@code util.IstioMetadataKey}). */
    static final String ISTIO = "istio";
    /** The filter metadata namespace Envoy matches {@code transport_socket_matches} against. */
    static final String TRANSPORT_SOCKET_MATCH = "envoy.transport_socket_match";
    /** Istio's default cluster id ({@code constants.DefaultClusterName}). */
    static final String CLUSTER_ID = "Kubernetes";

    private static final List<String> NAME_LABELS = List.of("service.istio.io/canonical-name",
            "app.kubernetes.io/name", "app");
    private static final List<String> REVISION_LABELS = List.of("service.istio.io/canonical-revision",
            "app.kubernetes.io/version", "version");

    private final ProxyKind kind;
    private final MeshSnapshot snapshot;
    private final MeshService service;

    /** The metadata maker for the endpoints of {@code service}, as served to a proxy of {@code kind}. */
    EndpointMetadata(ProxyKind kind, MeshSnapshot snapshot, MeshService service) {
        this.kind = kind;
        this.snapshot = snapshot;
        this.service = service;
    }

    /** The endpoint's metadata, empty when it has none. */
    Optional<Metadata> of(ServiceEndpoint endpoint) {
        Metadata.Builder metadata = Metadata.newBuilder();
        addTlsMode(metadata, endpoint);
        addTelemetry(metadata, endpoint);
        return metadata.getFilterMetadataCount() == 0 ? Optional.empty() : Optional.of(metadata.build());
    }

    /** {@code envoy.transport_socket_match.tlsMode}, istio-proxy only, for in-mesh endpoints. */
    private void addTlsMode(Metadata.Builder metadata, ServiceEndpoint endpoint) {
        if (kind.hasIstioExtensions() && endpoint.inMesh()) {
            metadata.putFilterMetadata(TRANSPORT_SOCKET_MATCH, Protos.struct(Map.of(MtlsTransportSockets.TLS_MODE_KEY,
                    Protos.string(MtlsTransportSockets.ISTIO_TLS_MODE))));
        }
    }

    /** {@code istio.workload}, istio-proxy only. */
    private void addTelemetry(Metadata.Builder metadata, ServiceEndpoint endpoint) {
        if (!kind.hasIstioExtensions()) {
            return;
        }
        String workload = workloadName(endpoint);
        String revision = label(endpoint.labels(), REVISION_LABELS).orElse("latest");
        String value = String.join(";", workload, service.namespace(),
                label(endpoint.labels(), NAME_LABELS).orElse(workload),
                revision.equals("latest") ? "" : revision,
                CLUSTER_ID);
        putIstio(metadata, "workload", Protos.string(value));
    }

    private String workloadName(ServiceEndpoint endpoint) {
        if (endpoint.podName().isEmpty()) {
            return service.origin() == null ? "" : service.origin().name();
        }
        return snapshot.findWorkload(endpoint.podName(), service.namespace())
                .map(WorkloadInstance::workloadName)
                .filter(name -> !name.isEmpty())
                .orElse(endpoint.podName());
    }

    private static void putIstio(Metadata.Builder metadata, String key, com.google.protobuf.Value value) {
        Map<String, com.google.protobuf.Value> fields = new TreeMap<>(
                metadata.getFilterMetadataOrDefault(ISTIO, com.google.protobuf.Struct.getDefaultInstance()).getFieldsMap());
        fields.put(key, value);
        metadata.putFilterMetadata(ISTIO, Protos.struct(fields));
    }

    private static Optional<String> label(Map<String, String> labels, List<String> keys) {
        return keys.stream().filter(labels::containsKey).map(labels::get).findFirst();
    }
}
