package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.Locality;

import java.util.Map;
import java.util.Objects;

/**
 * One endpoint of one service port, as EDS needs it: an address and port, its health, and the pod behind it
 * (name and labels, which subsets select on) with its locality.
 *
 * @param podName   the pod behind the endpoint; empty when unknown (e.g. a ServiceEntry endpoint)
 * @param labels    the pod's labels, or a ServiceEntry endpoint's labels
 * @param weight    load-balancing weight; 0 means unset
 * @param inMesh    the endpoint accepts Istio mutual TLS (its pod runs a sidecar, or a ServiceEntry endpoint is
 *                  labelled {@code security.istio.io/tlsMode: istio}); Istio's endpoint {@code TLSMode}
 */
public record ServiceEndpoint(String address, int port, Health health, String podName, Map<String, String> labels,
                              Locality locality, int weight, boolean inMesh) {

    /** Endpoint health after Kubernetes' conditions: ready, else serving-and-terminating (draining), else not. */
    public enum Health { HEALTHY, UNHEALTHY, DRAINING }

    public ServiceEndpoint {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(health, "health");
        podName = podName == null ? "" : podName;
        labels = Map.copyOf(labels == null ? Map.of() : labels);
        locality = locality == null ? Locality.UNKNOWN : locality;
    }

    /** An endpoint whose TLS mode comes from its labels ({@code security.istio.io/tlsMode: istio}). */
    public ServiceEndpoint(String address, int port, Health health, String podName, Map<String, String> labels,
                           Locality locality, int weight) {
        this(address, port, health, podName, labels, locality, weight,
                labels != null && "istio".equals(labels.get(dev.meshpilot.core.model.WorkloadInstance.TLS_MODE_LABEL)));
    }

    public ServiceEndpoint(String address, int port, Health health, String podName, Map<String, String> labels,
                           Locality locality) {
        this(address, port, health, podName, labels, locality, 0);
    }
}
