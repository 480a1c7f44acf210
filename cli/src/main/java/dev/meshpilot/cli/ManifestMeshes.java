package dev.meshpilot.cli;

import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;

import java.nio.file.Files;
import java.nio.file.Path;

/** A mesh read from a directory (or file) of manifests a command was given; a missing or unreadable one is a user error. */
public final class ManifestMeshes {

    private ManifestMeshes() {
    }

    /** Loads {@code path}, given to {@code command} as {@code option}. */
    public static LoadedMesh load(String command, String option, Path path, ConverterOptions options) {
        if (!Files.exists(path)) {
            throw new UserException(command + ": " + option + " " + path + " does not exist");
        }
        try {
            return MeshLoader.load(path, options);
        } catch (IllegalArgumentException e) {
            throw new UserException(command + ": " + option + " " + path + ": " + e.getMessage());
        }
    }
}
