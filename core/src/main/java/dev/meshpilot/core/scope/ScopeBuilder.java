package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.SidecarResource.EgressListener;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.scope.ScopeTrace.Outcome;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Computes one {@link ProxyScope} from the snapshot's indexes (Istio's {@code convertToSidecarScope} and
 * {@code initSidecarScopeInternalIndexes}): egress listeners (R17, R20–R25), VirtualService imports (R29), the
 * union with same-hostname merging (R27), destination rules (R30), outbound policy (R31) and dependencies (R48).
 * Stateless apart from the immutable indexes; safe to call from many threads.
 */
final class ScopeBuilder {

    private static final EgressListener IMPORT_ALL = EgressListener.ofHosts("*/*");

    private final MeshConfig mesh;
    private final ServiceIndex services;
    private final VirtualServiceIndex virtualServices;
    private final DestinationRuleIndex destinationRules;

    ScopeBuilder(MeshConfig mesh, ServiceIndex services, VirtualServiceIndex virtualServices,
                 DestinationRuleIndex destinationRules) {
        this.mesh = mesh;
        this.services = services;
        this.virtualServices = virtualServices;
        this.destinationRules = destinationRules;
    }

    ServiceIndex services() {
        return services;
    }

    ProxyScope build(ScopeKey key, Optional<SidecarResource> sidecar, ScopeTrace trace) {
        String ns = key.proxyNamespace();
        Set<ConfigKey> deps = new HashSet<>();
        sidecar.ifPresent(s -> deps.add(s.key()));

        List<EgressListener> listeners = sidecar.map(SidecarResource::egress).filter(l -> !l.isEmpty())
                .orElse(List.of(IMPORT_ALL));
        List<ProxyScope.EgressScope> egress = new ArrayList<>(listeners.size());
        List<List<VirtualServiceIndex.Selected>> selectedPerListener = new ArrayList<>();
        Map<MeshService, MeshService> originals = new IdentityHashMap<>();
        Map<MeshService, String> importedVia = new IdentityHashMap<>();
        for (int i = 0; i < listeners.size(); i++) {
            int index = i;
            EgressListener listener = listeners.get(i);
            EgressHosts hosts = EgressHosts.of(listener.hosts(), ns);
            hosts.skipped().forEach(raw -> trace.skippedHost(index, raw));
            List<VirtualServiceIndex.Selected> selected = virtualServices.select(hosts, ns);
            List<MeshService> imported = selectServices(i, listener, hosts, ns, originals, importedVia, trace);
            selectedPerListener.add(selected);
            egress.add(new ProxyScope.EgressScope(listener, imported,
                    selected.stream().map(s -> s.vs().resource()).toList()));
        }

        Union union = new Union(trace);
        Set<VirtualServiceResource> allVirtualServices = new LinkedHashSet<>();
        for (int i = 0; i < egress.size(); i++) {
            ProxyScope.EgressScope listenerScope = egress.get(i);
            for (MeshService s : listenerScope.services()) {
                String how = trace.enabled()
                        ? "imported by listener #" + (i + 1) + importedVia.getOrDefault(s, "") : "";
                union.append(s, originals.getOrDefault(s, s), how, "R22");
            }
            for (VirtualServiceIndex.Selected selected : selectedPerListener.get(i)) {
                VirtualServiceIndex.Resolved vs = selected.vs();
                deps.add(vs.resource().key());
                allVirtualServices.add(vs.resource());
                importDestinations(i, listenerScope.listener(), vs, ns, union, trace);
            }
        }

        Map<String, DestinationRuleResource> rules = new HashMap<>();
        for (MeshService s : union.services) {
            List<DestinationRuleIndex.Consolidated> applicable = destinationRules.forService(ns, s);
            for (DestinationRuleIndex.Consolidated c : applicable) {
                deps.addAll(c.from());
            }
            DestinationRuleIndex.choose(applicable, ns, key.selectingDestinationRules())
                    .ifPresent(dr -> rules.put(s.hostname(), dr));
        }

        OutboundTrafficPolicy policy = sidecar.flatMap(SidecarResource::outboundTrafficPolicy)
                .orElse(mesh.outboundTrafficPolicy());
        String name = sidecar.map(s -> s.meta().name()).orElse(ProxyScope.DEFAULT_SIDECAR_NAME);
        // SERVICE and ENDPOINTS keys of every scope service come from the service list itself (R48)
        return new ProxyScope(key, name, ns, sidecar, egress, union.services, List.copyOf(allVirtualServices), rules,
                policy, new DependencySet(deps, union.services));
    }

    // ---- R21–R25: one listener -------------------------------------------------------------------------------

