package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.cli.KubeSourceOptions;
import dev.meshpilot.cli.ProxyKindOption;
import dev.meshpilot.cli.UserException;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** Which proxy to inspect and where its configuration comes from; shared by every proxy-config subcommand. */
final class ProxyOptions {

    @Parameters(index = "0", paramLabel = "POD[.NS]", description = "The pod, as istioctl names it.")
    String pod;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "Namespace of the pod when POD has no .NS suffix (default: ${DEFAULT-VALUE}).",
            defaultValue = "default")
    String namespace;

    @Option(names = "--registry", paramLabel = "DIR",
            description = "Compute offline from this directory of Kubernetes manifests.")
    Path registry;

    @Option(names = "--server", paramLabel = "URL",
            description = "Show what a running meshpilot sent (its debug address, e.g. http://127.0.0.1:15014).")
    URI server;

    @Mixin
    KubeSourceOptions kubeSource;

    @Option(names = "--system-namespace", paramLabel = "NS", defaultValue = "istio-system",
            description = "The control plane's namespace, where the istio ConfigMap is read (default: ${DEFAULT-VALUE}).")
    String systemNamespace;

    @Option(names = {"--proxy-kind", "--proxy-type"}, paramLabel = ProxyKindOption.VALUES, defaultValue = "istio-proxy",
            converter = ProxyKindOption.class,
            description = "Offline: generate for an istio-proxy sidecar (Istio's extensions), a plain upstream Envoy "
                    + "sidecar, or a proxyless gRPC client (default: ${DEFAULT-VALUE}).")
    ProxyKind proxyKind;

    /** The pod name, without a {@code .NS} suffix. */
    String podName() {
        int dot = pod.lastIndexOf('.');
        return dot > 0 ? pod.substring(0, dot) : pod;
    }

    /** The namespace: the {@code .NS} suffix of POD if any, else {@code -n}. */
    String podNamespace() {
        int dot = pod.lastIndexOf('.');
        return dot > 0 ? pod.substring(dot + 1) : namespace;
    }

    /** {@code POD.NS}, the proxy id. */
    String proxyId() {
        return podName() + "." + podNamespace();
    }

    Optional<URI> serverUri() {
        return Optional.ofNullable(server);
    }

    /** True when the mesh is computed in this process (from a directory or the Kubernetes API). */
    boolean isOffline() {
        return registry != null || kubeSource.enabled();
    }

    /** Checks that exactly one source was named. */
    void requireOneSource() {
        int sources = (registry != null ? 1 : 0) + (server != null ? 1 : 0) + (kubeSource.enabled() ? 1 : 0);
        if (sources == 0) {
            throw new UserException("say where the mesh is: --registry DIR (offline), --kube (the live cluster) "
                    + "or --server URL (a running server)");
        }
        if (sources > 1) {
            throw new UserException("--registry, --kube and --server are exclusive: pick one");
        }
        kubeSource.checkFlags();
    }

    /** Where the mesh came from, for messages. */
    String sourceName() {
        return kubeSource.enabled() ? "the Kubernetes cluster" : "registry " + registry;
    }
}
