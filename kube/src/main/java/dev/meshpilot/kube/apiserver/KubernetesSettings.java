package dev.meshpilot.kube.apiserver;

import dev.meshpilot.kube.convert.ConverterOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach the Kubernetes API server and how to read it.
 *
 * @param kubeconfig       a kubeconfig file ({@code --kubeconfig}); empty: {@code $KUBECONFIG}, then
 *                         {@code ~/.kube/config}, then the pod's service account (in-cluster)
 * @param context          the kubeconfig context ({@code --context}); empty: the current context
 * @param converterOptions system namespace (where the {@code istio} ConfigMap is read) and cluster domain
 * @param retryInterval    first wait before retrying a failed list or watch; it doubles on each failure, up to
 *                         32 times this (fabric8's exponential backoff)
 */
public record KubernetesSettings(Optional<Path> kubeconfig, Optional<String> context,
                                 ConverterOptions converterOptions, Duration retryInterval) {

    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(1);

    public KubernetesSettings {
        kubeconfig = kubeconfig == null ? Optional.empty() : kubeconfig;
        context = context == null ? Optional.empty() : context.filter(c -> !c.isBlank());
        Objects.requireNonNull(converterOptions, "converterOptions");
        Objects.requireNonNull(retryInterval, "retryInterval");
        if (retryInterval.isNegative() || retryInterval.isZero()) {
            throw new IllegalArgumentException("retryInterval must be positive, got " + retryInterval);
        }
    }

    /** The current kubeconfig context or in-cluster account, default conversion, 1 s first retry. */
    public static KubernetesSettings defaults() {
        return new KubernetesSettings(Optional.empty(), Optional.empty(), ConverterOptions.DEFAULT,
                DEFAULT_RETRY_INTERVAL);
    }

    public KubernetesSettings withKubeconfig(Path file) {
        return new KubernetesSettings(Optional.of(file), context, converterOptions, retryInterval);
    }

    public KubernetesSettings withContext(String name) {
        return new KubernetesSettings(kubeconfig, Optional.of(name), converterOptions, retryInterval);
    }

    public KubernetesSettings withConverterOptions(ConverterOptions options) {
        return new KubernetesSettings(kubeconfig, context, options, retryInterval);
    }

    public KubernetesSettings withRetryInterval(Duration interval) {
        return new KubernetesSettings(kubeconfig, context, converterOptions, interval);
    }
}
