package dev.meshpilot.xds.generate;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.xds.json.XdsJson;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.envoyproxy.envoy.type.v3.FractionalPercent.DenominatorType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The learning access loggers on a sidecar's outbound listeners ({@link AccessLogs}). */
class AccessLogShapesTest {

    private static final String REDIS_VIP = "10.96.0.40";

    private static TestMesh mesh() {
        TestMesh mesh = TestMesh.bookinfo();
        mesh.service("redis", "default", REDIS_VIP, Map.of("app", "redis"),
                TestMesh.port("tcp-redis", 6379, 6379, Protocol.TCP));
        return mesh;
    }

    private static ProxyResources generate(GeneratorOptions options, ProxyIdentity.ProxyKind kind) {
        TestMesh mesh = mesh();
        ProxyIdentity proxy = new ProxyIdentity("productpage-v1-0", "default", Map.of("app", "productpage"),
                "10.0.0.10", kind);
        return new ProxyConfigGenerator(options).generate(mesh.snapshot(), proxy, mesh.scope("default"));
    }

    private static ProxyResources sidecar(GeneratorOptions options) {
        return generate(options, ProxyIdentity.ProxyKind.SIDECAR);
    }

    private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
        try {
            return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static Listener listener(ProxyResources r, String name) {
        return (Listener) r.listeners().get(name).orElseThrow().proto();
    }

    private static TcpProxy tcpProxy(Listener listener, int chain) {
        // the tcp_proxy is the last filter (istio-proxy puts istio.stats before it)
        var filters = listener.getFilterChains(chain).getFiltersList();
        return unpack(filters.get(filters.size() - 1).getTypedConfig(), TcpProxy.class);
    }

    @Test
    void accessLogOff_isTodaysGenerationByteForByte() {
        ProxyResources off = sidecar(GeneratorOptions.learning().withAccessLog(false));
        ProxyResources today = new ProxyConfigGenerator().generate(mesh().snapshot(),
                new ProxyIdentity("productpage-v1-0", "default", Map.of("app", "productpage"), "10.0.0.10",
                        ProxyIdentity.ProxyKind.SIDECAR), mesh().scope("default"));
        for (XdsType type : XdsType.values()) {
            assertThat(XdsJson.printArray(off.get(type))).isEqualTo(XdsJson.printArray(today.get(type)));
            assertThat(XdsJson.printArray(off.get(type))).doesNotContain("access_log");
        }
    }

    @Test
    void proxylessGrpc_getsNoAccessLogConfig() {
        ProxyResources learning = generate(GeneratorOptions.learning(), ProxyIdentity.ProxyKind.PROXYLESS_GRPC);
        ProxyResources today = generate(GeneratorOptions.defaults(), ProxyIdentity.ProxyKind.PROXYLESS_GRPC);
        assertThat(learning.totalBytes()).isEqualTo(today.totalBytes());
        assertThat(XdsJson.printArray(learning.get(XdsType.LISTENER))).doesNotContain("access_log");
    }

    @Test
    void passthroughAndBlackholeChains_logEveryConnectionToTheConfiguredCluster() {
        ProxyResources r = sidecar(GeneratorOptions.learning().withControlPlaneCluster("meshpilot-xds")
                .withLogName("learn"));
        Listener outbound = listener(r, XdsNames.VIRTUAL_OUTBOUND_LISTENER);
        for (int chain = 0; chain < outbound.getFilterChainsCount(); chain++) {
            List<AccessLog> logs = tcpProxy(outbound, chain).getAccessLogList();
            assertThat(logs).singleElement().satisfies(log -> {
                assertThat(log.getName()).isEqualTo(AccessLogs.TCP_GRPC);
                assertThat(log.hasFilter()).isFalse();
                var common = unpack(log.getTypedConfig(), TcpGrpcAccessLogConfig.class).getCommonConfig();
                assertThat(common.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("meshpilot-xds");
                assertThat(common.getTransportApiVersion()).isEqualTo(ApiVersion.V3);
                assertThat(common.getLogName()).isEqualTo("learn");
            });
        }
    }

    @Test
    void inScopeTcpProxy_samplesConnectionsAtTheConfiguredRate() {
        ProxyResources r = sidecar(GeneratorOptions.learning().withInScopeSampleRate(0.05));
        AccessLog log = tcpProxy(listener(r, REDIS_VIP + "_6379"), 0).getAccessLog(0);
        assertThat(log.getFilter().getRuntimeFilter().getRuntimeKey()).isEqualTo(AccessLogs.IN_SCOPE_RUNTIME_KEY);
        assertThat(log.getFilter().getRuntimeFilter().getPercentSampled())
                .isEqualTo(FractionalPercent.newBuilder().setNumerator(5).setDenominator(DenominatorType.HUNDRED).build());
    }

    @Test
    void connectionManager_logsPassthroughAndBlackholeAlwaysAndTheRestSampled() {
        ProxyResources r = sidecar(GeneratorOptions.learning());
        HttpConnectionManager hcm = unpack(listener(r, "0.0.0.0_9080").getFilterChains(0).getFilters(0)
                .getTypedConfig(), HttpConnectionManager.class);
        AccessLog log = hcm.getAccessLog(0);
        assertThat(log.getName()).isEqualTo(AccessLogs.HTTP_GRPC);
        var or = log.getFilter().getOrFilter().getFiltersList();
        assertThat(or).hasSize(2);
        assertThat(or.get(0).getExtensionFilter().getName()).isEqualTo(AccessLogs.CEL_FILTER);
        assertThat(unpack(or.get(0).getExtensionFilter().getTypedConfig(), ExpressionFilter.class).getExpression())
                .isEqualTo("xds.cluster_name == 'PassthroughCluster' || xds.cluster_name == 'BlackHoleCluster'");
        assertThat(or.get(1).getRuntimeFilter().getPercentSampled().getNumerator()).isEqualTo(1);
    }

    @Test
    void zeroSampleRate_leavesInScopeTrafficUnloggedButStillLogsPassthrough() {
        ProxyResources r = sidecar(GeneratorOptions.learning().withInScopeSampleRate(0));
        assertThat(tcpProxy(listener(r, REDIS_VIP + "_6379"), 0).getAccessLogList()).isEmpty();
        HttpConnectionManager hcm = unpack(listener(r, "0.0.0.0_9080").getFilterChains(0).getFilters(0)
                .getTypedConfig(), HttpConnectionManager.class);
        assertThat(hcm.getAccessLog(0).getFilter().hasExtensionFilter()).isTrue();
        assertThat(tcpProxy(listener(r, XdsNames.VIRTUAL_OUTBOUND_LISTENER), 1).getAccessLogList()).hasSize(1);
    }

    @Test
    void sampleRates_becomeTheCoarsestExactFractionalPercent() {
        assertThat(AccessLogs.fractionalPercent(0.01)).isEqualTo(percent(1, DenominatorType.HUNDRED));
        assertThat(AccessLogs.fractionalPercent(1)).isEqualTo(percent(100, DenominatorType.HUNDRED));
        assertThat(AccessLogs.fractionalPercent(0.0005)).isEqualTo(percent(5, DenominatorType.TEN_THOUSAND));
        assertThat(AccessLogs.fractionalPercent(0.000123)).isEqualTo(percent(123, DenominatorType.MILLION));
    }

    @Test
    void sampleRateOutsideZeroToOne_isRejected() {
        assertThatThrownBy(() -> GeneratorOptions.learning().withInScopeSampleRate(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fraction from 0 to 1");
        assertThatThrownBy(() -> GeneratorOptions.learning().withControlPlaneCluster(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static FractionalPercent percent(int numerator, DenominatorType denominator) {
        return FractionalPercent.newBuilder().setNumerator(numerator).setDenominator(denominator).build();
    }
}
