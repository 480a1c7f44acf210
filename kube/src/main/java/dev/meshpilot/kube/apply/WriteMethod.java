package dev.meshpilot.kube.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * How meshpilot writes the objects it owns (ledger pages, recommended Sidecars). Creating is always a plain
 * create, which fails with 409 when another writer created the object first. Updating carries the
 * {@code resourceVersion} that was read, so a concurrent change makes it fail with 409 instead of being lost.
 *
 * <p>fabric8's API server mock in CRUD mode (the stand-in for a kube-apiserver in tests) answers a server-side
 * apply ({@code PATCH} with {@code application/apply-patch+yaml}) with 415 Unsupported Media Type: its patch handler
 * knows only JSON Patch and JSON Merge Patch. Tests therefore run {@link #REPLACE}, which the mock serves and checks
 * ({@code PUT} with a stale {@code resourceVersion} is a 409 there too); production runs {@link #SERVER_SIDE_APPLY}.
 * fabric8 8.0 sends the whole object as the apply body, {@code metadata.resourceVersion} included (only its JSON
 * Patch path strips it), and a real API server treats a {@code resourceVersion} in an apply as a precondition; that
 * last part cannot be verified against the mock.
 */
public enum WriteMethod {

    /** Server-side apply under field manager {@value #FIELD_MANAGER}, taking over fields others set. */
    SERVER_SIDE_APPLY {
        @Override
        GenericKubernetesResource update(Resource<GenericKubernetesResource> resource) {
            return resource.fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        }
    },
    /** A full replace ({@code PUT}), for API servers without server-side apply (fabric8's CRUD mock). */
    REPLACE {
        @Override
        GenericKubernetesResource update(Resource<GenericKubernetesResource> resource) {
            return resource.update();
        }
    };

    /** The field manager meshpilot's writes are recorded under. */
    public static final String FIELD_MANAGER = "meshpilot";

    /** Creates {@code desired}; 409 (as {@link KubernetesClientException}) when it already exists. */
    public GenericKubernetesResource create(
            NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
                    Resource<GenericKubernetesResource>> objects, GenericKubernetesResource desired) {
        desired.getMetadata().setResourceVersion(null);
        return objects.resource(desired).create();
    }

    /** Writes {@code desired} over the object read at {@code resourceVersion}; 409 when it changed since. */
    public GenericKubernetesResource update(
            NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
                    Resource<GenericKubernetesResource>> objects, GenericKubernetesResource desired,
            String resourceVersion) {
        desired.getMetadata().setResourceVersion(resourceVersion);
        return update(objects.resource(desired));
    }

    abstract GenericKubernetesResource update(Resource<GenericKubernetesResource> resource);

    /** The API server refused a write because the object changed or already exists. */
    public static boolean isConflict(KubernetesClientException e) {
        return e.getCode() == 409;
    }
}