    private List<MeshService> selectServices(int index, EgressListener listener, EgressHosts hosts, String ns,
                                             Map<MeshService, MeshService> originals,
                                             Map<MeshService, String> importedVia, ScopeTrace trace) {
        boolean matchPort = needsPortMatch(listener);
        List<MeshService> candidates = hosts.allExact() ? exactCandidates(hosts, ns) : services.candidatesFor(ns);
        if (trace.enabled()) {
            traceNonCandidates(index, listener, hosts, ns, candidates, trace);
        }
        List<MeshService> imported = new ArrayList<>();
        Optional<EgressHosts.Group> anyNs = hosts.anyNamespaceGroup();
        for (MeshService s : candidates) {
            ServiceRef ref = trace.enabled() ? ServiceRef.of(s) : null;
            Optional<HostEntry> exclusion = hosts.exclusionFor(s.namespace(), s.hostname());
            if (exclusion.isPresent()) {
                trace.verdict(ref, index, Outcome.EXCLUDED, "R24", "excluded by '" + exclusion.get().raw() + "'");
                continue;
            }
            Optional<HostEntry> entry = hosts.group(s.namespace()).flatMap(g -> g.importing(s.hostname()));
            if (entry.isEmpty()) {
                entry = anyNs.flatMap(g -> g.importing(s.hostname()));
            }
            if (entry.isEmpty()) {
                if (trace.enabled()) {
                    trace.verdict(ref, index, Outcome.NO_HOST_MATCH, "R22",
                            "no egress host matches (hosts " + listener.hosts() + ")");
                }
                continue;
            }
            MeshService matched = matchPort ? narrowToListenerPort(s, listener) : s;
            if (matched == null) {
                if (trace.enabled()) {
                    trace.verdict(ref, index, Outcome.PORT_MISMATCH, "R25", "listener port "
                            + listener.port().get().number() + " is not a port of the service " + portNumbers(s));
                }
                continue;
            }
            imported.add(matched);
            if (matched != s) {
                originals.put(matched, s);
            }
            if (trace.enabled()) {
                String narrowed = matched != s ? ", narrowed to port " + listener.port().get().number() + " (R25)" : "";
                importedVia.put(matched, " via '" + entry.get().raw() + "'" + narrowed);
                trace.verdict(ref, index, Outcome.IMPORTED, "R22", "imported via '" + entry.get().raw() + "'" + narrowed);
            }
        }
        return oneNamespacePerHostname(index, imported, originals, ns, trace);
    }

    /** R21 fast path: exact, namespaced hosts looked up in the (hostname, namespace) index, re-checked with R7. */
    private List<MeshService> exactCandidates(EgressHosts hosts, String ns) {
        List<MeshService> out = new ArrayList<>();
        for (Map.Entry<String, EgressHosts.Group> g : hosts.groups().entrySet()) {
            for (String host : g.getValue().exactHosts()) {
                services.byHostAndNamespace(host, g.getKey())
                        .filter(s -> services.isVisible(s, ns))
                        .ifPresent(out::add);
            }
        }
        out.sort(ServiceIndex.ISTIO_ORDER);
        return out;
    }

    private void traceNonCandidates(int index, EgressListener listener, EgressHosts hosts, String ns,
                                    List<MeshService> candidates, ScopeTrace trace) {
        Set<MeshService> candidateSet = Collections.newSetFromMap(new IdentityHashMap<>());
        candidateSet.addAll(candidates);
        for (MeshService s : services.all()) {
            if (candidateSet.contains(s)) {
                continue;
            }
            ServiceRef ref = ServiceRef.of(s);
            Optional<ServiceIndex.Invisibility> invisible = hosts.allExact()
                    ? (services.isVisible(s, ns) ? Optional.empty() : services.invisibilityReason(s, ns))
                    : services.invisibilityReason(s, ns);
            Optional<HostEntry> wouldMatch = hosts.group(s.namespace()).flatMap(g -> g.importing(s.hostname()))
                    .or(() -> hosts.anyNamespaceGroup().flatMap(g -> g.importing(s.hostname())));
            if (invisible.isPresent()) {
                String detail = invisible.get().detail();
                String rule = invisible.get().rule();
                if (wouldMatch.isPresent()) {
                    detail = "'" + wouldMatch.get().raw() + "' names it, but naming a namespace does not bypass"
                            + " exportTo (R21): " + detail;
                }
                trace.verdict(ref, index, Outcome.NOT_VISIBLE, rule, detail);
            } else if (wouldMatch.isPresent()) {
                String owner = services.byHostAndNamespace(s.hostname(), s.namespace())
                        .map(o -> o.registry() + " " + o.name()).orElse("another service");
                trace.verdict(ref, index, Outcome.NOT_INDEXED, "R21", "exact-host lookup takes one service per"
                        + " (hostname, namespace): " + owner + " holds it");
            } else {
                trace.verdict(ref, index, Outcome.NO_HOST_MATCH, "R22",
                        "no egress host matches (hosts " + listener.hosts() + ")");
            }
        }
    }

