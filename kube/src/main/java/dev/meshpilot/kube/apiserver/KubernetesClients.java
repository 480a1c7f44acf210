package dev.meshpilot.kube.apiserver;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Builds the fabric8 client from {@link KubernetesSettings}: an explicit kubeconfig file, or fabric8's
 * auto-configuration ({@code $KUBECONFIG}, {@code ~/.kube/config}, then the in-cluster service account). A
 * kubeconfig or context that does not exist is a user mistake with a clear message, not a later connection error.
 */
public final class KubernetesClients {

    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private KubernetesClients() {
    }

    /** A client for the settings' cluster; the caller closes it. */
    public static KubernetesClient connect(KubernetesSettings settings) {
        Config config = config(settings);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static Config config(KubernetesSettings settings) {
        String context = settings.context().orElse(null);
        Config config;
        try {
            if (settings.kubeconfig().isPresent()) {
                Path file = settings.kubeconfig().get();
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    throw new KubernetesAccessException("kubeconfig " + file + ": no such readable file");
                }
                config = Config.fromKubeconfig(context, file.toFile());
            } else {
                if (!anyKubeconfigExists() && !inCluster()) {
                    throw new KubernetesAccessException("no Kubernetes configuration: no kubeconfig ($KUBECONFIG or "
                            + "~/.kube/config) and no in-cluster service account; pass --kubeconfig FILE");
                }
                config = Config.autoConfigure(context);
            }
        } catch (KubernetesAccessException e) {
            throw e;
        } catch (RuntimeException e) { // fabric8 and its YAML parser report a broken kubeconfig in several ways
            String reason = e.getMessage() == null ? e.getClass().getSimpleName()
                    : e.getMessage().replaceAll("\\s+", " ").trim();
            throw new KubernetesAccessException("cannot read the Kubernetes configuration"
                    + settings.kubeconfig().map(f -> " in " + f).orElse("") + ": " + reason, e);
        }
        if (context != null) {
            List<NamedContext> contexts = config.getContexts() == null ? List.of() : config.getContexts();
            boolean known = contexts.stream().anyMatch(c -> context.equals(c.getName()));
            NamedContext current = config.getCurrentContext();
            if (!known || current == null || !context.equals(current.getName())) {
                throw new KubernetesAccessException("context \"" + context + "\" not found in the kubeconfig"
                        + settings.kubeconfig().map(f -> " " + f).orElse("") + " (contexts: "
                        + String.join(", ", contexts.stream().map(NamedContext::getName).filter(Objects::nonNull)
                        .sorted().toList()) + ")");
            }
        }
        applyRetry(config, settings);
        return config;
    }

    /**
     * Retry failed lists and watches forever, with exponential backoff from the configured interval. Single
     * requests retry at most {@value #REQUEST_RETRIES} times on their own (fabric8's default of 10 hides an
     * unreachable API server for ~20 s per request; the informers' own retries take over sooner).
     */
    static void applyRetry(Config config, KubernetesSettings settings) {
        config.setWatchReconnectInterval((int) Math.min(Integer.MAX_VALUE, settings.retryInterval().toMillis()));
        config.setWatchReconnectLimit(-1);
        Integer requestRetries = config.getRequestRetryBackoffLimit();
        if (requestRetries == null || requestRetries > REQUEST_RETRIES) {
            config.setRequestRetryBackoffLimit(REQUEST_RETRIES);
        }
    }

    static final int REQUEST_RETRIES = 3;

    private static boolean anyKubeconfigExists() {
        return Config.getKubeconfigFilenames().stream().anyMatch(f -> Files.isRegularFile(Path.of(f)));
    }

    private static boolean inCluster() {
        return System.getenv("KUBERNETES_SERVICE_HOST") != null || Files.isRegularFile(SERVICE_ACCOUNT_TOKEN);
    }
}
