package dev.meshpilot.kube.apiserver;

import io.fabric8.kubernetes.client.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code --kubeconfig} and {@code --context}: the right cluster, or one clear message. */
class KubernetesClientsTest {

    static final String KUBECONFIG = """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: dev-cluster
              cluster: {server: "https://dev.example:6443", insecure-skip-tls-verify: true}
            - name: prod-cluster
              cluster: {server: "https://prod.example:6443", insecure-skip-tls-verify: true}
            users:
            - name: reader
              user: {token: abc}
            contexts:
            - name: dev
              context: {cluster: dev-cluster, user: reader, namespace: team-a}
            - name: prod
              context: {cluster: prod-cluster, user: reader}
            """;

    @TempDir
    Path dir;

    Path kubeconfig() throws Exception {
        Path file = dir.resolve("config");
        Files.writeString(file, KUBECONFIG);
        return file;
    }

    @Test
    void kubeconfigWithoutContext_usesItsCurrentContext() throws Exception {
        Config config = KubernetesClients.config(KubernetesSettings.defaults().withKubeconfig(kubeconfig()));
        assertThat(config.getMasterUrl()).startsWith("https://dev.example:6443");
        assertThat(config.getCurrentContext().getName()).isEqualTo("dev");
    }

    @Test
    void contextFlag_selectsThatContextsCluster() throws Exception {
        Config config = KubernetesClients.config(KubernetesSettings.defaults().withKubeconfig(kubeconfig())
                .withContext("prod"));
        assertThat(config.getMasterUrl()).startsWith("https://prod.example:6443");
    }

    @Test
    void retrySettings_reachTheClient() throws Exception {
        Config config = KubernetesClients.config(KubernetesSettings.defaults().withKubeconfig(kubeconfig())
                .withRetryInterval(java.time.Duration.ofMillis(250)));
        assertThat(config.getWatchReconnectInterval()).isEqualTo(250);
        assertThat(config.getWatchReconnectLimit()).isEqualTo(-1);
        assertThat(config.getRequestRetryBackoffLimit()).isEqualTo(KubernetesClients.REQUEST_RETRIES);
    }

    @Test
    void unknownContext_isRejectedNamingTheKnownOnes() throws Exception {
        Path file = kubeconfig();
        assertThatThrownBy(() -> KubernetesClients.config(KubernetesSettings.defaults().withKubeconfig(file)
                .withContext("staging")))
                .isInstanceOf(KubernetesAccessException.class)
                .hasMessage("context \"staging\" not found in the kubeconfig " + file + " (contexts: dev, prod)");
    }

    @Test
    void missingKubeconfigFile_isRejected() {
        Path missing = dir.resolve("nope");
        assertThatThrownBy(() -> KubernetesClients.config(KubernetesSettings.defaults().withKubeconfig(missing)))
                .isInstanceOf(KubernetesAccessException.class)
                .hasMessage("kubeconfig " + missing + ": no such readable file");
    }

    @Test
    void malformedKubeconfig_isRejectedWithItsPath() throws Exception {
        Path file = dir.resolve("bad");
        Files.writeString(file, "clusters: [unclosed");
        assertThatThrownBy(() -> KubernetesClients.config(KubernetesSettings.defaults().withKubeconfig(file)))
                .isInstanceOf(KubernetesAccessException.class)
                .hasMessageStartingWith("cannot read the Kubernetes configuration in " + file);
    }

    @Test
    void nonPositiveRetryInterval_isRejected() {
        assertThatThrownBy(() -> KubernetesSettings.defaults().withRetryInterval(java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
