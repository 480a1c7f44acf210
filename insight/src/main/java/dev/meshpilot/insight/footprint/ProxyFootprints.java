package dev.meshpilot.insight.footprint;

import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.insight.model.ConfigCounts;
import dev.meshpilot.insight.model.EnvoyMemoryModel;
import dev.meshpilot.xds.resource.ProxyResources;

import java.util.Objects;
import java.util.Optional;

/**
 * Turns the resources a proxy is served into its {@link ProxyFootprint}: counts and bytes measured in the
 * resources, memory estimated by the Envoy model (Envoy sidecars only). The one place both the offline report and
 * the live view measure a proxy, so the two always agree.
 */
public final class ProxyFootprints {

    private final EnvoyMemoryModel model;
    private final ResourceMeasure measure;

    public ProxyFootprints(EnvoyMemoryModel model, ResourceMeasure measure) {
        this.model = Objects.requireNonNull(model, "model");
        this.measure = Objects.requireNonNull(measure, "measure");
    }

    /** Istio sidecar defaults: {@code workers} worker threads, Istio stats, no assumed mTLS. */
    public static ProxyFootprints istioDefaults(int workers) {
        return new ProxyFootprints(EnvoyMemoryModel.istioSidecar(workers), new ResourceMeasure(false));
    }

    public EnvoyMemoryModel model() {
        return model;
    }

    /**
     * @param scopeName the Sidecar that scoped the proxy ({@code default-sidecar} when none)
     */
    public ProxyFootprint of(ProxyIdentity proxy, String scopeName, ProxyResources resources) {
        ConfigCounts counts = measure.counts(resources);
        return new ProxyFootprint(proxy.proxyId(), proxy.namespace(), resources.kind(), scopeName, counts,
                measure.bytes(resources),
                resources.kind().isEnvoy() ? Optional.of(model.estimate(counts)) : Optional.empty());
    }
}
