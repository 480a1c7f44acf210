package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.kube.convert.ConversionProblem;

import java.util.List;
import java.util.Objects;

/** A mesh read from manifests: the snapshot built from what was valid, and what was wrong or skipped. */
public record LoadedMesh(MeshSnapshot snapshot, LoadResult result) {
    public LoadedMesh {
        Objects.requireNonNull(snapshot, "snapshot");
        Objects.requireNonNull(result, "result");
    }

    public List<ConversionProblem> problems() {
        return result.problems();
    }

    public List<ConversionProblem> errors() {
        return result.errors();
    }
}
