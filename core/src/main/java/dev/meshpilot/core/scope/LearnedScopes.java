package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.CallEvidence;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;
import dev.meshpilot.core.ledger.WorkloadNames;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.WorkloadGroup;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Learned scopes of one mesh state, as pure functions of the snapshot, the ledger, the settings and {@code now}
 * (no clock is read). A workload's learned scope is what it was seen calling, plus its pins, plus the destinations
 * of VirtualServices bound to what it calls, plus the mesh-wide pins — intersected with its upper bound, the scope
 * Istio's rules already give it, so learning only ever narrows. A Sidecar someone wrote for the workload or its
 * namespace wins. Sidecars meshpilot wrote (labelled {@value #MANAGED_BY_LABEL}: {@value #MANAGED_BY_MESHPILOT})
 * are left out of the upper bound, so learning again from its own output gives the same answer.
 */
public final class LearnedScopes {

    /** The label marking resources meshpilot wrote. */
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY_MESHPILOT = "meshpilot";

    private final MeshSnapshot snapshot;
    private final LearningSettings settings;
    private final SidecarScopes scopes;
    private final Map<String, List<WorkloadInstance>> podsByWorkload = new HashMap<>();

    public LearnedScopes(MeshSnapshot snapshot, LearningSettings settings) {
        this.snapshot = withoutManagedSidecars(Objects.requireNonNull(snapshot, "snapshot"));
        this.settings = Objects.requireNonNull(settings, "settings");
        this.scopes = new SidecarScopes(this.snapshot);
        for (WorkloadInstance pod : this.snapshot.workloads()) {
            if (!pod.workloadName().isEmpty()) {
                podsByWorkload.computeIfAbsent(pod.namespace() + "/" + pod.workloadName(), k -> new ArrayList<>())
                        .add(pod);
            }
        }
    }

    /** True for a Sidecar meshpilot wrote. */
    public static boolean isManaged(SidecarResource sidecar) {
        return MANAGED_BY_MESHPILOT.equals(sidecar.meta().labels().get(MANAGED_BY_LABEL));
    }

    /** The snapshot without meshpilot's own Sidecars: the mesh the upper bounds are computed on. */
    public static MeshSnapshot withoutManagedSidecars(MeshSnapshot snapshot) {
        if (snapshot.sidecars().stream().noneMatch(LearnedScopes::isManaged)) {
            return snapshot;
        }
        return new MeshSnapshot(snapshot.version(), snapshot.meshConfig(), snapshot.namespaces(), snapshot.services(),
                snapshot.endpointSlices(), snapshot.workloads(), snapshot.workloadGroups(),
                snapshot.sidecars().stream().filter(s -> !isManaged(s)).toList(), snapshot.virtualServices(),
                snapshot.destinationRules(), snapshot.peerAuthentications());
    }

    /** The snapshot upper bounds are computed on (meshpilot's own Sidecars removed). */
    public MeshSnapshot upperBoundSnapshot() {
        return snapshot;
    }

    public LearningSettings settings() {
        return settings;
    }

    /** The learned scope of a Deployment/StatefulSet, its upper bound taken for a representative pod. */
    public LearnedScope forWorkload(WorkloadGroup group, DependencyLedger ledger, Instant now) {
        return learn(group, representative(group), ledger, now, Optional.empty());
    }

    /** As {@link #forWorkload}, keeping {@code previous} (instead of the upper bound) if the safety check fails. */
    public LearnedScope forWorkload(WorkloadGroup group, DependencyLedger ledger, Instant now,
                                    Optional<List<MeshService>> previous) {
        return learn(group, representative(group), ledger, now, previous);
    }

    /** The learned scope of a pod: its workload's if a Deployment/StatefulSet owns it, else its own. */
    public LearnedScope forPod(WorkloadInstance pod, DependencyLedger ledger, Instant now) {
        ProxyIdentity proxy = ProxyIdentities.fromWorkload(pod);
        Optional<WorkloadGroup> group = snapshot.workloadGroups().stream()
                .filter(g -> g.namespace().equals(pod.namespace()) && g.name().equals(pod.workloadName()))
                .findFirst();
        if (group.isPresent()) {
            return learn(group.get(), proxy, ledger, now, Optional.empty());
        }
        WorkloadKey key = WorkloadNames.of(pod);
        HostPins pins = HostPins.parse("Pod " + pod.namespace() + "/" + pod.name(),
                pod.meta().annotations().get(HostPins.ANNOTATION), pod.namespace());
        return learn(key, proxy, pins, ledger, now, Optional.empty());
    }

    private LearnedScope learn(WorkloadGroup group, ProxyIdentity proxy, DependencyLedger ledger, Instant now,
                               Optional<List<MeshService>> previous) {
        HostPins pins = HostPins.parse(group.kind() + " " + group.namespace() + "/" + group.name(),
                group.meta().annotations().get(HostPins.ANNOTATION), group.namespace());
        return learn(new WorkloadKey(group.namespace(), group.name()), proxy, pins, ledger, now, previous);
    }

    /** The pod whose scope stands for the workload's: its first pod by name, else one synthesized from the template. */
    public ProxyIdentity representative(WorkloadGroup group) {
        return podsByWorkload.getOrDefault(group.namespace() + "/" + group.name(), List.of()).stream()
                .min(Comparator.comparing(WorkloadInstance::name))
                .map(ProxyIdentities::fromWorkload)
                .orElseGet(() -> new ProxyIdentity(group.name() + "-0", group.namespace(), group.templateLabels(), "",
                        ProxyIdentity.ProxyKind.SIDECAR));
    }

    private LearnedScope learn(WorkloadKey key, ProxyIdentity proxy, HostPins workloadPins, DependencyLedger ledger,
                               Instant now, Optional<List<MeshService>> previous) {
        Objects.requireNonNull(now, "now");
        SidecarSelection selection = scopes.selectionFor(proxy);
        ProxyScope upper = scopes.scopeFor(proxy);
        Optional<OutboundTrafficPolicy> policy = selection.level() == SidecarSelection.Level.ROOT_DEFAULT
                ? selection.sidecar().flatMap(SidecarResource::outboundTrafficPolicy) : Optional.empty();
        HostPins namespacePins = namespacePins(proxy.namespace());
        HostPins meshPins = meshPins(proxy.namespace());
        List<String> problems = new ArrayList<>();
        problems.addAll(workloadPins.problems());
        problems.addAll(namespacePins.problems());
        problems.addAll(meshPins.problems());

        if (selection.level() == SidecarSelection.Level.WORKLOAD_SELECTOR
                || selection.level() == SidecarSelection.Level.NAMESPACE_DEFAULT) {
            String sidecar = selection.sidecar().map(s -> s.meta().namespace() + "/" + s.meta().name())
                    .orElse(selection.scopeName());
            List<HostVerdict> verdicts = upper.services().stream()
                    .map(s -> new HostVerdict(s.hostname(), s.namespace(), HostReason.HAND_WRITTEN_SIDECAR_WINS,
                            "Sidecar " + sidecar + " (" + selection.reason() + ")", List.of()))
                    .toList();
            return new LearnedScope(key, LearnedScope.Outcome.HAND_WRITTEN_SIDECAR_WINS, upper, upper.services(),
                    verdicts, List.of(), Optional.of(sidecar), policy, problems);
        }

        WorkloadLedger page = ledger.page(key).orElse(WorkloadLedger.empty(key));
        Map<String, List<CallEvidence>> live = new TreeMap<>();
        Map<String, List<CallEvidence>> expired = new TreeMap<>();
        Map<String, String> expiryNotes = new HashMap<>();
        List<HostVerdict> outside = new ArrayList<>();
        Set<String> upperHosts = new HashSet<>();
        upper.services().forEach(s -> upperHosts.add(s.hostname()));
        Map<String, List<CallEvidence>> unknown = new TreeMap<>();
        Map<String, List<CallEvidence>> beyond = new TreeMap<>();
        for (CallEvidence e : page.calls().values()) {
            String host = e.destination().host();
            if (snapshot.servicesNamed(host).isEmpty()) {
                unknown.computeIfAbsent(e.destination().toString(), h -> new ArrayList<>()).add(e);
                continue;
            }
            if (!upperHosts.contains(host)) {
                beyond.computeIfAbsent(host, h -> new ArrayList<>()).add(e);
                continue;
            }
            Optional<String> expiry = Expiry.of(e, page, settings, now);
            if (expiry.isPresent()) {
                expired.computeIfAbsent(host, h -> new ArrayList<>()).add(e);
                expiryNotes.merge(host, expiry.get(), (a, b) -> a + "; " + b);
            } else {
                live.computeIfAbsent(host, h -> new ArrayList<>()).add(e);
            }
        }
        unknown.forEach((dest, ev) -> outside.add(new HostVerdict(dest, "", HostReason.UNKNOWN_DESTINATION,
                "no service declares it; " + EvidenceSummary.of(ev), ev)));
        beyond.forEach((host, ev) -> outside.add(new HostVerdict(host,
                snapshot.servicesNamed(host).get(0).namespace(), HostReason.BEYOND_UPPER_BOUND,
                "not visible under " + upper.name() + "; " + EvidenceSummary.of(ev), ev)));

        Map<String, String> virtualServiceTargets = VirtualServiceTargets.of(upper, live.keySet(),
                snapshot.meshConfig().domainSuffix());
        Map<MeshService, HostVerdict> byService = new LinkedHashMap<>();
        for (MeshService s : upper.services()) {
            byService.put(s, verdict(s, live, expired, expiryNotes, workloadPins, namespacePins, meshPins,
                    virtualServiceTargets));
        }
        List<MeshService> learned = byService.entrySet().stream().filter(e -> e.getValue().inScope())
                .map(Map.Entry::getKey).toList();

        List<MeshService> kept = previous.orElse(upper.services());
        List<CallEvidence> broken = brokenCalls(page, kept, learned, now);
        if (!broken.isEmpty()) {
            Set<MeshService> learnedSet = new HashSet<>(learned);
            List<HostVerdict> verdicts = new ArrayList<>();
            for (MeshService s : kept) {
                HostVerdict v = byService.get(s);
                verdicts.add(learnedSet.contains(s) && v != null ? v
                        : new HostVerdict(s.hostname(), s.namespace(), HostReason.SAFETY_CHECK_FAILED,
                        "kept: the learned scope would break " + broken.size() + " recent calls",
                        v == null ? List.of() : v.evidence()));
            }
            byService.forEach((s, v) -> {
                if (!v.inScope() && !kept.contains(s)) {
                    verdicts.add(v);
                }
            });
            verdicts.addAll(outside);
            return new LearnedScope(key, LearnedScope.Outcome.SAFETY_CHECK_FAILED, upper, kept, verdicts, broken,
                    Optional.empty(), policy, problems);
        }
        List<HostVerdict> verdicts = new ArrayList<>();
        byService.values().stream().filter(HostVerdict::inScope).forEach(verdicts::add);
        byService.values().stream().filter(v -> !v.inScope()).forEach(verdicts::add);
        verdicts.addAll(outside);
        return new LearnedScope(key, LearnedScope.Outcome.LEARNED, upper, learned, verdicts, List.of(),
                Optional.empty(), policy, problems);
    }

    private HostPins namespacePins(String namespace) {
        return snapshot.namespace(namespace)
                .map(n -> HostPins.parse("Namespace " + n.name(), n.annotations().get(HostPins.ANNOTATION), namespace))
                .orElse(HostPins.none("Namespace " + namespace));
    }

    private HostPins meshPins(String proxyNamespace) {
        String root = snapshot.meshConfig().rootNamespace();
        Optional<NamespaceInfo> ns = snapshot.namespace(root);
        return ns.map(n -> HostPins.parse("Namespace " + root + " (root, mesh-wide)",
                        n.annotations().get(HostPins.ANNOTATION), proxyNamespace))
                .orElse(HostPins.none("Namespace " + root));
    }

    private HostVerdict verdict(MeshService s, Map<String, List<CallEvidence>> live,
                                Map<String, List<CallEvidence>> expired, Map<String, String> expiryNotes,
                                HostPins workloadPins, HostPins namespacePins, HostPins meshPins,
                                Map<String, String> virtualServiceTargets) {
        String host = s.hostname();
        List<CallEvidence> seen = live.get(host);
        if (seen != null) {
            return new HostVerdict(host, s.namespace(), HostReason.LEARNED, EvidenceSummary.of(seen), seen);
        }
        List<CallEvidence> old = expired.getOrDefault(host, List.of());
        Optional<HostEntry> pin = workloadPins.pinning(s);
        if (pin.isPresent()) {
            return new HostVerdict(host, s.namespace(), HostReason.PINNED,
                    "'" + pin.get().raw() + "' on " + workloadPins.origin(), old);
        }
        pin = namespacePins.pinning(s);
        if (pin.isPresent()) {
            return new HostVerdict(host, s.namespace(), HostReason.PINNED,
                    "'" + pin.get().raw() + "' on " + namespacePins.origin(), old);
        }
        pin = meshPins.pinning(s);
        if (pin.isPresent()) {
            return new HostVerdict(host, s.namespace(), HostReason.MESH_WIDE_PIN,
                    "'" + pin.get().raw() + "' on " + meshPins.origin(), old);
        }
        String vs = virtualServiceTargets.get(host);
        if (vs != null) {
            return new HostVerdict(host, s.namespace(), HostReason.VIRTUAL_SERVICE_TARGET, vs, old);
        }
        if (!old.isEmpty()) {
            return new HostVerdict(host, s.namespace(), HostReason.EXPIRED, expiryNotes.get(host), old);
        }
        return new HostVerdict(host, s.namespace(), HostReason.NOT_OBSERVED, "never seen called", List.of());
    }

    /**
     * The safety check: calls seen within the recent window that the kept scope lets through and the learned one
     * would not. Calls the kept scope already leaves outside are not the learned scope's doing.
     */
    private List<CallEvidence> brokenCalls(WorkloadLedger page, List<MeshService> kept, List<MeshService> learned,
                                           Instant now) {
        Instant recent = now.minus(settings.recentWindow());
        ScopeReach before = ScopeReach.of(kept);
        ScopeReach after = ScopeReach.of(learned);
        List<CallEvidence> broken = new ArrayList<>();
        for (CallEvidence e : page.calls().values()) {
            if (e.lastSeen().isBefore(recent)) {
                continue;
            }
            String host = e.destination().host();
            int port = e.destination().port();
            if (before.reaches(host, port) && !after.reaches(host, port)) {
                broken.add(e);
            }
        }
        return broken;
    }
}
