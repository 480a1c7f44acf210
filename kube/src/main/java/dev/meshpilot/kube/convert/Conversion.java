package dev.meshpilot.kube.convert;

import dev.meshpilot.core.registry.MeshObjects;

import java.util.Objects;
import java.util.Optional;

/** The outcome of converting one Kubernetes object. */
public sealed interface Conversion {

    /** The object became these model objects. */
    record Converted(ObjectRef ref, MeshObjects objects) implements Conversion {
        public Converted {
            Objects.requireNonNull(ref, "ref");
            Objects.requireNonNull(objects, "objects");
        }
    }

    /**
     * The object is not mesh input and was skipped: an unknown kind (with a warning) or a kind we know to
     * ignore, such as a ConfigMap other than the mesh's.
     *
     * @param typeName {@code apiVersion/kind} (counted per type)
     * @param warning  the warning to show, if the skip deserves one
     */
    record Skipped(String typeName, Optional<ConversionProblem> warning) implements Conversion {
        public Skipped {
            Objects.requireNonNull(typeName, "typeName");
            warning = warning == null ? Optional.empty() : warning;
        }
    }

    /**
     * The object is invalid and was skipped.
     *
     * @param ref the object's identity when its header could be read (lets a watcher keep its last good version)
     */
    record Failed(Optional<ObjectRef> ref, ConversionProblem problem) implements Conversion {
        public Failed {
            ref = ref == null ? Optional.empty() : ref;
            Objects.requireNonNull(problem, "problem");
        }
    }
}
