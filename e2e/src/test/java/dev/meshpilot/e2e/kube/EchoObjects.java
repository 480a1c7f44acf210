package dev.meshpilot.e2e.kube;

import dev.meshpilot.e2e.harness.EchoMesh;
import dev.meshpilot.e2e.harness.Manifests;
import dev.meshpilot.e2e.harness.RegistryDirectory;

/**
 * {@link EchoMesh}'s objects as a user would {@code kubectl apply} them: namespaces {@code istio-system},
 * {@code ns-a} (clients) and {@code ns-b} (Service {@code echo}, gRPC port 7070), and EndpointSlices of {@code echo}
 * pointing at real loopback backends.
 */
final class EchoObjects {

    private EchoObjects() {
    }

    /** The three namespaces and Service {@code echo} in {@code ns-b} (no endpoints yet). */
    static String namespacesAndService() {
        return Manifests.documents(Manifests.namespace(RegistryDirectory.ROOT_NAMESPACE),
                Manifests.namespace(EchoMesh.CLIENT_NAMESPACE), Manifests.namespace(EchoMesh.SERVICE_NAMESPACE),
                Manifests.service(EchoMesh.SERVICE_NAMESPACE, EchoMesh.SERVICE, EchoMesh.PORT_NAME,
                        EchoMesh.SERVICE_PORT));
    }

    /** An EndpointSlice of {@code echo} with one ready endpoint, 127.0.0.1 at {@code backendPort}. */
    static String endpointSlice(String sliceName, int backendPort) {
        return Manifests.endpointSlice(EchoMesh.SERVICE_NAMESPACE, EchoMesh.SERVICE, sliceName, EchoMesh.PORT_NAME,
                backendPort);
    }
}
