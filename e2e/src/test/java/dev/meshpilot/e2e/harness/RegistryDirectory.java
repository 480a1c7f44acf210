package dev.meshpilot.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A registry directory of real Kubernetes manifests, as a user would keep one for {@code meshpilot serve
 * --registry DIR}. Every object is its own file ({@code NAMESPACE/KIND-NAME.yaml}) so a test can add, change and
 * delete objects one at a time; files are written atomically (temporary name, then rename) so a watching server
 * never reads half a file.
 */
public final class RegistryDirectory {

    /** The namespace Istio treats as the mesh root: a Sidecar without selector there is every namespace's default. */
    public static final String ROOT_NAMESPACE = "istio-system";

    private final Path root;

    public RegistryDirectory(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    public Path namespace(String name) {
        return write(name, "namespace-" + name, """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: %s
                """.formatted(name));
    }

    /** A ClusterIP Service with one named gRPC port whose endpoints are matched by port name. */
    public Path service(String namespace, String name, String portName, int port) {
        return write(namespace, "service-" + name, """
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
                """.formatted(namespace, name, portName, port));
    }

    /**
     * One EndpointSlice of {@code service} holding one ready endpoint on 127.0.0.1 at {@code backendPort}. Backends
     * share the loopback address and differ by port, so each needs a slice of its own (a slice's ports apply to
     * all of its endpoints).
     */
    public Path endpointSlice(String namespace, String service, String sliceName, String portName, int backendPort) {
        return write(namespace, "endpointslice-" + sliceName, """
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
                """.formatted(namespace, service, sliceName, portName, backendPort));
    }

    /** A Sidecar without workload selector: the default for its namespace (or for the mesh, in the root namespace). */
    public Path sidecar(String namespace, String name, List<String> egressHosts) {
        String hosts = egressHosts.stream().map(h -> "      - \"" + h + "\"").collect(Collectors.joining("\n"));
        return write(namespace, "sidecar-" + name, """
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  egress:
                  - hosts:
                %s
                """.formatted(name, namespace, hosts));
    }

    /** Writes raw manifest text under {@code NAMESPACE/FILE.yaml}; for objects the helpers above do not cover. */
    public Path write(String folder, String fileStem, String yaml) {
        Path dir = root.resolve(folder);
        Path target = dir.resolve(fileStem + ".yaml");
        try {
            Files.createDirectories(dir);
            Path temp = dir.resolve("." + fileStem + ".yaml.tmp");
            Files.writeString(temp, yaml, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public void delete(Path manifest) {
        try {
            Files.delete(manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + manifest, e);
        }
    }
}
