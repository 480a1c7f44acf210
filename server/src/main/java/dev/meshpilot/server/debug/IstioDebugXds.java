package dev.meshpilot.server.debug;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import dev.meshpilot.server.ads.ConnectionRegistry;
import dev.meshpilot.server.ads.ConnectionStatus;
import dev.meshpilot.server.ads.DebugAnswer;
import dev.meshpilot.server.ads.DebugRequest;
import dev.meshpilot.server.ads.DebugTypes;
import dev.meshpilot.server.ads.DebugXdsHandler;
import dev.meshpilot.server.ads.ProxyConnection;
import io.envoyproxy.envoy.config.core.v3.ControlPlane;
import io.envoyproxy.envoy.service.discovery.v3.Resource;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * istiod's answers to Istio's debug xDS types, from the streams' published status (the same data as
 * {@code /debug/syncz} and {@code /debug/config_dump}):
 * <ul>
 *   <li>{@code istio.io/debug/syncz}: one {@code ClientConfig} per connected proxy ({@link SyncStatusProtos}),
 *       named by proxy id, with the control-plane identifier istioctl shows in its ISTIOD column;</li>
 *   <li>{@code istio.io/debug/config_dump} with exactly one {@code POD.NS} in {@code resource_names}: that proxy's
 *       config dump, one resource per {@code *ConfigDump} section as istiod sends it (no EDS section); a proxy
 *       not connected here, or not exactly one name, gets an answer with no resources and a log line, as
 *       istiod does;</li>
 *   <li>{@code istio.io/debug} (istiod's generic type, {@code istioctl x internal-debug}) with one resource name
 *       like {@code syncz} or {@code config_dump?proxyID=POD.NS}: that debug endpoint's body as the bytes of an
 *       {@code Any} typed {@code istio.io/debug};</li>
 *   <li>anything else below {@code istio.io/debug/}: not served; an answer with no resources and a log line.</li>
 * </ul>
 */
public final class IstioDebugXds implements DebugXdsHandler {
    private static final Logger LOG = Logger.getLogger(IstioDebugXds.class.getName());

    private final ConnectionRegistry connections;
    private final LongSupplier meshVersion;
    private final ControlPlane controlPlane;
    private final Function<String, String> debugPages;

    /**
     * @param meshVersion the version of the served mesh state, sent as each answer's {@code version_info}
     * @param debugPages  the body of the debug endpoint named like {@code syncz} or {@code config_dump?proxyID=x}
     *                    ({@link DebugServer#page}), for the generic {@code istio.io/debug} type
     */
    public IstioDebugXds(ConnectionRegistry connections, LongSupplier meshVersion,
                         Function<String, String> debugPages) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.meshVersion = Objects.requireNonNull(meshVersion, "meshVersion");
        this.debugPages = Objects.requireNonNull(debugPages, "debugPages");
        this.controlPlane = ControlPlane.newBuilder().setIdentifier(controlPlaneIdentifier()).build();
    }

    @Override
    public DebugAnswer answer(DebugRequest request) {
        String version = Long.toString(meshVersion.getAsLong());
        return switch (request.typeUrl()) {
            case DebugTypes.SYNCZ -> new DebugAnswer(version, controlPlane, syncz());
            case DebugTypes.CONFIG_DUMP -> new DebugAnswer(version, ControlPlane.getDefaultInstance(),
                    configDump(request.resourceNames()));
            case DebugTypes.DEBUG -> new DebugAnswer(version, ControlPlane.getDefaultInstance(),
                    debugPage(request.resourceNames()));
            default -> {
                LOG.info(() -> "xds: debug type " + request.typeUrl() + " is not served (asked by "
                        + request.caller().getId() + "); answered with no resources");
                yield DebugAnswer.empty(version);
            }
        };
    }

    /**
     * istiod's {@code DebugGen}: exactly one name, the debug endpoint's body as the value of an {@code Any} whose
     * type URL is {@code istio.io/debug}, named by the request.
     */
    private List<Resource> debugPage(List<String> names) {
        if (names.size() != 1) {
            LOG.info(() -> "xds: " + DebugTypes.DEBUG + " with " + names.size()
                    + " resource names (expected one, like syncz); answered with no resources");
            return List.of();
        }
        String body = debugPages.apply(names.get(0));
        return List.of(Resource.newBuilder().setName(names.get(0)).setResource(Any.newBuilder()
                .setTypeUrl(DebugTypes.DEBUG).setValue(ByteString.copyFromUtf8(body))).build());
    }

    private List<Resource> syncz() {
        return connections.all().stream()
                .map(ProxyConnection::status)
                .filter(Objects::nonNull)
                .sorted(Comparator.comparing(ConnectionStatus::proxyId).thenComparingLong(ConnectionStatus::connectionId))
                .map(s -> Resource.newBuilder().setName(s.proxyId())
                        .setResource(Any.pack(SyncStatusProtos.clientConfig(s, DebugServer.CLUSTER_ID))).build())
                .toList();
    }

    private List<Resource> configDump(List<String> names) {
        if (names.size() != 1) {
            LOG.info(() -> "xds: " + DebugTypes.CONFIG_DUMP + " with " + names.size()
                    + " resource names (expected one POD.NS); answered with no resources");
            return List.of();
        }
        String proxyId = names.get(0);
        Optional<ConnectionStatus> status = connections.byProxyId(proxyId).map(ProxyConnection::status);
        if (status.isEmpty()) {
            LOG.info(() -> "xds: " + DebugTypes.CONFIG_DUMP + ": no connection for proxy " + proxyId
                    + "; answered with no resources");
            return List.of();
        }
        return ConfigDumpBuilder.of(status.get(), false).getConfigsList().stream()
                .map(any -> Resource.newBuilder().setResource(any).build())
                .toList();
    }

    /**
     * istiod's {@code IstioControlPlaneInstance} as JSON: istioctl reads {@code ID} into its ISTIOD column and
     * {@code Info.version} for {@code istioctl version}.
     */
    static String controlPlaneIdentifier() {
        String version = DebugServer.class.getPackage().getImplementationVersion();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("version", version == null ? "dev" : version);
        info.put("revision", "");
        info.put("golang_version", "");
        info.put("status", "");
        info.put("tag", "");
        Map<String, Object> instance = new LinkedHashMap<>();
        instance.put("Component", "meshpilot");
        instance.put("ID", DebugServer.CONTROL_PLANE_ID);
        instance.put("Info", info);
        try {
            return new ObjectMapper().writeValueAsString(instance);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
