package dev.meshpilot.xds.dump;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;

/**
 * Receives a config dump's resources one at a time, in the order the file holds them, so a reader of a huge dump
 * keeps only what it chooses to keep.
 */
public interface DumpVisitor {

    default void node(DumpNode node) {
    }

    default void cluster(Cluster cluster, Section section) {
    }

    default void listener(Listener listener, Section section) {
    }

    default void route(RouteConfiguration route, Section section) {
    }

    default void endpoints(ClusterLoadAssignment assignment, Section section) {
    }

    /** A secret (SDS) entry; only counted, its content is never parsed. */
    default void secret(String name, Section section) {
    }
}
