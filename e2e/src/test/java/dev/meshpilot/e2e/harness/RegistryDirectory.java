package dev.meshpilot.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

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
        return write(name, "namespace-" + name, Manifests.namespace(name));
    }

    /** See {@link Manifests#service}. */
    public Path service(String namespace, String name, String portName, int port) {
        return write(namespace, "service-" + name, Manifests.service(namespace, name, portName, port));
    }

    /** See {@link Manifests#endpointSlice}. */
    public Path endpointSlice(String namespace, String service, String sliceName, String portName, int backendPort) {
        return write(namespace, "endpointslice-" + sliceName,
                Manifests.endpointSlice(namespace, service, sliceName, portName, backendPort));
    }

    /** See {@link Manifests#sidecar}. */
    public Path sidecar(String namespace, String name, List<String> egressHosts) {
        return write(namespace, "sidecar-" + name, Manifests.sidecar(namespace, name, egressHosts));
    }

    /** See {@link Manifests#deploymentPod}. */
    public Path deploymentPod(String namespace, String app, String hash, String podName) {
        return write(namespace, "pod-" + podName, Manifests.deploymentPod(namespace, app, hash, podName));
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
