package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.RegistryStore;

import java.util.Objects;

/**
 * A registry store kept in step with a manifest directory: what {@code serve --registry DIR} runs on. Closing it
 * stops watching; the store keeps its last snapshot.
 *
 * @param initial the result of the first load (problems included)
 */
public record WatchedMesh(RegistryStore store, DirectoryWatcher watcher, LoadResult initial) implements AutoCloseable {

    public WatchedMesh {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(watcher, "watcher");
        Objects.requireNonNull(initial, "initial");
    }

    @Override
    public void close() {
        watcher.close();
    }
}
