package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code networking.istio.io} ServiceEntry: one external service record per host (R2) sharing ports, resolution
 * (NONE is passthrough, STATIC client-side load balancing, DNS, DNS_ROUND_ROBIN), addresses, inline endpoints,
 * workload selector, location (MESH_EXTERNAL unless MESH_INTERNAL) and exportTo. Unknown fields are errors.
 */
final class ServiceEntryConverter implements KindConverter {

    private static final Set<String> SPEC = Set.of("hosts", "addresses", "ports", "location", "resolution",
            "endpoints", "workloadSelector", "exportTo", "subjectAltNames");
    private static final Set<String> PORT = Set.of("number", "protocol", "name", "targetPort");
    private static final Set<String> ENDPOINT = Set.of("address", "ports", "labels", "network", "locality", "weight",
            "serviceAccount");
    private static final Set<String> WORKLOAD_SELECTOR = Set.of("labels");

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        Field spec = root.get("spec").requiredObject().object(SPEC);
        List<String> hosts = spec.get("hosts").stringList();
        if (hosts.isEmpty()) {
            throw spec.get("hosts").error("is required (at least one host)");
        }
        List<Field> hostFields = spec.get("hosts").list();
        for (int i = 0; i < hosts.size(); i++) {
            if (!Names.isWildcardDnsName(hosts.get(i))) {
                throw hostFields.get(i).error("\"" + hosts.get(i) + "\" is not a valid host name");
            }
        }
        List<ServicePort> ports = new ArrayList<>();
        Set<String> portNames = new HashSet<>();
        for (Field port : spec.get("ports").list()) {
            port.requiredObject().object(PORT);
            int number = port.get("number").port();
            String name = port.get("name").string("");
            if (!name.isEmpty() && !portNames.add(name)) {
                throw port.get("name").error("duplicate port name \"" + name + "\"");
            }
            String protocolName = port.get("protocol").string("");
            Protocol protocol = protocolName.isEmpty() ? Protocol.forServicePort("TCP", "", name)
                    : Protocol.parse(protocolName).orElseThrow(() -> port.get("protocol").error(
                            "unknown protocol \"" + protocolName + "\""));
            int targetPort = port.get("targetPort").integer(number);
            port.get("targetPort").checkPort(targetPort);
            ports.add(new ServicePort(name, number, targetPort, "", protocol));
        }
        String location = spec.get("location").string("MESH_EXTERNAL");
        if (!location.equals("MESH_EXTERNAL") && !location.equals("MESH_INTERNAL")) {
            throw spec.get("location").error("unknown location \"" + location + "\" (use MESH_EXTERNAL or MESH_INTERNAL)");
        }
        Field resolutionField = spec.get("resolution");
        String resolutionName = resolutionField.string("NONE");
        MeshService.Resolution resolution = switch (resolutionName) {
            case "NONE" -> MeshService.Resolution.PASSTHROUGH;
            case "STATIC" -> MeshService.Resolution.CLIENT_SIDE_LB;
            case "DNS" -> MeshService.Resolution.DNS;
            case "DNS_ROUND_ROBIN" -> MeshService.Resolution.DNS_ROUND_ROBIN;
            default -> throw resolutionField.error("unknown resolution \"" + resolutionName
                    + "\" (use NONE, STATIC, DNS or DNS_ROUND_ROBIN)");
        };
        List<MeshService.ServiceEntryEndpoint> endpoints = new ArrayList<>();
        for (Field endpoint : spec.get("endpoints").list()) {
            endpoint.requiredObject().object(ENDPOINT);
            int weight = endpoint.get("weight").integer(0);
            if (weight < 0) {
                throw endpoint.get("weight").error("must not be negative");
            }
            endpoints.add(new MeshService.ServiceEntryEndpoint(endpoint.get("address").string(),
                    endpoint.get("ports").intMap(), endpoint.get("labels").stringMap(),
                    endpoint.get("locality").string(""), weight));
        }
        Field selectorField = spec.get("workloadSelector").object(WORKLOAD_SELECTOR);
        Map<String, String> selector = selectorField.get("labels").stringMap();
        if (selectorField.isPresent() && !endpoints.isEmpty()) {
            throw spec.get("workloadSelector").error("cannot be combined with endpoints");
        }
        if (resolution == MeshService.Resolution.CLIENT_SIDE_LB && endpoints.isEmpty() && !selectorField.isPresent()) {
            throw spec.get("endpoints").error("are required with resolution STATIC (or use a workloadSelector)");
        }
        List<String> exportTo = ExportTo.read(spec.get("exportTo"), header.meta().namespace(), true);
        List<String> addresses = spec.get("addresses").stringList();
        for (String host : hosts) {
            out.service(new MeshService(host, header.meta().namespace(), MeshService.Registry.EXTERNAL, header.meta(),
                    ports, selector, exportTo, resolution, addresses, location.equals("MESH_EXTERNAL"), endpoints));
        }
    }
}
