package dev.meshpilot.server.ads;

import io.envoyproxy.envoy.config.core.v3.ControlPlane;
import io.envoyproxy.envoy.service.discovery.v3.Resource;

import java.util.List;
import java.util.Objects;

/**
 * The answer to one {@link DebugRequest}: resources (each an {@code Any}, with a name where the type has one), the
 * version of the state they describe, and the control-plane identifier istioctl reads (set for syncz only, as
 * istiod does). An answer with no resources is what istiod sends for a request it cannot serve.
 *
 * @param controlPlane {@link ControlPlane#getDefaultInstance()} for none
 */
public record DebugAnswer(String versionInfo, ControlPlane controlPlane, List<Resource> resources) {
    public DebugAnswer {
        Objects.requireNonNull(versionInfo, "versionInfo");
        Objects.requireNonNull(controlPlane, "controlPlane");
        resources = List.copyOf(resources);
    }

    public static DebugAnswer empty(String versionInfo) {
        return new DebugAnswer(versionInfo, ControlPlane.getDefaultInstance(), List.of());
    }
}
