package dev.meshpilot.kube.convert;

import dev.meshpilot.core.ledger.WorkloadNames;
import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.List;

/**
 * {@code v1 Pod}: labels, {@code status.podIP}, service account, locality from the
 * {@code topology.kubernetes.io/region|zone} labels, and the owning workload named from the controlling owner
 * reference as Istio names it ({@link WorkloadNames#fromController}: a ReplicaSet {@code NAME-HASH} with the
 * pod's {@code pod-template-hash} is Deployment {@code NAME}, a Job {@code NAME-DIGITS} is CronJob {@code NAME},
 * StatefulSets and DaemonSets are themselves). A pod no controller owns is attributed by selector when the
 * snapshot is built. Finished pods (phase Succeeded or
 * Failed) are left out, as Kubernetes leaves them out of endpoints. Readiness is the {@code Ready} condition; a
 * pod written without conditions is ready unless its phase says it is not running yet ({@code Pending}), so
 * hand-written manifests without status keep working. A pod with {@code metadata.deletionTimestamp} is
 * terminating.
 */
final class PodConverter implements KindConverter {

    static final String REGION_LABEL = "topology.kubernetes.io/region";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        ObjectMeta meta = header.meta();
        Field spec = root.get("spec").requireObjectIfPresent();
        Field status = root.get("status").requireObjectIfPresent();
        String phase = status.get("phase").string("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) {
            return; // a finished pod runs no proxy and serves no traffic
        }
        String ip = status.get("podIP").string("");
        String serviceAccount = spec.get("serviceAccountName").optString()
                .orElse(spec.get("serviceAccount").string(""));
        WorkloadNames.Owner owner = workloadOf(meta, root.get("metadata").get("ownerReferences"));
        Locality locality = new Locality(meta.labels().get(REGION_LABEL), meta.labels().get(ZONE_LABEL));
        boolean terminating = root.get("metadata").get("deletionTimestamp").isPresent();
        String ownerKind = owner.kind().equals("Pod") ? "" : owner.kind();
        String ownerName = ownerKind.isEmpty() ? "" : owner.name();
        out.pod(new WorkloadInstance(meta, ip, serviceAccount, ownerKind, ownerName, locality, false,
                ContainerPorts.of(spec), isReady(status, phase), terminating));
    }

    /**
     * The pod's workload as Istio names it, from its controlling owner reference (the one with
     * {@code controller: true}); a pod without one is its own workload.
     */
    private static WorkloadNames.Owner workloadOf(ObjectMeta meta, Field ownerReferences) {
        for (Field owner : ownerReferences.list()) {
            if (owner.get("controller").bool(false)) {
                return WorkloadNames.fromController(meta.name(), owner.get("kind").string(""),
                        owner.get("name").string(""), meta.labels());
            }
        }
        return WorkloadNames.fromController(meta.name(), "", "", meta.labels());
    }

    private static boolean isReady(Field status, String phase) {
        List<Field> conditions = status.get("conditions").list();
        if (conditions.isEmpty()) {
            return !phase.equals("Pending");
        }
        for (Field condition : conditions) {
            if (condition.get("type").string("").equals("Ready")) {
                return condition.get("status").string("").equals("True");
            }
        }
        return false; // conditions reported, but not Ready: Kubernetes does not count it ready either
    }
}
