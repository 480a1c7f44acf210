package dev.meshpilot.insight.learn;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadNames;
import dev.meshpilot.core.ledger.WorkloadLedger;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.HostReason;
import dev.meshpilot.core.scope.HostVerdict;
import dev.meshpilot.core.scope.LearnedScope;
import dev.meshpilot.core.scope.LearnedScopes;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.ScopeReach;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.insight.whatif.Proposal;
import dev.meshpilot.insight.whatif.WhatIfs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns learned scopes into Sidecar resources Istio (and meshpilot) can apply: one per workload selecting its
 * pods, or one per namespace without a selector. Then applies them to the mesh and checks, with the real scoping,
 * that no recently observed call is left outside.
 */
public final class Recommender {

    /** A host entry that imports nothing: for workloads that call nobody. */
    public static final String IMPORT_NOTHING = "~/*";
    /** Name prefix of per-workload Sidecars. */
    public static final String WORKLOAD_PREFIX = "meshpilot-";
    /** Name of per-namespace Sidecars. */
    public static final String NAMESPACE_SIDECAR_NAME = "meshpilot-learned";
    public static final String API_VERSION = "networking.istio.io/v1";
    private static final int MAX_NAME = 63;
    /** Proposed Sidecars are ranked among themselves by these made-up creation times (never rendered). */
    private static final Instant PROPOSED_AT = Instant.EPOCH.minusSeconds(1_000_000);

    private final LearningSettings settings;
    private final Set<String> skippedNamespaces;

