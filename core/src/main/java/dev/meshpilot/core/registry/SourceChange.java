package dev.meshpilot.core.registry;

import java.util.Objects;
import java.util.Optional;

/**
 * One event of a source: the objects under a source key (e.g. a file path) are replaced, or deleted.
 *
 * @param objects the new objects; empty means the source key is gone
 */
public record SourceChange(String sourceKey, Optional<MeshObjects> objects) {

    public SourceChange {
        Objects.requireNonNull(sourceKey, "sourceKey");
        objects = objects == null ? Optional.empty() : objects;
    }

    public static SourceChange replace(String sourceKey, MeshObjects objects) {
        return new SourceChange(sourceKey, Optional.of(objects));
    }

    public static SourceChange delete(String sourceKey) {
        return new SourceChange(sourceKey, Optional.empty());
    }

    public boolean isDelete() {
        return objects.isEmpty();
    }
}
