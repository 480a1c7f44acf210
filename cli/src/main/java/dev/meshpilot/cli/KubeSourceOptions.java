package dev.meshpilot.cli;

import dev.meshpilot.kube.apiserver.KubernetesSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * {@code --kube [--kubeconfig FILE] [--context NAME]}: the mesh from a Kubernetes API server. Shared (as a picocli
 * mixin) by every command that can read a live cluster, so the flags mean the same everywhere.
 */
public final class KubeSourceOptions {

    @Option(names = "--kube", description = "Read the mesh from a Kubernetes API server "
            + "(kubeconfig: --kubeconfig, then $KUBECONFIG, then ~/.kube/config, then the in-cluster account).")
    boolean kube;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "With --kube: the kubeconfig file to use.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "NAME", description = "With --kube: the kubeconfig context to use.")
    String context;

    /** True when {@code --kube} was given. */
    public boolean enabled() {
        return kube;
    }

    /** Rejects {@code --kubeconfig}/{@code --context} without {@code --kube}. */
    public void checkFlags() {
        if (!kube && (kubeconfig != null || context != null)) {
            throw new UserException("--kubeconfig and --context need --kube");
        }
    }

    /** The connection settings the flags name, on top of {@code base}. */
    public KubernetesSettings settings(KubernetesSettings base) {
        KubernetesSettings settings = base;
        if (kubeconfig != null) {
            settings = settings.withKubeconfig(kubeconfig);
        }
        if (context != null) {
            settings = settings.withContext(context);
        }
        return settings;
    }
}