    /** R23 (unified scoping): one namespace per hostname, proxy namespace first, Kubernetes over ServiceEntry. */
    private List<MeshService> oneNamespacePerHostname(int index, List<MeshService> imported,
                                                      Map<MeshService, MeshService> originals, String ns,
                                                      ScopeTrace trace) {
        record Winner(String namespace, boolean kubernetes) {
        }
        Map<String, Winner> winners = new HashMap<>();
        for (MeshService s : imported) {
            Winner candidate = new Winner(s.namespace(), s.isKubernetes());
            Winner existing = winners.get(s.hostname());
            if (existing == null || s.namespace().equals(ns)
                    || (!existing.kubernetes() && candidate.kubernetes()
                        && (candidate.namespace().equals(ns) || !existing.namespace().equals(ns)))) {
                winners.put(s.hostname(), candidate);
            }
        }
        List<MeshService> kept = new ArrayList<>(imported.size());
        for (MeshService s : imported) {
            Winner w = winners.get(s.hostname());
            if (w.namespace().equals(s.namespace())) {
                kept.add(s);
            } else {
                trace.verdict(ServiceRef.of(originals.getOrDefault(s, s)), index, Outcome.LOST_TIE, "R23",
                        "hostname " + s.hostname() + " is taken from namespace " + w.namespace()
                                + (w.namespace().equals(ns) ? " (the proxy namespace wins)"
                                : w.kubernetes() ? " (a Kubernetes service beats a ServiceEntry / came first)"
                                : " (first in candidate order)"));
            }
        }
        return kept;
    }

    static boolean needsPortMatch(EgressListener listener) {
        return listener.port().isPresent() && listener.port().get().number() != 0
                && Protocol.parse(listener.port().get().protocol()).orElse(null) != Protocol.HTTP_PROXY;
    }

    /** R25: the service with only the listener's port, or null when it has no such port. */
    private static MeshService narrowToListenerPort(MeshService s, EgressListener listener) {
        int number = listener.port().get().number();
        for (ServicePort p : s.ports()) {
            if (p.port() == number) {
                return s.ports().size() == 1 ? s : s.withPorts(List.of(p));
            }
        }
        return null;
    }

    /** R29: the service narrowed to the VirtualService's destination ports; null when it has none of them. */
    private static MeshService narrowToVirtualServicePorts(MeshService s, Set<Integer> ports) {
        if (ports.isEmpty() || ports.contains(0)) {
            return s;
        }
        List<ServicePort> found = s.ports().stream().filter(p -> ports.contains(p.port())).toList();
        if (found.size() == s.ports().size()) {
            return s;
        }
        return found.isEmpty() ? null : s.withPorts(found);
    }

    // ---- R29: VirtualService destinations ----------------------------------------------------------------------

    private void importDestinations(int index, EgressListener listener, VirtualServiceIndex.Resolved vs, String ns,
                                    Union union, ScopeTrace trace) {
        boolean matchPort = needsPortMatch(listener);
        for (Map.Entry<String, Set<Integer>> dest : virtualServices.destinations(vs, ns).entrySet()) {
            String host = dest.getKey();
            Map<String, MeshService> byNamespace = services.namespacesForHost(host);
            MeshService target = byNamespace.get(ns);
            if (target == null) {
                target = pickBestVisibleNamespace(byNamespace, ns);
            }
            if (target == null) {
                continue;
            }
            MeshService matched = matchPort ? narrowToListenerPort(target, listener)
                    : narrowToVirtualServicePorts(target, dest.getValue());
            String via = "destination of VirtualService " + vs.displayName() + " (listener #" + (index + 1) + ")";
            if (matched == null) {
                trace.union(ServiceRef.of(target), false, matchPort ? "R25" : "R29", via + ", but "
                        + (matchPort ? "listener port " + listener.port().get().number()
                        : "destination ports " + dest.getValue()) + " not among service ports " + portNumbers(target));
                continue;
            }
            union.append(matched, target, "pulled in as " + via, "R29");
        }
    }

