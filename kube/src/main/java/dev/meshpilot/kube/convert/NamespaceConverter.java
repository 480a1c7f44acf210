package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.registry.MeshObjects;

/** {@code v1 Namespace}: its name, labels (discovery selectors read them) and annotations (pins). */
final class NamespaceConverter implements KindConverter {
    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        if (!Names.isDns1123Label(header.meta().name())) {
            throw root.get("metadata").get("name").error("\"" + header.meta().name()
                    + "\" is not a valid namespace name (DNS-1123 label)");
        }
        out.namespace(new NamespaceInfo(header.meta().name(), header.meta().labels(), header.meta().annotations()));
    }
}
