package dev.meshpilot.kube.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Applies recommended Istio {@code Sidecar}s to a cluster ({@code recommend --apply [--dry-run] --kube}):
 *
 * <ul>
 *   <li>creates a desired Sidecar that does not exist, and updates one meshpilot made
 *       ({@value #MANAGED_BY_LABEL}{@code =}{@value #MANAGED_BY}) whose spec or labels differ — written with
 *       server-side apply under field manager {@value WriteMethod#FIELD_MANAGER}, carrying the
 *       {@code resourceVersion} read, so a change made meanwhile is a conflict, not overwritten;</li>
 *   <li>never touches a Sidecar it did not make: one of the same name without the label is reported as a conflict
 *       and left as it is;</li>
 *   <li>deletes its own Sidecars, in the namespaces the recommendation covered, that are no longer desired (their
 *       workload is gone), on the precondition that they are still the version read (a real API server checks it;
 *       fabric8's CRUD mock ignores delete preconditions); namespaces not covered are not looked at;</li>
 *   <li>with {@code dryRun}, changes nothing and reports what it would do.</li>
 * </ul>
 *
 * Every outcome is in the {@link ApplyResult}'s diff, one header line per Sidecar plus its hosts added
 * ({@code +}) and removed ({@code -}).
 */
public final class SidecarApplier {

    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "meshpilot";
    public static final ResourceDefinitionContext SIDECARS = new ResourceDefinitionContext.Builder()
            .withGroup("networking.istio.io").withVersion("v1").withKind("Sidecar").withPlural("sidecars")
            .withNamespaced(true).build();
    private static final String API_VERSION = "networking.istio.io/v1";

    private final KubernetesClient client;
    private final WriteMethod writes;

    /** The production applier: server-side apply. */
    public SidecarApplier(KubernetesClient client) {
        this(client, WriteMethod.SERVER_SIDE_APPLY);
    }

    /** An applier writing with {@code writes} ({@link WriteMethod#REPLACE} against fabric8's CRUD mock). */
    public SidecarApplier(KubernetesClient client, WriteMethod writes) {
        this.client = client;
        this.writes = writes;
    }

    /**
     * Makes the cluster's meshpilot-managed Sidecars in {@code coveredNamespaces} equal to {@code desired}.
     *
     * @throws IllegalArgumentException if a desired object is not a {@code networking.istio.io/v1} Sidecar with a
     *                                  name and a namespace among {@code coveredNamespaces}
     */
    public ApplyResult apply(List<ObjectNode> desired, Set<String> coveredNamespaces, boolean dryRun) {
        Map<String, Map<String, ObjectNode>> wanted = byNamespace(desired, coveredNamespaces);
        List<SidecarChange> changes = new ArrayList<>();
        for (String namespace : new TreeSet<>(coveredNamespaces)) {
            changes.addAll(plan(namespace, wanted.getOrDefault(namespace, Map.of())));
        }
        changes.sort(Comparator.comparing(SidecarChange::namespace).thenComparing(SidecarChange::name));
        List<SidecarChange> done = new ArrayList<>();
        for (SidecarChange change : changes) {
            done.add(dryRun ? change : execute(change));
        }
        return result(done, dryRun);
    }

    private List<SidecarChange> plan(String namespace, Map<String, ObjectNode> wanted) {
        Map<String, ObjectNode> existing = new HashMap<>();
        for (GenericKubernetesResource sidecar : objects(namespace).list().getItems()) {
            existing.put(sidecar.getMetadata().getName(), ObjectTrees.toTree(sidecar));
        }
        List<SidecarChange> changes = new ArrayList<>();
        wanted.forEach((name, object) -> {
            Set<String> after = SidecarChange.egressHosts(object.get("spec"));
            ObjectNode current = existing.get(name);
            if (current == null) {
                changes.add(new SidecarChange(SidecarChange.Outcome.CREATED, namespace, name, object, null, Set.of(),
                        after, ""));
                return;
            }
            String version = current.path("metadata").path("resourceVersion").asText();
            Set<String> before = SidecarChange.egressHosts(current.get("spec"));
            if (!isManaged(current)) {
                changes.add(new SidecarChange(SidecarChange.Outcome.CONFLICT, namespace, name, null, version, before,
                        before, "exists without " + MANAGED_BY_LABEL + "=" + MANAGED_BY + "; left as it is"));
            } else if (sameContent(object, current)) {
                changes.add(new SidecarChange(SidecarChange.Outcome.UNCHANGED, namespace, name, null, version, before,
                        before, ""));
            } else {
                changes.add(new SidecarChange(SidecarChange.Outcome.UPDATED, namespace, name, object, version, before,
                        after, ""));
            }
        });
        existing.forEach((name, current) -> {
            if (!wanted.containsKey(name) && isManaged(current)) {
                changes.add(new SidecarChange(SidecarChange.Outcome.DELETED, namespace, name, null,
                        current.path("metadata").path("resourceVersion").asText(),
                        SidecarChange.egressHosts(current.get("spec")), Set.of(), "no longer recommended"));
            }
        });
        return changes;
    }

    private SidecarChange execute(SidecarChange change) {
        var objects = objects(change.namespace());
        try {
            switch (change.outcome()) {
                case CREATED -> writes.create(objects, ObjectTrees.toResource(change.desired()));
                case UPDATED -> writes.update(objects, ObjectTrees.toResource(change.desired()),
                        change.resourceVersion());
                case DELETED -> objects.withName(change.name()).lockResourceVersion(change.resourceVersion()).delete();
                case UNCHANGED, CONFLICT -> {
                }
            }
            return change;
        } catch (KubernetesClientException e) {
            if (WriteMethod.isConflict(e)) {
                return change.asConflict("changed by someone else while applying; left as it is, run again");
            }
            throw e;
        }
    }

    private static ApplyResult result(List<SidecarChange> changes, boolean dryRun) {
        int[] counts = new int[SidecarChange.Outcome.values().length];
        List<String> diff = new ArrayList<>();
        for (SidecarChange change : changes) {
            counts[change.outcome().ordinal()]++;
            diff.addAll(change.diffLines());
        }
        return new ApplyResult(dryRun, counts[SidecarChange.Outcome.CREATED.ordinal()],
                counts[SidecarChange.Outcome.UPDATED.ordinal()], counts[SidecarChange.Outcome.DELETED.ordinal()],
                counts[SidecarChange.Outcome.UNCHANGED.ordinal()], counts[SidecarChange.Outcome.CONFLICT.ordinal()],
                diff);
    }

    /** The desired Sidecars by namespace and name, each carrying the managed-by label. */
    private static Map<String, Map<String, ObjectNode>> byNamespace(List<ObjectNode> desired, Set<String> covered) {
        Map<String, Map<String, ObjectNode>> out = new HashMap<>();
        for (ObjectNode object : desired) {
            String namespace = object.path("metadata").path("namespace").asText("");
            String name = object.path("metadata").path("name").asText("");
            String where = "Sidecar " + namespace + "/" + name;
            if (!API_VERSION.equals(object.path("apiVersion").asText()) || !"Sidecar".equals(object.path("kind").asText())) {
                throw new IllegalArgumentException(where + ": not a " + API_VERSION + " Sidecar");
            }
            if (namespace.isEmpty() || name.isEmpty()) {
                throw new IllegalArgumentException(where + ": metadata.name and metadata.namespace are required");
            }
            if (!covered.contains(namespace)) {
                throw new IllegalArgumentException(where + ": namespace " + namespace
                        + " is not among the namespaces the recommendation covered " + new TreeSet<>(covered));
            }
            ObjectNode labelled = object.deepCopy();
            ((ObjectNode) labelled.get("metadata")).withObjectProperty("labels").put(MANAGED_BY_LABEL, MANAGED_BY);
            if (out.computeIfAbsent(namespace, n -> new HashMap<>()).put(name, labelled) != null) {
                throw new IllegalArgumentException(where + ": desired twice");
            }
        }
        return out;
    }

    private static boolean isManaged(JsonNode sidecar) {
        return MANAGED_BY.equals(sidecar.path("metadata").path("labels").path(MANAGED_BY_LABEL).asText());
    }

    /** Same spec, and every desired label present with the desired value. */
    private static boolean sameContent(ObjectNode desired, ObjectNode current) {
        if (!desired.path("spec").equals(current.path("spec"))) {
            return false;
        }
        JsonNode labels = current.path("metadata").path("labels");
        var wanted = desired.path("metadata").path("labels").fields();
        while (wanted.hasNext()) {
            var label = wanted.next();
            if (!label.getValue().equals(labels.path(label.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> objects(String namespace) {
        return client.genericKubernetesResources(SIDECARS).inNamespace(namespace);
    }
}
