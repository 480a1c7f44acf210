package dev.meshpilot.insight.footprint;

import dev.meshpilot.insight.model.ConfigCounts;
import dev.meshpilot.xds.dump.ConfigDumpReader;
import dev.meshpilot.xds.dump.DumpNode;
import dev.meshpilot.xds.dump.DumpReadResult;
import dev.meshpilot.xds.dump.DumpVisitor;
import dev.meshpilot.xds.dump.Section;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One real proxy measured from its Envoy config dump: the counts and serialized bytes of the resources it was
 * sent over xDS (dynamic, active), by the same rules as meshpilot's own resources ({@link ResourceMeasure.Tally}).
 * Bootstrap (static) resources are counted apart: the memory model's base already stands for Istio's bootstrap.
 * The dump is read as a stream, one resource in memory at a time.
 *
 * @param staticResources clusters and listeners from the bootstrap (not in {@code counts})
 */
public record DumpMeasurement(Path file, Optional<DumpNode> node, ConfigCounts counts, XdsBytes bytes,
                              int staticResources, DumpReadResult read) {

    public DumpMeasurement {
        Objects.requireNonNull(file, "file");
        node = node == null ? Optional.empty() : node;
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(read, "read");
    }

    /** Reads and measures a dump; a file that is not one throws {@code ConfigDumpException}. */
    public static DumpMeasurement of(Path file, ResourceMeasure measure) {
        ResourceMeasure.Tally tally = measure.tally();
        DumpNode[] node = {null};
        int[] statics = {0};
        DumpVisitor visitor = new DumpVisitor() {
            @Override
            public void node(DumpNode n) {
                node[0] = n;
            }

            @Override
            public void cluster(Cluster cluster, Section section) {
                if (section == Section.DYNAMIC_ACTIVE) {
                    tally.cluster(cluster);
                } else if (section == Section.STATIC) {
                    statics[0]++;
                }
            }

            @Override
            public void listener(Listener listener, Section section) {
                if (section == Section.DYNAMIC_ACTIVE) {
                    tally.listener(listener);
                } else if (section == Section.STATIC) {
                    statics[0]++;
                }
            }

            @Override
            public void route(RouteConfiguration route, Section section) {
                if (section == Section.DYNAMIC_ACTIVE) {
                    tally.route(route);
                }
            }

            @Override
            public void endpoints(ClusterLoadAssignment assignment, Section section) {
                if (section == Section.DYNAMIC_ACTIVE) {
                    tally.endpoints(assignment);
                }
            }
        };
        DumpReadResult read = ConfigDumpReader.read(file, visitor);
        return new DumpMeasurement(file, Optional.ofNullable(node[0]), tally.counts(), tally.bytes(), statics[0], read);
    }
}
