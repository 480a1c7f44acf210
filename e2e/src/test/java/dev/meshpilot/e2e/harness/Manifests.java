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

    /** Several manifests as one multi-document text. */
    public static String documents(String... manifests) {
        return String.join("---\n", manifests);
    }
}
