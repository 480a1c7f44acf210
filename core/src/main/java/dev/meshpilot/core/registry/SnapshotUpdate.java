package dev.meshpilot.core.registry;

import java.util.Objects;

/** One publication of the registry store: the snapshot before, the snapshot now, and what changed between them. */
public record SnapshotUpdate(MeshSnapshot previous, MeshSnapshot current, ChangeSet changes) {
    public SnapshotUpdate {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(changes, "changes");
    }
}