    /** Any visible Kubernetes service, else the oldest visible one; namespaces tried alphabetically. */
    private MeshService pickBestVisibleNamespace(Map<String, MeshService> byNamespace, String ns) {
        MeshService best = null;
        for (MeshService s : byNamespace.values()) {
            if (!services.isVisible(s, ns)) {
                continue;
            }
            if (s.isKubernetes()) {
                return s;
            }
            if (best == null || s.creationTimestamp().isBefore(best.creationTimestamp())) {
                best = s;
            }
        }
        return best;
    }

    private static List<Integer> portNumbers(MeshService s) {
        return s.ports().stream().map(ServicePort::port).toList();
    }

    // ---- R27: union across listeners ------------------------------------------------------------------------

    /** The scope's service list under construction, merging same-hostname services as Istio does. */
    private final class Union {
        private final List<MeshService> services = new ArrayList<>();
        private final Map<String, Integer> indexByHost = new HashMap<>();
        private final Map<String, MeshService> sourceOf = new HashMap<>();
        private final ScopeTrace trace;

        Union(ScopeTrace trace) {
            this.trace = trace;
        }

        void append(MeshService s, MeshService original, String how, String rule) {
            ServiceRef ref = trace.enabled() ? ServiceRef.of(original) : null;
            Integer at = indexByHost.get(s.hostname());
            if (at == null) {
                indexByHost.put(s.hostname(), services.size());
                services.add(s);
                if (trace.enabled()) {
                    sourceOf.put(s.hostname(), original);
                }
                trace.setContributor(ref);
                if (trace.enabled()) {
                    trace.union(ref, true, rule, how + ports(s));
                }
                return;
            }
            MeshService existing = services.get(at);
            String existingDesc = trace.enabled() ? describe(existing) : "";
            boolean sameNamespace = existing.namespace().equals(s.namespace());
            if (existing.equals(s)) {
                trace.addContributor(ref);
                trace.union(ref, true, "R27", how + ": already in scope");
                return;
            }
            if (existing.isKubernetes() && !s.isKubernetes()) {
                trace.union(ref, false, "R27", how + ", but ignored: " + existingDesc
                        + " already holds the hostname and a Kubernetes service is never replaced by a ServiceEntry");
                return;
            }
            if (!existing.isKubernetes() && s.isKubernetes()) {
                services.set(at, s);
                if (trace.enabled()) {
                    trace.union(ServiceRef.of(sourceOf.get(s.hostname())), false, "R27",
                            "replaced by Kubernetes service " + describe(s));
                    sourceOf.put(s.hostname(), original);
                }
                trace.setContributor(ref);
                trace.union(ref, true, "R27", how + ", replacing ServiceEntry " + existingDesc + ports(s));
                return;
            }
            if (existing.ports().equals(s.ports())) {
                if (sameNamespace) {
                    trace.addContributor(ref);
                    trace.union(ref, true, "R27", how + ": same ports as " + existingDesc + ", nothing to add");
                } else {
                    trace.union(ref, false, "R27", how + ", but ignored: " + existingDesc + " (namespace "
                            + existing.namespace() + ") already holds the hostname");
                }
                return;
            }
            if (!canMerge(existing, s)) {
                trace.union(ref, false, "R27", how + ", but ignored: " + existingDesc + " came first and cannot be"
                        + " merged (different namespace, resolution, registry, labels, selector or exportTo)");
                return;
            }
            List<ServicePort> merged = new ArrayList<>(existing.ports());
            Set<Integer> numbers = new HashSet<>();
            existing.ports().forEach(p -> numbers.add(p.port()));
            for (ServicePort p : s.ports()) {
                if (numbers.add(p.port())) {
                    merged.add(p);
                }
            }
            services.set(at, existing.withPorts(merged));
            trace.addContributor(ref);
            trace.union(ref, true, "R27", how + ", ports merged into " + existingDesc + " -> "
                    + merged.stream().map(ServicePort::port).toList());
        }

        private String describe(MeshService s) {
            return (s.isKubernetes() ? "Kubernetes service " : "ServiceEntry ") + s.namespace() + "/" + s.name();
        }

        private String ports(MeshService s) {
            return " (ports " + portNumbers(s) + ")";
        }
    }

    /** R27 rule 5: same namespace, resolution, registry, labels, selector and exportTo. */
    static boolean canMerge(MeshService a, MeshService b) {
        return a.namespace().equals(b.namespace())
                && a.resolution() == b.resolution()
                && a.registry() == b.registry()
                && a.origin().labels().equals(b.origin().labels())
                && a.selector().equals(b.selector())
                && new HashSet<>(a.declaredExportTo()).equals(new HashSet<>(b.declaredExportTo()));
    }
}
