package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.ConfigKey.Kind;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.ChangeSet;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.util.EnumSet;
import java.util.Set;

/**
 * What an outbound cluster is made from besides its spec ({@link ServiceClusters.OutboundCluster}: service, port,
 * subset, DestinationRule and traffic policy) and the proxy kind: the endpoints of its service (inline for DNS
 * clusters, the mTLS mode of an original-destination cluster, the service accounts in its SANs), the pods behind
 * them (their service accounts and labels), the PeerAuthentications (auto-mTLS mode of the service's namespace) and
 * the MeshConfig fields those are read with (the root namespace that makes a policy mesh-wide, the discovery
 * selectors and domain suffix that decide what the snapshot holds).
 *
 * <p>{@link #unchangedBy} tells whether a change left all of those as they were, so that a cluster generated for a
 * spec in the previous mesh state is still exact for the same spec in the next one. It reads the change set, which
 * names every object that differs between the two snapshots ({@code ChangeDetector}).
 */
public final class ClusterInputs {

    /**
     * Kinds a cluster does not read except through its spec: a changed Service or DestinationRule yields another spec
     * (and so another memo key); Sidecars, VirtualServices and learned scopes decide which specs a scope holds and
     * how listeners and routes use them, never a cluster's content.
     */
    private static final Set<Kind> SPEC_OR_SCOPE_ONLY = EnumSet.of(Kind.SERVICE, Kind.DESTINATION_RULE, Kind.SIDECAR,
            Kind.VIRTUAL_SERVICE, Kind.LEARNED_SCOPE);

    private ClusterInputs() {
    }

    /**
     * True when every outbound cluster of {@code after} equals the cluster generated for the same spec and kind in
     * {@code before}: the change touched no endpoints, pods, namespaces or PeerAuthentications, and a MeshConfig
     * change only touched fields clusters do not read (the outbound traffic policy and the default {@code exportTo}s,
     * which shape listeners, routes and scopes).
     */
    public static boolean unchangedBy(ChangeSet changes, MeshSnapshot before, MeshSnapshot after) {
        for (var key : changes.keys()) {
            if (key.kind() == Kind.MESH_CONFIG) {
                if (!sameClusterFields(before.meshConfig(), after.meshConfig())) {
                    return false;
                }
            } else if (!SPEC_OR_SCOPE_ONLY.contains(key.kind())) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameClusterFields(MeshConfig a, MeshConfig b) {
        return a.rootNamespace().equals(b.rootNamespace()) && a.discoverySelectors().equals(b.discoverySelectors())
                && a.domainSuffix().equals(b.domainSuffix());
    }
}
