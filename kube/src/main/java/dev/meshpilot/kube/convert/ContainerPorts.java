package dev.meshpilot.kube.convert;

import java.util.LinkedHashMap;
import java.util.Map;

/** Named container ports of a pod spec ({@code containers[].ports[]} with a name), which named target ports use. */
final class ContainerPorts {

    private ContainerPorts() {
    }

    static Map<String, Integer> of(Field podSpec) {
        Map<String, Integer> named = new LinkedHashMap<>();
        for (Field container : podSpec.get("containers").list()) {
            container.requireObjectIfPresent();
            for (Field port : container.get("ports").list()) {
                port.requiredObject();
                int number = port.get("containerPort").port();
                String name = port.get("name").string("");
                if (!name.isEmpty()) {
                    named.putIfAbsent(name, number);
                }
            }
        }
        return named;
    }
}
