package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.core.registry.SnapshotBuilder;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.convert.KubeObjectConverter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

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

    /**
     * Loads {@code directory} into a new {@link RegistryStore} and keeps watching it: file additions, changes and
     * deletions become new snapshots without a restart.
     *
     * @param onReload called on the watcher thread after each effective reload, with the directory's current result
     * @throws IllegalArgumentException when the path does not exist
     */
    public static WatchedMesh watch(Path directory, ConverterOptions options, Duration pollInterval,
                                    Consumer<LoadResult> onReload) {
        return watch(directory, options, WatchSettings.DEFAULT.withPollInterval(pollInterval), onReload);
    }

    /**
     * Like {@link #watch(Path, ConverterOptions, Duration, Consumer)}, with every watch setting (poll interval,
     * settle window, stall bound, parse threads, size limits).
     */
    public static WatchedMesh watch(Path directory, ConverterOptions options, WatchSettings settings,
                                    Consumer<LoadResult> onReload) {
        if (!Files.exists(directory)) {
            throw new IllegalArgumentException("registry directory " + directory + " does not exist");
        }
        RegistryStore store = new RegistryStore(options.defaultMeshConfig());
        DirectoryWatcher watcher = new DirectoryWatcher(
                new ManifestDirectory(directory, new KubeObjectConverter(options), settings.limits()), store, settings,
                Clock.systemUTC(), null, onReload);
        LoadResult initial = watcher.start();
        return new WatchedMesh(store, watcher, initial);
    }

    public static WatchedMesh watch(Path directory, ConverterOptions options) {
        return watch(directory, options, DirectoryWatcher.DEFAULT_POLL_INTERVAL, r -> { });
    }
}
