package dev.meshpilot.server;

import dev.meshpilot.kube.apiserver.KubernetesSettings;

import java.nio.file.Path;
import java.util.Objects;

/** Where the served mesh comes from: a watched manifest directory, or a Kubernetes API server. */
public sealed interface MeshSourceSpec {

    /** Every {@code *.yaml}/{@code *.yml} below a directory, watched for additions, changes and deletions. */
    record Directory(Path path) implements MeshSourceSpec {
        public Directory {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String describe() {
            return path.toString();
        }
    }

    /** A cluster's API server, followed with informers (the kubeconfig context or in-cluster account). */
    record Kubernetes(KubernetesSettings settings) implements MeshSourceSpec {
        public Kubernetes {
            Objects.requireNonNull(settings, "settings");
        }

        @Override
        public String describe() {
            return "the Kubernetes API" + settings.context().map(c -> " (context " + c + ")").orElse("");
        }
    }

    /** For the one line {@code serve} prints. */
    String describe();
}
