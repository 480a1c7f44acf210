package dev.meshpilot.cli.serve;

import dev.meshpilot.cli.UserException;
import dev.meshpilot.core.ledger.LedgerStore;
import dev.meshpilot.kube.apiserver.KubernetesAccessException;
import dev.meshpilot.kube.apiserver.KubernetesClients;
import dev.meshpilot.kube.apply.WriteMethod;
import dev.meshpilot.kube.ledger.CustomResourceLedgerStore;
import dev.meshpilot.kube.ledger.StateDirectoryLedgerStore;
import dev.meshpilot.server.MeshSourceSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code serve} keeps the dependency ledger: {@code --state-dir DIR} when given; else, with {@code --kube},
 * the cluster's {@code WorkloadDependencies} objects (shared by replicas); else nowhere (memory only).
 */
final class LedgerStores {

    private LedgerStores() {
    }

    /** The store, and the Kubernetes client it holds open (closed with it). */
    record Opened(Optional<LedgerStore> store, Optional<KubernetesClient> client) implements AutoCloseable {
        @Override
        public void close() {
            client.ifPresent(KubernetesClient::close);
        }
    }

    static Opened open(Path stateDir, MeshSourceSpec source, WriteMethod kubeWrites) {
        if (stateDir != null) {
            try {
                Files.createDirectories(stateDir);
            } catch (IOException e) {
                throw new UserException("--state-dir " + stateDir + ": cannot create it: " + e.getMessage());
            }
            if (!Files.isDirectory(stateDir) || !Files.isWritable(stateDir)) {
                throw new UserException("--state-dir " + stateDir + ": not a writable directory");
            }
            return new Opened(Optional.of(new StateDirectoryLedgerStore(stateDir)), Optional.empty());
        }
        if (source instanceof MeshSourceSpec.Kubernetes kube) {
            KubernetesClient client;
            try {
                client = KubernetesClients.connect(kube.settings());
            } catch (KubernetesAccessException e) {
                throw new UserException(e.getMessage());
            }
            return new Opened(Optional.of(new CustomResourceLedgerStore(client, kubeWrites,
                    CustomResourceLedgerStore.DEFAULT_BYTE_BUDGET)), Optional.of(client));
        }
        return new Opened(Optional.empty(), Optional.empty());
    }
}
