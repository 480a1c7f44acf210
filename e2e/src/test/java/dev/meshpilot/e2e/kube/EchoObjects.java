package dev.meshpilot.e2e.kube;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The Kubernetes objects of the e2e mesh as a user would {@code kubectl apply} them: namespaces {@code istio-system},
 * {@code ns-a} (clients) and {@code ns-b} (Service {@code echo}, gRPC port 7070), EndpointSlices pointing at real
 * loopback backends, and Sidecars.
 */
final class EchoObjects {

    static final String ROOT_NAMESPACE = "istio-system";
    static final String CLIENT_NAMESPACE = "ns-a";
    static final String SERVICE_NAMESPACE = "ns-b";
    static final String SERVICE = "echo";
    static final String PORT_NAME = "grpc";
    static final int SERVICE_PORT = 7070;
    static final String HOST_AND_PORT = SERVICE + "." + SERVICE_NAMESPACE + ".svc.cluster.local:" + SERVICE_PORT;

    private EchoObjects() {
    }

    /** The three namespaces and Service {@code echo} in {@code ns-b} (no endpoints yet). */
    static String namespacesAndService() {
        return List.of(ROOT_NAMESPACE, CLIENT_NAMESPACE, SERVICE_NAMESPACE).stream().map(name -> """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                """.formatted(name)).collect(Collectors.joining("---\n")) + """
                ---
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
                """.formatted(SERVICE_NAMESPACE, SERVICE, PORT_NAME, SERVICE_PORT);
    }

    /**
     * An EndpointSlice of {@code echo} with one ready endpoint, 127.0.0.1 at {@code backendPort}. Backends share the
     * loopback address and differ by port, so each needs a slice of its own.
     */
    static String endpointSlice(String sliceName, int backendPort) {
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
                """.formatted(SERVICE_NAMESPACE, SERVICE, sliceName, PORT_NAME, backendPort);
    }

    /** A Sidecar without workload selector: its namespace's default (the mesh's, in the root namespace). */
    static String sidecar(String namespace, String name, List<String> egressHosts) {
        String hosts = egressHosts.stream().map(h -> "    - \"" + h + "\"").collect(Collectors.joining("\n"));
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
}
