package dev.meshpilot.kube.apiserver;

/**
 * The Kubernetes API cannot be used as configured: a kubeconfig file or context that does not exist, no
 * configuration at all, or (for one-shot reads) an API server that does not answer. The message is meant for the
 * user as is.
 */
public final class KubernetesAccessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public KubernetesAccessException(String message) {
        super(message);
    }

    public KubernetesAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
