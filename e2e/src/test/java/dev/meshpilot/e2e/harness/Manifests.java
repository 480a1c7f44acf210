package dev.meshpilot.e2e.harness;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The Kubernetes manifests the e2e meshes are made of, as text a user would write: written to files for
 * {@code serve --registry} ({@link RegistryDirectory}) or applied to the mock API server for {@code serve --kube}.
 */
public final class Manifests {

    private Manifests() {
    }

    public static String namespace(String name) {
        return """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                """.formatted(name);
    }

    /** A ClusterIP Service with one named gRPC port whose endpoints are matched by port name. */
    public static String service(String namespace, String name, String portName, int port) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %2$s
                  namespace: %1$s
                spec:
                  selector:
                    app: %2$s
                  ports:
                  - name: %3$s
                    port: %4$d
                    targetPort: %3$s
                    protocol: TCP
                    appProtocol: grpc
                """.formatted(namespace, name, portName, port);
    }

    /**
     * One EndpointSlice of {@code service} holding one ready endpoint on 127.0.0.1 at {@code backendPort}. Backends
     * share the loopback address and differ by port, so each needs a slice of its own (a slice's ports apply to
     * all of its endpoints).
     */
    public static String endpointSlice(String namespace, String service, String sliceName, String portName,
                                       int backendPort) {
        return """
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %3$s
                  namespace: %1$s
                  labels:
                    kubernetes.io/service-name: %2$s
                addressType: IPv4
                ports:
                - name: %4$s
                  port: %5$d
                  protocol: TCP
                endpoints:
                - addresses:
                  - 127.0.0.1
                  conditions:
                    ready: true
                  targetRef:
                    kind: Pod
                    name: %3$s
                    namespace: %1$s
                """.formatted(namespace, service, sliceName, portName, backendPort);
    }

    /** A Sidecar without workload selector: the default for its namespace (or for the mesh, in the root namespace). */
    public static String sidecar(String namespace, String name, List<String> egressHosts) {
        String hosts = egressHosts.stream().map(h -> "      - \"" + h + "\"").collect(Collectors.joining("\n"));
        return """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  egress:
                  - hosts:
                %s
                """.formatted(name, namespace, hosts);
    }

    /**
     * A running pod on 127.0.0.1 (the address {@link ProxyNode} ids carry) labelled {@code app: APP}, created by the
     * Deployment {@code app} as Kubernetes does it: controlled by ReplicaSet {@code APP-HASH}, with label
     * {@code pod-template-hash: HASH}; Istio (and meshpilot's ledger) name its workload {@code APP}.
     */
    public static String deploymentPod(String namespace, String app, String hash, String podName) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %4$s
                  namespace: %1$s
                  labels:
                    app: %2$s
                    pod-template-hash: %3$s
                  ownerReferences:
                  - apiVersion: apps/v1
                    kind: ReplicaSet
                    name: %2$s-%3$s
                    uid: 00000000-0000-0000-0000-000000000001
                    controller: true
                spec:
                  containers:
                  - name: %2$s
                    image: registry.example/%2$s:e2e
                status:
                  phase: Running
                  podIP: 127.0.0.1
                """.formatted(namespace, app, hash, podName);
    }

    /** Several manifests as one multi-document text. */
    public static String documents(String... manifests) {
        return String.join("---\n", manifests);
    }
}
