package dev.meshpilot.core.ledger;

import dev.meshpilot.core.model.WorkloadInstance;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names a pod's workload as Istio does for {@code source_workload} (istio/istio {@code pkg/kube} "deploy meta
 * from pod"): the controlling owner, with a ReplicaSet whose name ends in the pod's {@code pod-template-hash}
 * read as its Deployment, a Job named {@code NAME-<8 to 11 digits>} read as its CronJob, and an OpenShift
 * ReplicationController read as its DeploymentConfig; a pod nothing controls is its own workload.
 */
public final class WorkloadNames {

    /** The label the Deployment controller puts on its pods. */
    public static final String POD_TEMPLATE_HASH = "pod-template-hash";
    private static final Pattern CRON_JOB_NAME = Pattern.compile("(.+)-\\d{8,11}$");

    private WorkloadNames() {
    }

    /** A workload's kind and name. */
    public record Owner(String kind, String name) {
    }

    /**
     * The workload a pod belongs to, from its controlling owner reference ({@code controllerKind} and
     * {@code controllerName} empty when it has none) and its labels.
     */
    public static Owner fromController(String podName, String controllerKind, String controllerName,
                                       Map<String, String> podLabels) {
        if (controllerKind == null || controllerKind.isEmpty() || controllerName == null || controllerName.isEmpty()) {
            return new Owner("Pod", podName);
        }
        String hash = podLabels.getOrDefault(POD_TEMPLATE_HASH, "");
        switch (controllerKind) {
            case "ReplicaSet" -> {
                if (!hash.isEmpty() && controllerName.endsWith("-" + hash)) {
                    return new Owner("Deployment", controllerName.substring(0, controllerName.length() - hash.length() - 1));
                }
                return new Owner("ReplicaSet", controllerName);
            }
            case "ReplicationController" -> {
                String dc = podLabels.getOrDefault("deploymentconfig", "");
                return dc.isEmpty() ? new Owner(controllerKind, controllerName) : new Owner("DeploymentConfig", dc);
            }
            case "Job" -> {
                Matcher m = CRON_JOB_NAME.matcher(controllerName);
                return m.matches() ? new Owner("CronJob", m.group(1)) : new Owner("Job", controllerName);
            }
            default -> {
                return new Owner(controllerKind, controllerName);
            }
        }
    }

    /** The ledger key of a pod of the registry: its owning workload, else the pod itself. */
    public static WorkloadKey of(WorkloadInstance pod) {
        String name = pod.workloadName().isEmpty() ? pod.name() : pod.workloadName();
        return new WorkloadKey(pod.namespace(), name);
    }
}