    /** @param skippedNamespaces namespaces whose workloads run no proxy (the control plane's) */
    public Recommender(LearningSettings settings, Set<String> skippedNamespaces) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.skippedNamespaces = Set.copyOf(skippedNamespaces);
    }

    /** One workload (a Deployment/StatefulSet or a bare pod) with the labels a Sidecar selects it by. */
    private record Unit(WorkloadKey key, Map<String, String> labels, ProxyIdentity proxy, LearnedScope scope) {
        String id() {
            return key.toString();
        }
    }

    public Recommendation recommend(MeshSnapshot snapshot, DependencyLedger ledger, Instant now,
                                    Granularity granularity) {
        LearnedScopes learned = new LearnedScopes(snapshot, settings);
        List<Unit> units = units(learned, ledger, now);
        List<Recommendation.SkippedWorkload> skipped = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        units.forEach(u -> u.scope().problems().forEach(notes::add));
        units.forEach(u -> notOffered(u.scope()).ifPresent(notes::add));
        List<RecommendedSidecar> sidecars = granularity == Granularity.WORKLOAD
                ? perWorkload(units, skipped)
                : perNamespace(learned.upperBoundSnapshot(), units, skipped, notes);
        List<Recommendation.BrokenCall> broken = check(learned.upperBoundSnapshot(), units, sidecars, ledger, now);
        return new Recommendation(granularity, sidecars, units.stream().map(Unit::scope).toList(), skipped, broken,
                notes);
    }

    private List<Unit> units(LearnedScopes learned, DependencyLedger ledger, Instant now) {
        MeshSnapshot snapshot = learned.upperBoundSnapshot();
        List<Unit> units = new ArrayList<>();
        Set<String> groups = new HashSet<>();
        for (WorkloadGroup g : snapshot.workloadGroups()) {
            if (skippedNamespaces.contains(g.namespace()) || !groups.add(g.namespace() + "/" + g.name())) {
                continue;
            }
            units.add(new Unit(new WorkloadKey(g.namespace(), g.name()), g.templateLabels(), learned.representative(g),
                    learned.forWorkload(g, ledger, now)));
        }
        // Pods no Deployment/StatefulSet of the snapshot owns (a live cluster lists pods, not their controllers):
        // one unit per workload as Istio names it, selected by the labels all its pods share.
        Map<WorkloadKey, List<WorkloadInstance>> podsByWorkload = new TreeMap<>();
        for (WorkloadInstance pod : snapshot.workloads()) {
            boolean owned = !pod.workloadName().isEmpty() && groups.contains(pod.namespace() + "/" + pod.workloadName());
            if (owned || skippedNamespaces.contains(pod.namespace())) {
                continue;
            }
            podsByWorkload.computeIfAbsent(WorkloadNames.of(pod), k -> new ArrayList<>()).add(pod);
        }
        for (List<WorkloadInstance> pods : podsByWorkload.values()) {
            WorkloadInstance first = pods.get(0);
            LearnedScope scope = learned.forPod(first, ledger, now);
            units.add(new Unit(scope.workload(), sharedLabels(pods), ProxyIdentities.fromWorkload(first), scope));
        }
        units.sort(Comparator.comparing(Unit::key));
        return units;
    }

    /** The labels every pod of a workload carries, less the per-rollout {@code pod-template-hash}. */
    private static Map<String, String> sharedLabels(List<WorkloadInstance> pods) {
        Map<String, String> shared = new TreeMap<>(pods.get(0).labels());
        for (WorkloadInstance pod : pods) {
            shared.entrySet().retainAll(pod.labels().entrySet());
        }
        if (pods.get(0).workloadName().length() > 0) {
            shared.remove(WorkloadNames.POD_TEMPLATE_HASH);
        }
        return shared;
    }

    // ---- one Sidecar per workload ---------------------------------------------------------------------------------

    private List<RecommendedSidecar> perWorkload(List<Unit> units, List<Recommendation.SkippedWorkload> skipped) {
        // Sidecars with more selector labels are made older, so Istio picks a workload's own Sidecar first (R13);
        // a Sidecar whose selector also matches other workloads' pods carries their scopes too, so whichever
        // Sidecar such a pod ends up with, its calls stay inside.
        List<Unit> ordered = new ArrayList<>(units);
        ordered.sort(Comparator.comparingInt((Unit u) -> -u.labels().size()).thenComparing(Unit::key));
        Map<String, Integer> rank = new LinkedHashMap<>();
        for (int i = 0; i < ordered.size(); i++) {
            rank.put(ordered.get(i).id(), i);
        }
        Set<String> names = new HashSet<>();
        List<RecommendedSidecar> out = new ArrayList<>();
        for (Unit u : units) {
            LearnedScope scope = u.scope();
            if (!scope.applied()) {
                skipped.add(new Recommendation.SkippedWorkload(u.id(), whyNotApplied(scope)));
                continue;
            }
            if (u.labels().isEmpty()) {
                skipped.add(new Recommendation.SkippedWorkload(u.id(), "its pods have no labels; no Sidecar can "
                        + "select it alone"));
                continue;
            }
            Map<String, String> hosts = new TreeMap<>(reasons(scope, ""));
            for (Unit other : units) {
                if (other != u && other.key().namespace().equals(u.key().namespace())
                        && other.labels().entrySet().containsAll(u.labels().entrySet())) {
                    String also = "selects " + other.id() + " too: ";
                    reasons(other.scope(), also).forEach(hosts::putIfAbsent);
                }
            }
            String name = uniqueName(WORKLOAD_PREFIX + u.key().name(), u.key().namespace(), names);
            ObjectMeta meta = managedMeta(u.key().namespace(), name, PROPOSED_AT.plusSeconds(rank.get(u.id())));
            out.add(new RecommendedSidecar(sidecar(meta, Optional.of(u.labels()), hosts.keySet(), scope), hosts,
                    List.of(u.key())));
        }
        return out;
    }

    // ---- one Sidecar per namespace --------------------------------------------------------------------------------

    private List<RecommendedSidecar> perNamespace(MeshSnapshot snapshot, List<Unit> units,
                                                  List<Recommendation.SkippedWorkload> skipped, List<String> notes) {
        Map<String, List<Unit>> byNamespace = new TreeMap<>();
        units.forEach(u -> byNamespace.computeIfAbsent(u.key().namespace(), n -> new ArrayList<>()).add(u));
        String root = snapshot.meshConfig().rootNamespace();
        List<RecommendedSidecar> out = new ArrayList<>();
        for (Map.Entry<String, List<Unit>> e : byNamespace.entrySet()) {
            String ns = e.getKey();
            Optional<SidecarResource> handWritten = snapshot.sidecars().stream()
                    .filter(s -> s.meta().namespace().equals(ns) && !s.hasWorkloadSelector()).findFirst();
            if (ns.equals(root)) {
                skipped.add(new Recommendation.SkippedWorkload("namespace " + ns, "a Sidecar without selector in the "
                        + "root namespace would be every namespace's default"));
                continue;
            }
            if (handWritten.isPresent()) {
                skipped.add(new Recommendation.SkippedWorkload("namespace " + ns, "hand-written Sidecar " + ns + "/"
                        + handWritten.get().meta().name() + " is its default"));
                continue;
            }
            Map<String, String> hosts = new TreeMap<>();
            List<WorkloadKey> carried = new ArrayList<>();
            LearnedScope policySource = null;
            for (Unit u : e.getValue()) {
                LearnedScope scope = u.scope();
                if (scope.outcome() == LearnedScope.Outcome.HAND_WRITTEN_SIDECAR_WINS) {
                    skipped.add(new Recommendation.SkippedWorkload(u.id(), whyNotApplied(scope)));
                    continue;
                }
                if (scope.outcome() == LearnedScope.Outcome.SAFETY_CHECK_FAILED) {
                    notes.add(u.id() + " keeps its previous scope inside " + ns + "/" + NAMESPACE_SIDECAR_NAME + ": "
                            + whyNotApplied(scope));
                }
                reasons(scope, u.key().name() + ": ").forEach(hosts::putIfAbsent);
                carried.add(u.key());
                policySource = policySource == null ? scope : policySource;
            }
            if (carried.isEmpty()) {
                continue;
            }
            ObjectMeta meta = managedMeta(ns, NAMESPACE_SIDECAR_NAME, PROPOSED_AT);
            out.add(new RecommendedSidecar(sidecar(meta, Optional.empty(), hosts.keySet(), policySource), hosts,
                    carried));
        }
        return out;
    }

    /** A note naming the destinations a workload was seen calling that its scope cannot hold, if any. */
    private static Optional<String> notOffered(LearnedScope scope) {
        List<String> unknown = scope.verdicts().stream()
                .filter(v -> v.reason() == HostReason.UNKNOWN_DESTINATION).map(HostVerdict::host).toList();
        List<String> beyond = scope.verdicts().stream()
                .filter(v -> v.reason() == HostReason.BEYOND_UPPER_BOUND).map(HostVerdict::egressHost).toList();
        List<String> parts = new ArrayList<>();
        if (!unknown.isEmpty()) {
            parts.add("destinations no service declares (never served): " + String.join(", ", unknown));
        }
        if (!beyond.isEmpty()) {
            parts.add("services Istio's rules do not show it (learning only narrows): " + String.join(", ", beyond));
        }
        return parts.isEmpty() ? Optional.empty()
                : Optional.of(scope.workload() + " was seen calling " + String.join("; and ", parts));
    }

    // ---- shared -----------------------------------------------------------------------------------------------

    private static String whyNotApplied(LearnedScope scope) {
        return switch (scope.outcome()) {
            case HAND_WRITTEN_SIDECAR_WINS -> "hand-written Sidecar " + scope.handWrittenSidecar().orElse("?")
                    + " applies to it";
            case SAFETY_CHECK_FAILED -> "safety check failed: the learned scope would break " + scope.brokenCalls()
                    .stream().map(c -> c.destination().toString()).toList();
            case LEARNED -> "learned";
        };
    }

    /** Egress host to the phrase saying why it is in the scope. */
    private static Map<String, String> reasons(LearnedScope scope, String prefix) {
        Map<String, String> out = new TreeMap<>();
        Set<String> inScope = new HashSet<>(scope.egressHosts());
        for (HostVerdict v : scope.verdicts()) {
            if (v.inScope() && inScope.contains(v.egressHost())) {
                out.putIfAbsent(v.egressHost(), prefix + v.reason().label().replace('-', ' ') + ": " + v.detail());
            }
        }
        for (MeshService s : scope.services()) {
            out.putIfAbsent(s.namespace() + "/" + s.hostname(), prefix + "in scope");
        }
        return out;
    }

    private static SidecarResource sidecar(ObjectMeta meta, Optional<Map<String, String>> selector,
                                           Set<String> hosts, LearnedScope scope) {
        List<String> egress = hosts.isEmpty() ? List.of(IMPORT_NOTHING) : List.copyOf(new TreeSet<>(hosts));
        return new SidecarResource(meta, selector,
                List.of(new SidecarResource.EgressListener(Optional.empty(), "", "DEFAULT", egress)), List.of(),
                scope.outboundTrafficPolicy());
    }

    private static ObjectMeta managedMeta(String namespace, String name, Instant rankedAt) {
        return new ObjectMeta(namespace, name, rankedAt,
                Map.of(LearnedScopes.MANAGED_BY_LABEL, LearnedScopes.MANAGED_BY_MESHPILOT), Map.of());
    }

    /** A DNS-1123 label: lower case, {@code [a-z0-9-]}, at most 63 characters, alphanumeric at both ends. */
    static String dnsLabel(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (lower.length() > MAX_NAME) {
            lower = lower.substring(0, MAX_NAME);
        }
        lower = lower.replaceAll("^-+", "").replaceAll("-+$", "");
        return lower.isEmpty() ? "meshpilot" : lower;
    }

    private static String uniqueName(String wanted, String namespace, Set<String> taken) {
        String name = dnsLabel(wanted);
        int n = 2;
        while (!taken.add(namespace + "/" + name)) {
            String suffix = "-" + n++;
            name = dnsLabel(wanted).substring(0, Math.min(dnsLabel(wanted).length(), MAX_NAME - suffix.length()))
                    + suffix;
        }
        return name;
    }

    /**
     * Applies the Sidecars and, with the real scoping, lists every call seen within the recent window that the
     * upper bound lets through and the proposal does not.
     */
    private List<Recommendation.BrokenCall> check(MeshSnapshot snapshot, List<Unit> units,
                                                  List<RecommendedSidecar> sidecars, DependencyLedger ledger,
                                                  Instant now) {
        Proposal proposal = WhatIfs.withSidecars("recommendation",
                sidecars.stream().map(RecommendedSidecar::sidecar).toList(), List.of());
        SidecarScopes proposed = new SidecarScopes(WhatIfs.apply(snapshot, proposal));
        Instant recent = now.minus(settings.recentWindow());
        List<Recommendation.BrokenCall> broken = new ArrayList<>();
        for (Unit u : units) {
            ProxyScope after = proposed.scopeFor(u.proxy());
            ScopeReach before = ScopeReach.of(u.scope().upperBound());
            ScopeReach reach = ScopeReach.of(after);
            WorkloadLedger page = ledger.page(u.key()).orElse(WorkloadLedger.empty(u.key()));
            for (CallEvidence call : page.calls().values()) {
                String host = call.destination().host();
                int port = call.destination().port();
                if (!call.lastSeen().isBefore(recent) && before.reaches(host, port) && !reach.reaches(host, port)) {
                    broken.add(new Recommendation.BrokenCall(u.key(), call, after.name()));
                }
            }
        }
        return broken;
    }
}
