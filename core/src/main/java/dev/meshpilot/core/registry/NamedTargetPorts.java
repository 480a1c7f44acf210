package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.WorkloadInstance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A Service port whose {@code targetPort} names a container port ({@code targetPort: http}) targets, on each pod,
 * the number that pod gives that name. When every selected pod that names it agrees, the service record's target
 * port becomes that number (inbound clusters use it); otherwise it stays the service port and endpoints resolve it
 * per pod.
 */
final class NamedTargetPorts {

    private NamedTargetPorts() {
    }

    static List<MeshService> resolve(List<MeshService> services, List<WorkloadInstance> workloads) {
        Map<String, List<WorkloadInstance>> podsByNamespace = null;
        List<MeshService> out = new ArrayList<>(services.size());
        for (MeshService service : services) {
            if (!service.isKubernetes() || service.selector().isEmpty()
                    || service.ports().stream().allMatch(p -> p.targetPortName().isEmpty())) {
                out.add(service);
                continue;
            }
            if (podsByNamespace == null) {
                podsByNamespace = new HashMap<>();
                for (WorkloadInstance w : workloads) {
                    podsByNamespace.computeIfAbsent(w.namespace(), k -> new ArrayList<>()).add(w);
                }
            }
            List<WorkloadInstance> selected = podsByNamespace.getOrDefault(service.namespace(), List.of()).stream()
                    .filter(w -> w.labels().entrySet().containsAll(service.selector().entrySet()))
                    .toList();
            List<ServicePort> ports = new ArrayList<>();
            for (ServicePort port : service.ports()) {
                ports.add(port.targetPortName().isEmpty() ? port : resolved(port, selected));
            }
            out.add(ports.equals(service.ports()) ? service : service.withPorts(ports));
        }
        return out;
    }

    private static ServicePort resolved(ServicePort port, List<WorkloadInstance> pods) {
        TreeSet<Integer> numbers = new TreeSet<>();
        for (WorkloadInstance pod : pods) {
            Integer number = pod.containerPorts().get(port.targetPortName());
            if (number != null) {
                numbers.add(number);
            }
        }
        if (numbers.size() != 1) {
            return port;
        }
        return new ServicePort(port.name(), port.port(), numbers.first(), port.targetPortName(), port.protocol());
    }

    /** The number a pod gives a service port's target: its named container port if it has one, else the target. */
    static int targetOn(WorkloadInstance pod, ServicePort port) {
        if (!port.targetPortName().isEmpty()) {
            Integer number = pod.containerPorts().get(port.targetPortName());
            if (number != null) {
                return number;
            }
        }
        return port.targetPort();
    }
}
