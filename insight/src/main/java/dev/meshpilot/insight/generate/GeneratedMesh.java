package dev.meshpilot.insight.generate;

import java.nio.file.Path;

/** What {@link MeshGenerator} wrote: counts of each kind of object and the directory holding them. */
public record GeneratedMesh(Path root, int namespaces, int services, int workloads, int pods, int sidecars,
                            int edges, int files) {

    /** One line for humans, e.g. after {@code meshpilot generate}. */
    public String summary() {
        return "wrote " + files + " files to " + root + ": " + namespaces + " namespaces, " + services
                + " services, " + workloads + " workloads (" + pods + " pods), " + sidecars + " sidecars, "
                + edges + " call edges";
    }
}
