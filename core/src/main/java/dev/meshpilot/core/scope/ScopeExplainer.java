package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.scope.ScopeExplanation.CandidateDecision;
import dev.meshpilot.core.scope.ScopeExplanation.ServiceDecision;
import dev.meshpilot.core.scope.ScopeExplanation.SidecarDecision;
import dev.meshpilot.core.scope.ScopeTrace.ListenerVerdict;
import dev.meshpilot.core.scope.ScopeTrace.UnionEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Explains a proxy's scope. It runs the very computation {@link SidecarScopes} runs (same indexes, same code) with a
 * trace switched on, so what it says is what the proxy gets.
 */
public final class ScopeExplainer {

    private final SidecarScopes scopes;

    public ScopeExplainer(SidecarScopes scopes) {
        this.scopes = Objects.requireNonNull(scopes, "scopes");
    }

    /** Every mesh service, in scope or not, with the deciding rule. */
    public ScopeExplanation explain(ProxyIdentity proxy) {
        return explain(proxy, Optional.empty());
    }

    /** Only the services of one host: those named {@code host}, and wildcard services covering it. */
    public ScopeExplanation explain(ProxyIdentity proxy, String host) {
        return explain(proxy, Optional.of(host));
    }

    private ScopeExplanation explain(ProxyIdentity proxy, Optional<String> host) {
        SidecarSelection selection = scopes.selectionFor(proxy);
        ScopeTrace trace = new ScopeTrace(true);
        ProxyScope scope = scopes.traced(proxy, selection, trace);
        Map<String, MeshService> inScopeByHost = new HashMap<>();
        scope.services().forEach(s -> inScopeByHost.put(s.hostname(), s));

        List<ServiceDecision> decisions = new ArrayList<>();
        List<MeshService> all = new ArrayList<>(scopes.builder().services().all());
        all.sort(Comparator.comparing(MeshService::hostname).thenComparing(MeshService::namespace)
                .thenComparing(MeshService::name));
        for (MeshService s : all) {
            if (host.isEmpty() || concerns(s, host.get())) {
                decisions.add(decide(s, trace, inScopeByHost, scope));
            }
        }
        for (MeshService s : scopes.droppedByDiscoverySelectors()) {
            if (host.isEmpty() || concerns(s, host.get())) {
                decisions.add(new ServiceDecision(s.hostname(), s.namespace(), source(s), false, ports(s), "R12",
                        "namespace " + s.namespace() + " is not selected by the mesh's discoverySelectors", List.of()));
            }
        }
        List<String> notes = new ArrayList<>(trace.skippedHosts());
        if (host.isPresent() && decisions.isEmpty()) {
            notes.add("no service of the mesh has hostname " + host.get()
                    + (scope.outboundTrafficPolicy().name().equals("ALLOW_ANY")
                    ? "; under ALLOW_ANY traffic to it goes to PassthroughCluster (R31)"
                    : "; under REGISTRY_ONLY traffic to it goes to BlackHoleCluster (R31)"));
        }
        return new ScopeExplanation(proxy.proxyId(), proxy.namespace(), proxy.labels(), scope.name(),
                sidecarDecision(selection), scope.outboundTrafficPolicy().name()
                + (selection.sidecar().flatMap(sc -> sc.outboundTrafficPolicy()).isPresent()
                ? " (from the Sidecar)" : " (from MeshConfig)"),
                host.orElse(""), decisions, notes);
    }

    /**
     * The host itself, a wildcard service covering it, or for a short name ({@code reviews}, {@code reviews.ns}) the
     * Kubernetes services whose hostname starts with it.
     */
    private static boolean concerns(MeshService s, String host) {
        if (s.hostname().equals(host) || (s.isWildcard() && HostName.coveredBy(host, s.hostname()))) {
            return true;
        }
        return s.isKubernetes() && !host.isEmpty() && !HostName.isWildcarded(host)
                && s.hostname().startsWith(host + ".");
    }

    private static SidecarDecision sidecarDecision(SidecarSelection selection) {
        String applied = selection.sidecar().map(s -> s.meta().namespace() + "/" + s.meta().name())
                .orElse(ProxyScope.DEFAULT_SIDECAR_NAME);
        List<CandidateDecision> candidates = selection.candidates().stream()
                .map(c -> new CandidateDecision(c.sidecar().namespace() + "/" + c.sidecar().name(), c.selected(),
                        c.rule(), c.reason()))
                .toList();
        return new SidecarDecision(applied, selection.level().name(), selection.rule(), selection.reason(), candidates);
    }

    private static ServiceDecision decide(MeshService s, ScopeTrace trace, Map<String, MeshService> inScopeByHost,
                                          ProxyScope scope) {
        ServiceRef ref = ServiceRef.of(s);
        List<String> details = new ArrayList<>();
        List<ListenerVerdict> verdicts = trace.verdicts(ref);
        for (ListenerVerdict v : verdicts) {
            details.add("listener #" + (v.listener() + 1) + ": " + v.rule() + " " + v.detail());
        }
        List<UnionEvent> events = trace.unionEvents(ref);
        for (UnionEvent e : events) {
            details.add("scope: " + e.rule() + " " + e.detail());
        }
        boolean in = trace.contributes(ref);
        if (in) {
            MeshService held = inScopeByHost.get(s.hostname());
            UnionEvent first = events.stream().filter(UnionEvent::contributes).findFirst().orElseThrow();
            details.remove("scope: " + first.rule() + " " + first.detail());
            DestinationRuleResource dr = scope.destinationRules().get(s.hostname());
            if (dr != null) {
                details.add("destination rule " + dr.meta().namespace() + "/" + dr.meta().name() + " applies (R30)");
            }
            return new ServiceDecision(s.hostname(), s.namespace(), source(s), true,
                    held == null ? ports(s) : ports(held), first.rule(), first.detail(), details);
        }
        Optional<UnionEvent> lastRefusal = events.stream().filter(e -> !e.contributes()).reduce((a, b) -> b);
        if (lastRefusal.isPresent()) {
            details.remove("scope: " + lastRefusal.get().rule() + " " + lastRefusal.get().detail());
            return new ServiceDecision(s.hostname(), s.namespace(), source(s), false, ports(s),
                    lastRefusal.get().rule(), lastRefusal.get().detail(), details);
        }
        // a listener's last verdict is its final word (an import can still lose the hostname tie, R23)
        Map<Integer, ListenerVerdict> finalPerListener = new HashMap<>();
        verdicts.forEach(v -> finalPerListener.put(v.listener(), v));
        ListenerVerdict best = finalPerListener.values().stream()
                .max(Comparator.comparing(ListenerVerdict::outcome)).orElse(null);
        if (best == null) {
            return new ServiceDecision(s.hostname(), s.namespace(), source(s), false, ports(s), "R22",
                    "not imported by any egress listener", details);
        }
        if (finalPerListener.size() == 1 && details.size() == 1) {
            details.clear(); // the headline already says it
        }
        return new ServiceDecision(s.hostname(), s.namespace(), source(s), false, ports(s), best.rule(),
                best.detail(), details);
    }

    private static String source(MeshService s) {
        return (s.isKubernetes() ? "Kubernetes/" : "ServiceEntry/") + s.name();
    }

    private static List<Integer> ports(MeshService s) {
        return s.ports().stream().map(ServicePort::port).toList();
    }
}
