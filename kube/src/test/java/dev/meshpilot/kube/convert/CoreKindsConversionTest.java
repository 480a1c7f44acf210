package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.EndpointSliceInfo;
import dev.meshpilot.core.model.LabelSelector;
import dev.meshpilot.core.model.Locality;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.meshpilot.kube.convert.ConverterTestSupport.converted;
import static dev.meshpilot.kube.convert.ConverterTestSupport.failure;
import static dev.meshpilot.kube.convert.ConverterTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;

class CoreKindsConversionTest {

    @Test
    void service_becomesOneKubernetesServiceWithFqdnPortsSelectorAndCreationTime() {
        MeshService s = converted("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: reviews
                  namespace: bookinfo
                  creationTimestamp: "2024-03-01T10:00:00Z"
                spec:
                  clusterIP: 10.96.0.12
                  selector: {app: reviews}
                  ports:
                  - name: http-web
                    port: 9080
                    targetPort: 9081
                  - name: metrics
                    port: 9090
                    appProtocol: grpc
                  - name: dns
                    port: 53
                    protocol: UDP
                """).services().get(0);

        assertThat(s.hostname()).isEqualTo("reviews.bookinfo.svc.cluster.local");
        assertThat(s.namespace()).isEqualTo("bookinfo");
        assertThat(s.registry()).isEqualTo(MeshService.Registry.KUBERNETES);
        assertThat(s.creationTimestamp()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
        assertThat(s.selector()).isEqualTo(Map.of("app", "reviews"));
        assertThat(s.addresses()).containsExactly("10.96.0.12");
        assertThat(s.resolution()).isEqualTo(MeshService.Resolution.CLIENT_SIDE_LB);
        assertThat(s.ports()).containsExactly(new ServicePort("http-web", 9080, 9081, "", Protocol.HTTP),
                new ServicePort("metrics", 9090, 9090, "", Protocol.GRPC),
                new ServicePort("dns", 53, 53, "", Protocol.UDP));
        assertThat(s.declaredExportTo()).isEmpty();
    }

    @Test
    void serviceWithoutNamespace_isInTheDefaultNamespace() {
        assertThat(converted("""
                apiVersion: v1
                kind: Service
                metadata: {name: details}
                spec:
                  ports: [{port: 9080}]
                """).services().get(0).hostname()).isEqualTo("details.default.svc.cluster.local");
    }

    @Test
    void serviceNamedTargetPort_keepsTheNameAndTargetsThePortNumber() {
        ServicePort port = converted("""
                apiVersion: v1
                kind: Service
                metadata: {name: a, namespace: x}
                spec:
                  ports: [{name: grpc, port: 50051, targetPort: grpc-port}]
                """).services().get(0).ports().get(0);

        assertThat(port).isEqualTo(new ServicePort("grpc", 50051, 50051, "grpc-port", Protocol.GRPC));
    }

    @Test
    void serviceExportToAnnotation_isSplitOnCommasAndTrimmed() {
        assertThat(converted("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: a
                  namespace: x
                  annotations:
                    networking.istio.io/exportTo: " . , client ,"
                spec:
                  ports: [{port: 80}]
                """).services().get(0).declaredExportTo()).containsExactly(".", "client");
    }

    @Test
    void headlessService_resolvesAsPassthroughWithoutAddresses() {
        MeshService s = converted("""
                apiVersion: v1
                kind: Service
                metadata: {name: db, namespace: x}
                spec:
                  clusterIP: None
                  ports: [{name: tcp, port: 5432}]
                """).services().get(0);

        assertThat(s.resolution()).isEqualTo(MeshService.Resolution.PASSTHROUGH);
        assertThat(s.addresses()).isEmpty();
    }

    @Test
    void externalNameService_resolvesByDnsToItsExternalName() {
        MeshService s = converted("""
                apiVersion: v1
                kind: Service
                metadata: {name: search, namespace: x}
                spec:
                  type: ExternalName
                  externalName: search.example.com
                  ports: [{name: https, port: 443}]
                """).services().get(0);

        assertThat(s.resolution()).isEqualTo(MeshService.Resolution.DNS);
        assertThat(s.meshExternal()).isTrue();
        assertThat(s.endpoints()).extracting(MeshService.ServiceEntryEndpoint::address).containsExactly("search.example.com");
    }

    @Test
    void serviceWithTwoUnnamedPorts_isRejected() {
        assertThat(failure("""
                apiVersion: v1
                kind: Service
                metadata: {name: a, namespace: x}
                spec:
                  ports: [{port: 80}, {port: 81}]
                """).toString()).isEqualTo("Service x/a: spec.ports[0].name: is required when a Service has more than one port");
    }

    @Test
    void namespace_keepsItsLabels() {
        assertThat(converted("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: shop
                  namespace: ignored
                  labels: {istio-discovery: enabled}
                """).namespaces()).singleElement().satisfies(n -> {
            assertThat(n.name()).isEqualTo("shop");
            assertThat(n.labels()).isEqualTo(Map.of("istio-discovery", "enabled"));
        });
    }

    @Test
    void namespace_keepsItsAnnotations_forPins() {
        assertThat(converted("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: istio-system
                  annotations: {meshpilot.dev/pin-hosts: "istio-system/*"}
                """).namespaces()).singleElement().satisfies(n ->
                assertThat(n.annotations()).isEqualTo(Map.of("meshpilot.dev/pin-hosts", "istio-system/*")));
    }

    @Test
    void endpointSlice_conditionsTakeKubernetesDefaults() {
        EndpointSliceInfo slice = converted("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: reviews-abc
                  namespace: bookinfo
                  labels: {kubernetes.io/service-name: reviews}
                addressType: IPv4
                ports:
                - name: http
                  port: 9080
                endpoints:
                - addresses: [10.0.0.1]
                  targetRef: {kind: Pod, name: reviews-v1-xyz}
                  zone: us-east1-b
                - addresses: [10.0.0.2]
                  conditions: {ready: false}
                - addresses: [10.0.0.3]
                  conditions: {ready: false, serving: true, terminating: true}
                """).endpointSlices().get(0);

        assertThat(slice.serviceName()).isEqualTo("reviews");
        assertThat(slice.ports()).containsExactly(new EndpointSliceInfo.SlicePort("http", 9080, "TCP"));
        assertThat(slice.endpoints()).containsExactly(
                new EndpointSliceInfo.SliceEndpoint(List.of("10.0.0.1"), true, true, false, "reviews-v1-xyz",
                        new Locality("", "us-east1-b")),
                new EndpointSliceInfo.SliceEndpoint(List.of("10.0.0.2"), false, false, false, "", Locality.UNKNOWN),
                new EndpointSliceInfo.SliceEndpoint(List.of("10.0.0.3"), false, true, true, "", Locality.UNKNOWN));
    }

    @Test
    void endpointSliceWithoutServiceNameLabel_isRejected() {
        assertThat(failure("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata: {name: s, namespace: x}
                endpoints: []
                """).field()).isEqualTo("metadata.labels");
    }

    @Test
    void pod_keepsLabelsIpServiceAccountAndLocality() {
        WorkloadInstance pod = converted("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: reviews-v1-xyz
                  namespace: bookinfo
                  labels:
                    app: reviews
                    topology.kubernetes.io/region: us-east1
                    topology.kubernetes.io/zone: us-east1-b
                spec:
                  serviceAccountName: bookinfo-reviews
                status:
                  podIP: 10.0.0.1
                """).pods().get(0);

        assertThat(pod.proxyId()).isEqualTo("reviews-v1-xyz.bookinfo");
        assertThat(pod.ip()).isEqualTo("10.0.0.1");
        assertThat(pod.serviceAccount()).isEqualTo("bookinfo-reviews");
        assertThat(pod.locality()).isEqualTo(new Locality("us-east1", "us-east1-b"));
        assertThat(pod.synthesized()).isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> ready={1} terminating={2}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "status: {podIP: 10.0.0.1}                                                          | true  | false",
            "status: {podIP: 10.0.0.1, phase: Running}                                          | true  | false",
            "status: {podIP: 10.0.0.1, phase: Pending}                                          | false | false",
            "status: {podIP: 10.0.0.1, conditions: [{type: Ready, status: 'True'}]}             | true  | false",
            "status: {podIP: 10.0.0.1, conditions: [{type: Ready, status: 'False'}]}            | false | false",
            "status: {podIP: 10.0.0.1, conditions: [{type: PodScheduled, status: 'True'}]}      | false | false",
            "{deletionTimestamp: '2026-11-26T10:00:00Z'}                                        | true  | true"})
    void pod_readinessComesFromItsReadyCondition_andDeletionMakesItTerminating(String extra, boolean ready,
                                                                               boolean terminating) {
        String yaml = extra.startsWith("status")
                ? "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: bookinfo}\n" + extra.strip() + "\n"
                : "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: bookinfo, deletionTimestamp: "
                        + "'2026-11-26T10:00:00Z'}\nstatus: {podIP: 10.0.0.1, conditions: [{type: Ready, status: 'True'}]}\n";
        WorkloadInstance pod = converted(yaml).pods().get(0);
        assertThat(pod.ready()).isEqualTo(ready);
        assertThat(pod.terminating()).isEqualTo(terminating);
    }

    @Test
    void deployment_replicasDefaultToOne_andSelectorAndTemplateAreKept() {
        WorkloadGroup group = converted("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: reviews-v1, namespace: bookinfo}
                spec:
                  selector:
                    matchLabels: {app: reviews}
                    matchExpressions:
                    - {key: version, operator: In, values: [v1]}
                  template:
                    metadata:
                      labels: {app: reviews, version: v1}
                    spec:
                      serviceAccountName: bookinfo-reviews
                """).workloadGroups().get(0);

        assertThat(group.kind()).isEqualTo("Deployment");
        assertThat(group.replicas()).isEqualTo(1);
        assertThat(group.templateLabels()).isEqualTo(Map.of("app", "reviews", "version", "v1"));
        assertThat(group.serviceAccount()).isEqualTo("bookinfo-reviews");
        assertThat(group.selector().matchExpressions()).containsExactly(new LabelSelector.Requirement("version",
                LabelSelector.Requirement.Operator.IN, List.of("v1")));
    }

    @Test
    void statefulSet_keepsItsReplicas() {
        WorkloadGroup group = converted("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db, namespace: x}
                spec:
                  replicas: 3
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                """).workloadGroups().get(0);

        assertThat(group.kind()).isEqualTo("StatefulSet");
        assertThat(group.replicas()).isEqualTo(3);
    }

    @Test
    void deployment_keepsItsTemplateAnnotations_forItsSynthesizedPods() {
        WorkloadGroup group = converted("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: echo, namespace: grpc}
                spec:
                  selector: {matchLabels: {app: echo}}
                  template:
                    metadata:
                      labels: {app: echo}
                      annotations:
                        inject.istio.io/templates: grpc-agent
                        proxy.istio.io/config: '{"holdApplicationUntilProxyStarts": true}'
                """).workloadGroups().get(0);

        assertThat(group.templateAnnotations()).containsEntry("inject.istio.io/templates", "grpc-agent")
                .containsKey("proxy.istio.io/config");
        assertThat(group.meta().annotations()).as("the Deployment's own metadata has none").isEmpty();
    }

    @Test
    void deploymentWhoseSelectorMissesItsTemplate_isRejected() {
        assertThat(failure("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d, namespace: x}
                spec:
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: b}}
                """).field()).isEqualTo("spec.selector");
    }

    @Test
    void list_convertsEachItem() {
        List<Conversion> conversions = new KubeObjectConverter().convertDocument(tree("""
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Namespace
                  metadata: {name: a}
                - apiVersion: v1
                  kind: Service
                  metadata: {name: s, namespace: a}
                  spec:
                    ports: [{port: eighty}]
                """));

        assertThat(conversions).hasSize(2);
        assertThat(conversions.get(0)).isInstanceOf(Conversion.Converted.class);
        assertThat(((Conversion.Failed) conversions.get(1)).problem().field()).isEqualTo("items[1].spec.ports[0].port");
    }

    @Test
    void otherConfigMaps_areSkippedWithoutWarning() {
        Conversion conversion = new KubeObjectConverter().convert(tree("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: app-settings, namespace: shop}
                data: {mesh: "not ours"}
                """));

        assertThat(conversion).isEqualTo(new Conversion.Skipped("v1/ConfigMap", java.util.Optional.empty()));
    }

    @Test
    void creationTimestamp_unquotedOrNull_isReadAsKubectlWritesIt() {
        assertThat(converted("""
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: a
                  creationTimestamp: 2024-03-01T10:00:00Z
                """).namespaces()).hasSize(1);
        MeshService dryRun = converted("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: s
                  namespace: x
                  creationTimestamp: null
                spec:
                  ports: [{port: 80}]
                status:
                  loadBalancer: {}
                """).services().get(0);
        assertThat(dryRun.creationTimestamp()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void serviceCreationTimestamp_unquoted_isHonoured() {
        assertThat(converted("""
                apiVersion: v1
                kind: Service
                metadata:
                  name: s
                  namespace: x
                  creationTimestamp: 2024-03-01T10:00:00Z
                spec:
                  ports: [{port: 80}]
                """).services().get(0).creationTimestamp()).isEqualTo(Instant.parse("2024-03-01T10:00:00Z"));
    }

    @Test
    void finishedPod_isLeftOut() {
        assertThat(converted("""
                apiVersion: v1
                kind: Pod
                metadata: {name: job-1, namespace: x}
                status: {phase: Succeeded, podIP: 10.0.0.9}
                """).pods()).isEmpty();
    }
}
