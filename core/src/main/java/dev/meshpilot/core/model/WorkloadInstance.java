package dev.meshpilot.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * One pod: given as a Pod, or synthesized from a Deployment/StatefulSet ({@code NAME-0}, ...) when the
 * manifests hold no Pods. {@code workloadName} is the owning Deployment/StatefulSet (empty for a bare pod).
 *
 * @param containerPorts named container ports (name to number), which resolve a Service's named
 *                       {@code targetPort}; empty when the manifest declares none
 * @param ready          the pod's {@code Ready} condition (a pod written without status, or synthesized, is ready)
 * @param terminating    the pod is being deleted ({@code metadata.deletionTimestamp} is set)
 */
public record WorkloadInstance(ObjectMeta meta, String ip, String serviceAccount, String workloadKind,
                               String workloadName, Locality locality, boolean synthesized,
                               Map<String, Integer> containerPorts, boolean ready, boolean terminating) {

    /** A ready pod that is not terminating. */
    public WorkloadInstance(ObjectMeta meta, String ip, String serviceAccount, String workloadKind,
                            String workloadName, Locality locality, boolean synthesized,
                            Map<String, Integer> containerPorts) {
        this(meta, ip, serviceAccount, workloadKind, workloadName, locality, synthesized, containerPorts, true, false);
    }

    /** A ready pod without named container ports. */
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

    /** This pod attributed to its owning workload. */
    public WorkloadInstance withOwner(String kind, String name) {
        return new WorkloadInstance(meta, ip, serviceAccount, kind, name, locality, synthesized, containerPorts, ready,
                terminating);
    }

    /** This pod with another address. */
    public WorkloadInstance withIp(String address) {
        return new WorkloadInstance(meta, address, serviceAccount, workloadKind, workloadName, locality, synthesized,
                containerPorts, ready, terminating);
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

    /** Istio's label carrying an endpoint's TLS mode ({@code istio} for a pod with a sidecar). */
    public static final String TLS_MODE_LABEL = "security.istio.io/tlsMode";
    /** The annotation Istio's sidecar injector writes on every pod it injected. */
    public static final String SIDECAR_STATUS_ANNOTATION = "sidecar.istio.io/status";

    /**
     * True when the pod runs an Istio sidecar and so accepts Istio mutual TLS: its {@value #TLS_MODE_LABEL} label
     * says {@code istio}, or, without that label, it carries the injector's {@value #SIDECAR_STATUS_ANNOTATION}.
     */
    public boolean inMesh() {
        String mode = meta.labels().get(TLS_MODE_LABEL);
        if (mode != null) {
            return mode.equals("istio");
        }
        return meta.annotations().containsKey(SIDECAR_STATUS_ANNOTATION);
    }

    /** {@code POD.NS}, the proxy id every tool prints. */
    public String proxyId() {
        return meta.name() + "." + meta.namespace();
    }
}
