package dev.meshpilot.xds.generate;

import dev.meshpilot.xds.naming.XdsNames;

import java.util.Objects;

/**
 * How {@link ProxyConfigGenerator} shapes what it generates beyond what the mesh says. Immutable.
 *
 * <p>With {@code accessLog} on, Envoy sidecars (never proxyless gRPC clients) send access logs to meshpilot's
 * access-log service over the gRPC cluster the proxy's bootstrap defines for the control plane: every connection or
 * request that leaves through {@code PassthroughCluster}, {@code BlackHoleCluster} or a learning fallback path, and
 * a sample of in-scope traffic ({@code inScopeSampleRate}, none when 0).
 *
 * @param accessLog           whether sidecars send access logs to meshpilot
 * @param controlPlaneCluster the bootstrap cluster that reaches meshpilot's xDS port (Istio's is {@code xds-grpc})
 * @param inScopeSampleRate   the fraction (0 to 1) of in-scope requests and connections logged
 * @param logName             the {@code log_name} identifying these logs to the access-log service
 */
public record GeneratorOptions(boolean accessLog, String controlPlaneCluster, double inScopeSampleRate, String logName) {

    /** The in-scope sample rate learning uses unless told otherwise: one request or connection in a hundred. */
    public static final double DEFAULT_IN_SCOPE_SAMPLE_RATE = 0.01;
    /** The {@code log_name} meshpilot's sidecars use unless told otherwise. */
    public static final String DEFAULT_LOG_NAME = "meshpilot-learning";

    private static final GeneratorOptions DEFAULTS = new GeneratorOptions(false, XdsNames.CONTROL_PLANE_CLUSTER,
            DEFAULT_IN_SCOPE_SAMPLE_RATE, DEFAULT_LOG_NAME);

    public GeneratorOptions {
        Objects.requireNonNull(controlPlaneCluster, "controlPlaneCluster");
        Objects.requireNonNull(logName, "logName");
        if (controlPlaneCluster.isEmpty()) {
            throw new IllegalArgumentException("the control-plane cluster name must not be empty");
        }
        if (logName.isEmpty()) {
            throw new IllegalArgumentException("the access-log log_name must not be empty");
        }
        if (!(inScopeSampleRate >= 0 && inScopeSampleRate <= 1)) {
            throw new IllegalArgumentException("the in-scope sample rate is a fraction from 0 to 1, not "
                    + inScopeSampleRate);
        }
    }

    /** Today's generation: no access logs (the other fields keep their defaults for when logging is turned on). */
    public static GeneratorOptions defaults() {
        return DEFAULTS;
    }

    /** Access logs to meshpilot over {@code xds-grpc}, 1% of in-scope traffic, log name {@value #DEFAULT_LOG_NAME}. */
    public static GeneratorOptions learning() {
        return DEFAULTS.withAccessLog(true);
    }

    public GeneratorOptions withAccessLog(boolean on) {
        return new GeneratorOptions(on, controlPlaneCluster, inScopeSampleRate, logName);
    }

    public GeneratorOptions withControlPlaneCluster(String cluster) {
        return new GeneratorOptions(accessLog, cluster, inScopeSampleRate, logName);
    }

    public GeneratorOptions withInScopeSampleRate(double rate) {
        return new GeneratorOptions(accessLog, controlPlaneCluster, rate, logName);
    }

    public GeneratorOptions withLogName(String name) {
        return new GeneratorOptions(accessLog, controlPlaneCluster, inScopeSampleRate, name);
    }
}
