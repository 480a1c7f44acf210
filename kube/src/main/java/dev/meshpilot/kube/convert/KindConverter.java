package dev.meshpilot.kube.convert;

import dev.meshpilot.core.registry.MeshObjects;

/** Converts objects of one kind; throws {@link FieldException} for a field the user got wrong. */
interface KindConverter {
    void convert(ObjectHeader header, Field root, MeshObjects.Builder out);
}
