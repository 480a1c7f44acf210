package dev.meshpilot.xds.generate;

import dev.meshpilot.xds.naming.XdsNames;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ExtensionFilter;
import io.envoyproxy.envoy.config.accesslog.v3.OrFilter;
import io.envoyproxy.envoy.config.accesslog.v3.RuntimeFilter;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.extensions.access_loggers.filters.cel.v3.ExpressionFilter;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.type.v3.FractionalPercent;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * The access loggers a sidecar's outbound listeners carry so that meshpilot can learn what the workload calls
 * ({@link GeneratorOptions#accessLog()}): Envoy's gRPC access-log service clients ({@code http_grpc} on connection
 * managers, {@code tcp_grpc} on TCP proxies) sending to the control-plane cluster of the bootstrap.
 *
 * <ul>
 *   <li>A TCP proxy to {@code PassthroughCluster}/{@code BlackHoleCluster} or on a learning fallback path logs every
 *       connection (no filter).</li>
 *   <li>A TCP proxy to a scope service samples connections with a {@code runtime_filter}: {@code percent_sampled}
 *       is the in-scope rate, overridable at runtime under {@value #IN_SCOPE_RUNTIME_KEY}; no logger at rate 0.</li>
 *   <li>A connection manager serves in-scope and fallback virtual hosts alike, so its one logger decides per request:
 *       a CEL {@code extension_filter} on the upstream cluster ({@code xds.cluster_name} is
 *       {@code PassthroughCluster} or {@code BlackHoleCluster}: the fallback virtual host and {@code allow_any} route
 *       there) or'ed with the in-scope {@code runtime_filter} (the CEL filter alone at rate 0). Requests with a
 *       {@code x-request-id} are sampled consistently across proxies, as the runtime filter does by default.</li>
 * </ul>
 * Every method returns an empty list when access logging is off, so the generated config is then exactly today's.
 */
final class AccessLogs {

    static final String HTTP_GRPC = "envoy.access_loggers.http_grpc";
    static final String TCP_GRPC = "envoy.access_loggers.tcp_grpc";
    static final String CEL_FILTER = "envoy.access_loggers.extension_filters.cel";
    /** Runtime key an operator may set (in percent, Envoy's runtime convention) to change the in-scope sample. */
    static final String IN_SCOPE_RUNTIME_KEY = "meshpilot.learning.in_scope_log_percent";

    private final GeneratorOptions options;

    AccessLogs(GeneratorOptions options) {
        this.options = options;
    }

    /** The logger of an outbound connection manager: passthrough and blackhole requests always, the rest sampled. */
    List<AccessLog> forConnectionManager() {
        if (!options.accessLog()) {
            return List.of();
        }
        AccessLogFilter outsideScope = outsideScopeFilter();
        AccessLogFilter filter = inScopeSample()
                .map(sample -> AccessLogFilter.newBuilder().setOrFilter(OrFilter.newBuilder()
                        .addFilters(outsideScope).addFilters(sample)).build())
                .orElse(outsideScope);
        return List.of(AccessLog.newBuilder().setName(HTTP_GRPC).setFilter(filter)
                .setTypedConfig(Protos.pack(HttpGrpcAccessLogConfig.newBuilder().setCommonConfig(common()).build()))
                .build());
    }

    /** The logger of a TCP proxy leaving the scope (passthrough, blackhole, fallback): every connection. */
    List<AccessLog> forTcpOutsideScope() {
        if (!options.accessLog()) {
            return List.of();
        }
        return List.of(tcp().build());
    }

    /** The logger of a TCP proxy to scope services: a sample of connections, none at rate 0. */
    List<AccessLog> forTcpInScope() {
        if (!options.accessLog()) {
            return List.of();
        }
        return inScopeSample().map(sample -> List.of(tcp().setFilter(sample).build())).orElse(List.of());
    }

    private AccessLog.Builder tcp() {
        return AccessLog.newBuilder().setName(TCP_GRPC)
                .setTypedConfig(Protos.pack(TcpGrpcAccessLogConfig.newBuilder().setCommonConfig(common()).build()));
    }

    private CommonGrpcAccessLogConfig common() {
        return CommonGrpcAccessLogConfig.newBuilder()
                .setLogName(options.logName())
                .setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder()
                        .setClusterName(options.controlPlaneCluster())))
                .setTransportApiVersion(ApiVersion.V3)
                .build();
    }

    private static AccessLogFilter outsideScopeFilter() {
        String expression = "xds.cluster_name == '" + XdsNames.PASSTHROUGH_CLUSTER + "' || xds.cluster_name == '"
                + XdsNames.BLACK_HOLE_CLUSTER + "'";
        return AccessLogFilter.newBuilder().setExtensionFilter(ExtensionFilter.newBuilder()
                .setName(CEL_FILTER)
                .setTypedConfig(Protos.pack(ExpressionFilter.newBuilder().setExpression(expression).build())))
                .build();
    }

    private Optional<AccessLogFilter> inScopeSample() {
        if (options.inScopeSampleRate() == 0) {
            return Optional.empty();
        }
        return Optional.of(AccessLogFilter.newBuilder().setRuntimeFilter(RuntimeFilter.newBuilder()
                .setRuntimeKey(IN_SCOPE_RUNTIME_KEY)
                .setPercentSampled(fractionalPercent(options.inScopeSampleRate()))).build());
    }

    /** A fraction as Envoy's FractionalPercent, with the coarsest denominator that holds it exactly (else MILLION). */
    static FractionalPercent fractionalPercent(double fraction) {
        BigDecimal value = BigDecimal.valueOf(fraction);
        for (FractionalPercent.DenominatorType type : List.of(FractionalPercent.DenominatorType.HUNDRED,
                FractionalPercent.DenominatorType.TEN_THOUSAND)) {
            BigDecimal scaled = value.multiply(BigDecimal.valueOf(denominator(type)));
            if (scaled.stripTrailingZeros().scale() <= 0) {
                return FractionalPercent.newBuilder().setNumerator(scaled.intValueExact()).setDenominator(type).build();
            }
        }
        long millionths = Math.max(1, Math.round(fraction * 1_000_000));
        return FractionalPercent.newBuilder().setNumerator((int) millionths)
                .setDenominator(FractionalPercent.DenominatorType.MILLION).build();
    }

    private static long denominator(FractionalPercent.DenominatorType type) {
        return switch (type) {
            case HUNDRED -> 100;
            case TEN_THOUSAND -> 10_000;
            default -> 1_000_000;
        };
    }
}
