package dev.meshpilot.insight.whatif;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Builds the three what-ifs of the footprint report as real Sidecar resources, and applies a proposal to a
 * snapshot so that the real scoping and generation run on it.
 */
public final class WhatIfs {

    /** Name of the root default Sidecar the namespace what-if adds. */
    public static final String NAMESPACE_DEFAULT_NAME = "default";
    /** Name prefix of the per-workload Sidecars of the traffic oracle. */
    public static final String ORACLE_PREFIX = "oracle-";
    /** A host entry that imports nothing (an exclusion-only listener, R24): for workloads that call nobody. */
    static final String IMPORT_NOTHING = "~/*";
    /** How many Sidecars a {@code --with} description names before "and N more". */
    static final int LISTED = 5;
    /** Proposed Sidecars predate every real one, so a proposed root default is the one Istio picks (R15). */
    private static final Instant PROPOSED_AT = Instant.EPOCH.minusSeconds(1_000_000);

    private WhatIfs() {
    }

    /** {@code --with}: the given Sidecars, read from {@code source}. */
    public static Proposal withSidecars(String source, List<SidecarResource> sidecars, List<String> notes) {
        List<String> names = sidecars.stream().map(s -> s.meta().namespace() + "/" + s.meta().name()).toList();
        String shown = names.isEmpty() ? "none" : String.join(", ", names.subList(0, Math.min(LISTED, names.size())))
                + (names.size() > LISTED ? " and " + (names.size() - LISTED) + " more" : "");
        return new Proposal("with", names.size() + " Sidecars from " + source + ": " + shown, sidecars, notes);
    }

    /**
     * {@code --scope namespace}: a root-namespace default Sidecar with egress {@code ./*} and {@code istio-system/*}
     * (the seed article's), so every proxy without its own Sidecar sees its namespace and the control plane's.
     */
    public static Proposal namespaceScope(MeshSnapshot snapshot) {
        String root = snapshot.meshConfig().rootNamespace();
        SidecarResource sidecar = new SidecarResource(
                new ObjectMeta(root, NAMESPACE_DEFAULT_NAME, PROPOSED_AT, Map.of(), Map.of()), Optional.empty(),
                List.of(SidecarResource.EgressListener.ofHosts("./*", "istio-system/*")), List.of(), Optional.empty());
        return new Proposal("namespace", "root default Sidecar " + root + "/" + NAMESPACE_DEFAULT_NAME
                + ": egress ./* + istio-system/*", List.of(sidecar), List.of());
    }

    /**
     * {@code --traffic}: the oracle. One workload-selecting Sidecar per analysed workload whose egress hosts are
     * exactly the services it calls ({@code NAMESPACE/HOST} per distinct called host; a workload that calls
     * nobody imports nothing). Selectors are the workloads' pod template labels; Sidecars of workloads with more
     * labels are made older, so that where one workload's labels include another's, each still gets its own.
     *
     * @param analysed which workloads are analysed (edges from other workloads are ignored, with a note)
     */
    public static Proposal trafficOracle(MeshSnapshot snapshot, List<TrafficEdge> edges,
                                         Predicate<WorkloadGroup> analysed) {
        List<String> notes = new ArrayList<>();
        Map<String, WorkloadGroup> groups = new LinkedHashMap<>();
        for (WorkloadGroup g : snapshot.workloadGroups()) {
            if (analysed.test(g)) {
                groups.putIfAbsent(g.namespace() + "/" + g.name(), g);
            }
        }
        Map<String, Set<String>> hostsByWorkload = new TreeMap<>();
        Set<String> unknownSources = new TreeSet<>();
        Set<String> unknownHosts = new TreeSet<>();
        for (TrafficEdge edge : edges) {
            String source = edge.sourceNamespace() + "/" + edge.sourceWorkload();
            if (!groups.containsKey(source)) {
                unknownSources.add(source);
                continue;
            }
            List<String> namespaces = snapshot.servicesNamed(edge.host()).stream()
                    .map(s -> s.namespace()).distinct().toList();
            if (namespaces.isEmpty()) {
                unknownHosts.add(edge.host());
                continue;
            }
            Set<String> hosts = hostsByWorkload.computeIfAbsent(source, k -> new TreeSet<>());
            for (String ns : namespaces) {
                hosts.add(ns + "/" + edge.host());
            }
        }
        if (!unknownSources.isEmpty()) {
            notes.add("traffic from workloads not analysed or not in the registry was ignored: "
                    + String.join(", ", unknownSources));
        }
        if (!unknownHosts.isEmpty()) {
            notes.add("traffic to hosts no service declares was ignored: " + String.join(", ", unknownHosts));
        }

        List<WorkloadGroup> ordered = new ArrayList<>(groups.values());
        ordered.sort(Comparator.comparingInt((WorkloadGroup g) -> -g.templateLabels().size())
                .thenComparing(WorkloadGroup::namespace).thenComparing(WorkloadGroup::name));
        List<SidecarResource> sidecars = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            WorkloadGroup g = ordered.get(i);
            if (g.templateLabels().isEmpty()) {
                notes.add(g.namespace() + "/" + g.name() + " has no pod labels; no Sidecar can select it alone");
                continue;
            }
            Set<String> hosts = hostsByWorkload.getOrDefault(g.namespace() + "/" + g.name(), Set.of());
            List<String> egressHosts = hosts.isEmpty() ? List.of(IMPORT_NOTHING) : List.copyOf(hosts);
            ObjectMeta meta = new ObjectMeta(g.namespace(), ORACLE_PREFIX + g.name(), PROPOSED_AT.plusSeconds(i),
                    Map.of(), Map.of());
            sidecars.add(new SidecarResource(meta, Optional.of(g.templateLabels()),
                    List.of(new SidecarResource.EgressListener(Optional.empty(), "", "DEFAULT", egressHosts)),
                    List.of(), Optional.empty()));
        }
        return new Proposal("traffic", "traffic oracle: one Sidecar per workload importing exactly the services "
                + "it calls (" + sidecars.size() + " Sidecars)", sidecars, notes);
    }

    /** The snapshot with the proposal's Sidecars applied (same namespace and name replaces). */
    public static MeshSnapshot apply(MeshSnapshot snapshot, Proposal proposal) {
        Map<ConfigKey, SidecarResource> sidecars = new LinkedHashMap<>();
        for (SidecarResource s : snapshot.sidecars()) {
            sidecars.put(s.key(), s);
        }
        for (SidecarResource s : proposal.sidecars()) {
            sidecars.put(s.key(), s);
        }
        return new MeshSnapshot(snapshot.version() + 1, snapshot.meshConfig(), snapshot.namespaces(),
                snapshot.services(), snapshot.endpointSlices(), snapshot.workloads(), snapshot.workloadGroups(),
                List.copyOf(sidecars.values()), snapshot.virtualServices(), snapshot.destinationRules(),
                snapshot.peerAuthentications());
    }
}
