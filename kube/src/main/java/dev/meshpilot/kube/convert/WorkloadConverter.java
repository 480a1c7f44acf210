package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.LabelSelector;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.Map;

/**
 * {@code apps/v1 Deployment} and {@code StatefulSet}: replicas (default 1), selector, template labels and
 * annotations, service account and named container ports.
 */
final class WorkloadConverter implements KindConverter {

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        Field spec = root.get("spec").requiredObject();
        int replicas = spec.get("replicas").integer(1);
        if (replicas < 0) {
            throw spec.get("replicas").error("must not be negative");
        }
        LabelSelector selector = Selectors.labelSelector(spec.get("selector").requiredObject());
        Field template = spec.get("template").requireObjectIfPresent();
        Field templateMeta = template.get("metadata").requireObjectIfPresent();
        Map<String, String> labels = templateMeta.get("labels").stringMap();
        Map<String, String> annotations = templateMeta.get("annotations").stringMap();
        Field podSpec = template.get("spec").requireObjectIfPresent();
        String serviceAccount = podSpec.get("serviceAccountName").optString()
                .orElse(podSpec.get("serviceAccount").string(""));
        if (!selector.matches(labels)) {
            throw spec.get("selector").error("does not match the template labels " + labels);
        }
        out.workloadGroup(new WorkloadGroup(header.kind(), header.meta(), replicas, labels, serviceAccount, selector,
                ContainerPorts.of(podSpec), annotations));
    }
}
