package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code v1 Service} to one service record (R2): host {@code NAME.NS.svc.SUFFIX}, ports with the protocol Istio
 * would pick, selector, the {@code networking.istio.io/exportTo} annotation, cluster IPs; headless services resolve
 * as passthrough and ExternalName services by DNS to their external name.
 */
final class ServiceConverter implements KindConverter {

    static final String EXPORT_TO_ANNOTATION = "networking.istio.io/exportTo";

    private final String domainSuffix;
    private final int maxPorts;

    ServiceConverter(String domainSuffix, int maxPorts) {
        this.domainSuffix = domainSuffix;
        this.maxPorts = maxPorts;
    }

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        ObjectMeta meta = header.meta();
        Field spec = root.get("spec").requireObjectIfPresent();
        String type = spec.get("type").string("ClusterIP");
        Field portsField = spec.get("ports");
        int declared = portsField.isPresent() && portsField.node().isArray() ? portsField.node().size() : 0;
        if (declared > maxPorts) {
            // Checked before the ports are read: each port costs clusters and listeners in every proxy seeing it.
            throw portsField.error("declares " + declared + " ports, more than the " + maxPorts
                    + " a Service may have here (--max-service-ports); the Service is refused");
        }
        List<ServicePort> ports = ports(portsField);
        Map<String, String> selector = spec.get("selector").stringMap();

        String annotation = meta.annotations().get(EXPORT_TO_ANNOTATION);
        List<String> exportTo = annotation == null ? List.of() : ExportTo.fromAnnotation(
                root.get("metadata").get("annotations").get(EXPORT_TO_ANNOTATION), annotation);

        MeshService.Resolution resolution = MeshService.Resolution.CLIENT_SIDE_LB;
        List<String> addresses = new ArrayList<>();
        List<MeshService.ServiceEntryEndpoint> endpoints = List.of();
        boolean meshExternal = false;
        if (type.equals("ExternalName")) {
            String externalName = spec.get("externalName").string();
            resolution = MeshService.Resolution.DNS;
            meshExternal = true;
            endpoints = List.of(new MeshService.ServiceEntryEndpoint(externalName, Map.of(), Map.of(), "", 0));
        } else {
            List<String> clusterIps = spec.get("clusterIPs").stringList();
            String clusterIp = spec.get("clusterIP").string("");
            if (clusterIp.equals("None")) {
                resolution = MeshService.Resolution.PASSTHROUGH;
            } else if (!clusterIps.isEmpty()) {
                addresses.addAll(clusterIps);
            } else if (!clusterIp.isEmpty()) {
                addresses.add(clusterIp);
            }
        }
        String hostname = meta.name() + "." + meta.namespace() + ".svc." + domainSuffix;
        out.service(new MeshService(hostname, meta.namespace(), MeshService.Registry.KUBERNETES, meta, ports, selector,
                exportTo, resolution, addresses, meshExternal, endpoints));
    }

    private static List<ServicePort> ports(Field portsField) {
        List<ServicePort> ports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<Field> items = portsField.list();
        for (Field item : items) {
            item.requiredObject();
            String name = item.get("name").string("");
            if (items.size() > 1 && name.isEmpty()) {
                throw item.get("name").error("is required when a Service has more than one port");
            }
            if (!names.add(name)) {
                throw item.get("name").error("duplicate port name \"" + name + "\"");
            }
            int port = item.get("port").port();
            String transport = item.get("protocol").string("TCP");
            String appProtocol = item.get("appProtocol").string("");
            Field target = item.get("targetPort");
            int targetPort = port;
            String targetPortName = "";
            if (target.isPresent() && target.node().isTextual()) {
                targetPortName = target.node().textValue();
            } else if (target.isPresent() && target.integer() != 0) {
                // 0 is how Kubernetes writes "unset": the port itself is the target
                targetPort = target.integer();
                target.checkPort(targetPort);
            }
            ports.add(new ServicePort(name, port, targetPort, targetPortName,
                    Protocol.forServicePort(transport, appProtocol, name)));
        }
        return ports;
    }
}
