package dev.meshpilot.kube.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Between fabric8's objects (serialized by its own Jackson 3) and the Jackson 2 trees meshpilot's code reads and
 * builds. {@code metadata.managedFields} is dropped on the way in: it is the API server's bookkeeping.
 */
public final class ObjectTrees {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ObjectTrees() {
    }

    public static ObjectNode toTree(GenericKubernetesResource resource) {
        try {
            ObjectNode tree = (ObjectNode) JSON.readTree(Serialization.asJson(resource));
            if (tree.path("metadata").isObject()) {
                ((ObjectNode) tree.get("metadata")).remove("managedFields");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("fabric8 produced JSON that Jackson cannot read back", e);
        }
    }

    public static GenericKubernetesResource toResource(ObjectNode tree) {
        try {
            return Serialization.unmarshal(JSON.writeValueAsString(tree), GenericKubernetesResource.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Jackson tree always serializes", e);
        }
    }
}
