package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.SnapshotBuilder;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.convert.KubeObjectConverter;

import java.nio.file.Files;
import java.nio.file.Path;

/** Directory (or file) of manifests to a mesh snapshot and its problems, in one call (offline commands use this). */
public final class MeshLoader {

    private MeshLoader() {
    }

    public static LoadedMesh load(Path directory) {
        return load(directory, ConverterOptions.DEFAULT);
    }

    /**
     * Loads every manifest below {@code directory}. Invalid objects are reported in the result and left out; the
     * snapshot holds everything else (version 1).
     *
     * @throws IllegalArgumentException when the path does not exist
     */
    public static LoadedMesh load(Path directory, ConverterOptions options) {
        if (!Files.exists(directory)) {
            throw new IllegalArgumentException("registry directory " + directory + " does not exist");
        }
        LoadResult result = new ManifestDirectory(directory, new KubeObjectConverter(options)).load();
        MeshSnapshot snapshot = SnapshotBuilder.build(1, options.defaultMeshConfig(), result.objectsByFile().values());
        return new LoadedMesh(snapshot, result);
    }
}
