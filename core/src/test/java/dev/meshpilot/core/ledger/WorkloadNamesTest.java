package dev.meshpilot.core.ledger;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Istio's names for {@code source_workload}, from a pod's controlling owner. */
class WorkloadNamesTest {

    @Test
    void replicaSetWithTemplateHash_isItsDeployment() {
        assertThat(WorkloadNames.fromController("reviews-v1-7d9f8c-abcde", "ReplicaSet", "reviews-v1-7d9f8c",
                Map.of(WorkloadNames.POD_TEMPLATE_HASH, "7d9f8c")))
                .isEqualTo(new WorkloadNames.Owner("Deployment", "reviews-v1"));
    }

    @Test
    void replicaSetWithoutTemplateHash_staysAReplicaSet() {
        assertThat(WorkloadNames.fromController("rs-x", "ReplicaSet", "my-rs", Map.of()))
                .isEqualTo(new WorkloadNames.Owner("ReplicaSet", "my-rs"));
    }

    @Test
    void jobWithTimestampSuffix_isItsCronJob() {
        assertThat(WorkloadNames.fromController("backup-28930140-x", "Job", "backup-28930140", Map.of()))
                .isEqualTo(new WorkloadNames.Owner("CronJob", "backup"));
        assertThat(WorkloadNames.fromController("migrate-1-x", "Job", "migrate-1", Map.of()))
                .isEqualTo(new WorkloadNames.Owner("Job", "migrate-1"));
    }

    @Test
    void statefulSetAndDaemonSet_keepTheirNames() {
        assertThat(WorkloadNames.fromController("db-0", "StatefulSet", "db", Map.of()))
                .isEqualTo(new WorkloadNames.Owner("StatefulSet", "db"));
        assertThat(WorkloadNames.fromController("agent-x", "DaemonSet", "agent", Map.of()))
                .isEqualTo(new WorkloadNames.Owner("DaemonSet", "agent"));
    }

    @Test
    void openShiftReplicationController_isItsDeploymentConfig() {
        assertThat(WorkloadNames.fromController("web-3-x", "ReplicationController", "web-3",
                Map.of("deploymentconfig", "web"))).isEqualTo(new WorkloadNames.Owner("DeploymentConfig", "web"));
    }

    @Test
    void podWithoutController_isItsOwnWorkload() {
        assertThat(WorkloadNames.fromController("debug-shell", "", "", Map.of()))
                .isEqualTo(new WorkloadNames.Owner("Pod", "debug-shell"));
    }
}
