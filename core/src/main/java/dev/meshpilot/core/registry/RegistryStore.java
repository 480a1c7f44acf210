package dev.meshpilot.core.registry;

import dev.meshpilot.core.model.MeshConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The mesh as its sources last described it: objects per source key (a file path, an object id), turned into an
 * immutable {@link MeshSnapshot} with a monotonic version after every effective change. Subscribers receive each
 * {@link SnapshotUpdate} in version order, on the thread that applied the change; they must return quickly
 * (hand work to their own executor). Thread-safe.
 *
 * <p>When two sources hold the same object (same kind, namespace and name), the source key that sorts first wins,
 * so the outcome does not depend on the order events arrived in.
 */
public final class RegistryStore {

    private static final System.Logger LOG = System.getLogger(RegistryStore.class.getName());

    private final MeshConfig defaults;
    private final Map<String, MeshObjects> sources = new TreeMap<>();
    private final List<Consumer<SnapshotUpdate>> listeners = new CopyOnWriteArrayList<>();
    private volatile MeshSnapshot current;

    /** @param defaults the MeshConfig used while no source holds one (e.g. {@code MeshConfig.defaultsWithRoot}) */
    public RegistryStore(MeshConfig defaults) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
        this.current = MeshSnapshot.empty(defaults);
    }

    /** The latest snapshot (version 0 and empty before the first change). */
    public MeshSnapshot current() {
        return current;
    }

    /** The source keys currently holding objects, sorted. */
    public synchronized SortedSet<String> sourceKeys() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(sources.keySet()));
    }

    /** The objects a source currently holds, if any. */
    public synchronized Optional<MeshObjects> objectsOf(String sourceKey) {
        return Optional.ofNullable(sources.get(sourceKey));
    }

    /** Replaces the objects of one source. Returns the published update, empty when nothing changed. */
    public Optional<SnapshotUpdate> replace(String sourceKey, MeshObjects objects) {
        return apply(List.of(SourceChange.replace(sourceKey, objects)));
    }

    /** Removes one source. Returns the published update, empty when nothing changed. */
    public Optional<SnapshotUpdate> delete(String sourceKey) {
        return apply(List.of(SourceChange.delete(sourceKey)));
    }

    /**
     * Applies several source changes as one step: at most one snapshot is published for the batch. Returns the
     * published update, empty when the sources end up as they were.
     */
    public synchronized Optional<SnapshotUpdate> apply(List<SourceChange> changes) {
        boolean changed = false;
        for (SourceChange change : changes) {
            MeshObjects before = sources.get(change.sourceKey());
            if (change.isDelete() || change.objects().get().isEmpty()) {
                changed |= sources.remove(change.sourceKey()) != null;
            } else if (!change.objects().get().equals(before)) {
                sources.put(change.sourceKey(), change.objects().get());
                changed = true;
            }
        }
        if (!changed) {
            return Optional.empty();
        }
        MeshSnapshot previous = current;
        MeshSnapshot next = SnapshotBuilder.build(previous.version() + 1, defaults, new ArrayList<>(sources.values()));
        ChangeSet changeSet = ChangeDetector.between(previous, next);
        current = next;
        SnapshotUpdate update = new SnapshotUpdate(previous, next, changeSet);
        for (Consumer<SnapshotUpdate> listener : listeners) {
            try {
                listener.accept(update);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "registry subscriber failed on version " + next.version(), e);
            }
        }
        return Optional.of(update);
    }

    /**
     * Registers a listener for every later update. The returned subscription carries the snapshot current at
     * registration, so that no update falls between reading the state and listening.
     */
    public synchronized Subscription subscribe(Consumer<SnapshotUpdate> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return new Subscription(current, () -> listeners.remove(listener));
    }

    /** A registered listener; {@link #close()} unregisters it. */
    public static final class Subscription implements AutoCloseable {
        private final MeshSnapshot initial;
        private final Runnable cancel;

        private Subscription(MeshSnapshot initial, Runnable cancel) {
            this.initial = initial;
            this.cancel = cancel;
        }

        /** The snapshot that was current when the listener was registered. */
        public MeshSnapshot initial() {
            return initial;
        }

        @Override
        public void close() {
            cancel.run();
        }
    }
}
