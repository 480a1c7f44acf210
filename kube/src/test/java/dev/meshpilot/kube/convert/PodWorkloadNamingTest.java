package dev.meshpilot.kube.convert;

import dev.meshpilot.core.ledger.WorkloadNames;
import dev.meshpilot.core.model.WorkloadInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.meshpilot.kube.convert.ConverterTestSupport.converted;
import static org.assertj.core.api.Assertions.assertThat;

/** A real pod's workload is named from its controlling owner reference, as Istio names {@code source_workload}. */
class PodWorkloadNamingTest {

    private static WorkloadInstance pod(String name, String labels, String ownerReferences) {
        return converted("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: bookinfo
                  labels: %s
                  ownerReferences: %s
                status: {podIP: 10.0.0.7}
                """.formatted(name, labels, ownerReferences)).pods().get(0);
    }

    @ParameterizedTest(name = "{1} {2} with labels {3} -> {4} {5}")
    @CsvSource(delimiter = '|', value = {
            "reviews-v1-7d9f8c-abcde | ReplicaSet  | reviews-v1-7d9f8c | {app: reviews, pod-template-hash: 7d9f8c} | Deployment  | reviews-v1",
            "legacy-x2k4p            | ReplicaSet  | legacy            | {app: legacy}                             | ReplicaSet  | legacy",
            "backup-28930140-q8z     | Job         | backup-28930140   | {app: backup}                             | CronJob     | backup",
            "migrate-x7              | Job         | migrate           | {app: migrate}                            | Job         | migrate",
            "fluentd-k2j9x           | DaemonSet   | fluentd           | {app: fluentd}                            | DaemonSet   | fluentd",
            "db-0                    | StatefulSet | db                | {app: db}                                 | StatefulSet | db"})
    void controllingOwner_namesTheWorkloadAsIstioDoes(String podName, String ownerKind, String ownerName,
                                                     String labels, String kind, String name) {
        WorkloadInstance pod = pod(podName, labels,
                "[{apiVersion: apps/v1, kind: %s, name: %s, uid: u1, controller: true}]".formatted(ownerKind, ownerName));

        assertThat(pod.workloadKind()).isEqualTo(kind);
        assertThat(pod.workloadName()).isEqualTo(name);
        assertThat(WorkloadNames.of(pod).name()).isEqualTo(name);
    }

    @Test
    void ownerThatIsNotTheController_isIgnored() {
        WorkloadInstance pod = pod("reviews-v1-7d9f8c-abcde", "{app: reviews, pod-template-hash: 7d9f8c}",
                "[{apiVersion: apps/v1, kind: ReplicaSet, name: reviews-v1-7d9f8c, uid: u1}]");

        assertThat(pod.workloadKind()).isEmpty();
        assertThat(pod.workloadName()).isEmpty();
        assertThat(WorkloadNames.of(pod).name()).isEqualTo("reviews-v1-7d9f8c-abcde");
    }

    @Test
    void podWithoutOwner_isLeftForAttributionBySelector_andIsItsOwnLedgerWorkload() {
        WorkloadInstance pod = pod("debug", "{app: debug}", "[]");

        assertThat(pod.workloadKind()).isEmpty();
        assertThat(pod.workloadName()).isEmpty();
        assertThat(WorkloadNames.of(pod).name()).isEqualTo("debug");
    }
}
