package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * One pod: given as a Pod, or synthesized from a Deployment/StatefulSet ({@code NAME-0}, ...) when the
 * manifests hold no Pods. {@code workloadName} is the owning Deployment/StatefulSet (empty for a bare pod).
 *
 * @param containerPorts named container ports (name to number), which resolve a Service's named
 *                       {@code targetPort}; empty when the manifest declares none
 */
public record WorkloadInstance(ObjectMeta meta, String ip, String serviceAccount, String workloadKind,
                               String workloadName, Locality locality, boolean synthesized,
                               Map<String, Integer> containerPorts) {

    /** A pod without named container ports. */
    public WorkloadInstance(ObjectMeta meta, String ip, String serviceAccount, String workloadKind,
                            String workloadName, Locality locality, boolean synthesized) {
        this(meta, ip, serviceAccount, workloadKind, workloadName, locality, synthesized, Map.of());
    }

    public WorkloadInstance {
        Objects.requireNonNull(meta, "meta");
        ip = ip == null ? "" : ip;
        serviceAccount = serviceAccount == null ? "" : serviceAccount;
        workloadKind = workloadKind == null ? "" : workloadKind;
        workloadName = workloadName == null ? "" : workloadName;
        locality = locality == null ? Locality.UNKNOWN : locality;
        containerPorts = Map.copyOf(containerPorts == null ? Map.of() : containerPorts);
    }

    public String name() {
        return meta.name();
    }

    public String namespace() {
        return meta.namespace();
    }

    public Map<String, String> labels() {
        return meta.labels();
    }

    /** {@code POD.NS}, the proxy id every tool prints. */
    public String proxyId() {
        return meta.name() + "." + meta.namespace();
    }
}
