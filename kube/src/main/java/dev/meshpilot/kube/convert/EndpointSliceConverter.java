package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code discovery.k8s.io/v1 EndpointSlice}: the owning service (label {@code kubernetes.io/service-name}), ports
 * and endpoints; conditions take Kubernetes' defaults (ready unset = ready, serving unset = ready, terminating
 * unset = false); the zone is kept as the endpoint's locality.
 */
final class EndpointSliceConverter implements KindConverter {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        String serviceName = header.meta().labels().get(SERVICE_NAME_LABEL);
        if (serviceName == null || serviceName.isEmpty()) {
            throw root.get("metadata").get("labels").error("label " + SERVICE_NAME_LABEL
                    + " is required to tie the slice to its Service");
        }
        List<EndpointSliceInfo.SlicePort> ports = new ArrayList<>();
        for (Field port : root.get("ports").list()) {
            port.requiredObject();
            int number = port.get("port").integer(0);
            if (number != 0) {
                port.get("port").checkPort(number);
            }
            ports.add(new EndpointSliceInfo.SlicePort(port.get("name").string(""), number,
                    port.get("protocol").string("TCP")));
        }
        List<EndpointSliceInfo.SliceEndpoint> endpoints = new ArrayList<>();
        for (Field endpoint : root.get("endpoints").list()) {
            endpoint.requiredObject();
            List<String> addresses = endpoint.get("addresses").stringList();
            if (addresses.isEmpty()) {
                throw endpoint.get("addresses").error("is required (at least one address)");
            }
            Field conditions = endpoint.get("conditions").requireObjectIfPresent();
            boolean ready = conditions.get("ready").bool(true);
            boolean serving = conditions.get("serving").bool(ready);
            boolean terminating = conditions.get("terminating").bool(false);
            Field targetRef = endpoint.get("targetRef").requireObjectIfPresent();
            String pod = targetRef.get("kind").string("Pod").equals("Pod") ? targetRef.get("name").string("") : "";
            Locality locality = new Locality("", endpoint.get("zone").string(""));
            endpoints.add(new EndpointSliceInfo.SliceEndpoint(addresses, ready, serving, terminating, pod, locality));
        }
        out.endpointSlice(new EndpointSliceInfo(header.meta(), serviceName, ports, endpoints));
    }
}
