package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.DestinationRuleResource.Subset;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * DestinationRules indexed as Istio's push context does (R30): namespace-local pools, pools exported from each
 * namespace, and the root namespace's private pool; rules for one host in one pool are consolidated (subsets
 * concatenated, first rule wins otherwise) when their exportTo and selectors allow it.
 */
final class DestinationRuleIndex {

    /** One consolidated rule: the merged resource, the rules it came from, its exportTo and selector. */
    static final class Consolidated {
        private DestinationRuleResource rule;
        private final List<ConfigKey> from = new ArrayList<>();
        private final Set<String> exportTo;

        Consolidated(DestinationRuleResource rule, Set<String> exportTo) {
            this.rule = rule;
            this.exportTo = exportTo;
            this.from.add(rule.key());
        }

        DestinationRuleResource rule() {
            return rule;
        }

        List<ConfigKey> from() {
            return List.copyOf(from);
        }

        boolean hasSelector() {
            return rule.workloadSelector().isPresent();
        }

        void merge(DestinationRuleResource other) {
            from.add(other.key());
            Set<String> names = new LinkedHashSet<>();
            List<Subset> subsets = new ArrayList<>(rule.subsets());
            subsets.forEach(s -> names.add(s.name()));
            for (Subset s : other.subsets()) {
                if (names.add(s.name())) {
                    subsets.add(s);
                }
            }
            // Istio keeps the first rule's traffic policy, or takes the other's when the first has none.
            rule = rule.with(subsets, rule.trafficPolicy().or(other::trafficPolicy));
        }
    }

    /** Rules of one pool by host, exact hosts and wildcard hosts apart. */
    static final class Pool {
        private final Map<String, List<Consolidated>> specific = new HashMap<>();
        private final Map<String, List<Consolidated>> wildcard = new HashMap<>();

        void add(DestinationRuleResource rule, Set<String> exportTo) {
            Map<String, List<Consolidated>> into = HostName.isWildcarded(rule.host()) ? wildcard : specific;
            List<Consolidated> list = into.computeIfAbsent(rule.host(), h -> new ArrayList<>());
            boolean appendSeparately = true;
            for (Consolidated existing : list) {
                if (exportTo.equals(existing.exportTo)) {
                    appendSeparately = false;
                } else if (!existing.exportTo.isEmpty() && exportTo.containsAll(existing.exportTo)) {
                    appendSeparately = true;
                } else {
                    appendSeparately = true;
                    continue;
                }
                boolean bothWithout = rule.workloadSelector().isEmpty() && !existing.hasSelector();
                boolean bothWith = rule.workloadSelector().isPresent() && existing.hasSelector();
                boolean selectorsEqual = rule.workloadSelector().map(Map::copyOf)
                        .equals(existing.rule.workloadSelector().map(Map::copyOf));
                if (bothWith && !selectorsEqual) {
                    appendSeparately = true;
                    continue;
                }
                if (bothWithout || selectorsEqual) {
                    appendSeparately = false;
                }
                existing.merge(rule);
            }
            if (list.isEmpty() || appendSeparately) {
                list.add(new Consolidated(rule, exportTo));
            }
        }

        /** The rules of the most specific host matching {@code hostname} (exact first, then the longest wildcard). */
        Optional<List<Consolidated>> mostSpecific(String hostname) {
            if (!HostName.isWildcarded(hostname)) {
                List<Consolidated> exact = specific.get(hostname);
                if (exact != null) {
                    return Optional.of(exact);
                }
                return bestWildcard(hostname);
            }
            List<Consolidated> exact = wildcard.get(hostname);
            if (exact != null) {
                return Optional.of(exact);
            }
            return bestWildcard(hostname.substring(1));
        }

        private Optional<List<Consolidated>> bestWildcard(String needle) {
            String best = null;
            for (String h : wildcard.keySet()) {
                if (needle.endsWith(h.substring(1)) && (best == null || HostName.moreSpecific(h, best))) {
                    best = h;
                }
            }
            return best == null ? Optional.empty() : Optional.of(wildcard.get(best));
        }
    }

    private static final Comparator<DestinationRuleResource> ORDER = Comparator
            .comparing((DestinationRuleResource d) -> d.workloadSelector().isPresent() ? 0 : 1)
            .thenComparing(d -> d.meta().creationTimestamp())
            .thenComparing(d -> d.meta().name())
            .thenComparing(d -> d.meta().namespace());

    private final String rootNamespace;
    private final Map<String, Pool> namespaceLocal = new HashMap<>();
    private final Map<String, Pool> exportedByNamespace = new HashMap<>();
    private final Pool rootLocal = new Pool();

    DestinationRuleIndex(List<DestinationRuleResource> rules, MeshConfig mesh) {
        this.rootNamespace = mesh.rootNamespace();
        boolean defaultPrivate = mesh.defaultDestinationRuleExportTo().contains(ExportTo.PRIVATE);
        List<DestinationRuleResource> sorted = new ArrayList<>(rules);
        sorted.sort(ORDER);
        for (DestinationRuleResource raw : sorted) {
            String ns = raw.meta().namespace();
            DestinationRuleResource rule = new DestinationRuleResource(raw.meta(),
                    Shortnames.resolve(raw.host(), ns, mesh.domainSuffix()), raw.subsets(), raw.exportTo(),
                    raw.workloadSelector(), raw.trafficPolicy());
            Set<String> exportTo = rule.workloadSelector().isPresent()
                    ? Set.of(ExportTo.PRIVATE)
                    : ExportTo.effective(rule.exportTo(), List.of()).values();
            if (exportTo.isEmpty() || exportTo.contains(ExportTo.PUBLIC) || exportTo.contains(ExportTo.PRIVATE)
                    || exportTo.contains(ns)) {
                namespaceLocal.computeIfAbsent(ns, n -> new Pool()).add(rule, exportTo);
            }
            boolean privateOnly = (exportTo.isEmpty() && defaultPrivate)
                    || (exportTo.size() == 1 && (exportTo.contains(ExportTo.PRIVATE) || exportTo.contains(ns)));
            if (!privateOnly) {
                exportedByNamespace.computeIfAbsent(ns, n -> new Pool()).add(rule, exportTo);
            } else if (ns.equals(rootNamespace)) {
                rootLocal.add(rule, exportTo);
            }
        }
    }

    /**
     * The consolidated rules applying to a service from a proxy namespace (R30): the proxy namespace's own rules
     * (root-namespace-local ones for a proxy in the root namespace), else rules exported from the service's
     * namespace, else rules exported from the root namespace.
     */
    List<Consolidated> forService(String proxyNamespace, MeshService service) {
        String host = service.hostname();
        if (!proxyNamespace.equals(rootNamespace)) {
            Pool local = namespaceLocal.get(proxyNamespace);
            if (local != null) {
                Optional<List<Consolidated>> found = local.mostSpecific(host);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        } else {
            Optional<List<Consolidated>> found = rootLocal.mostSpecific(host);
            if (found.isPresent()) {
                return found.get();
            }
        }
        if (!service.namespace().isEmpty()) {
            List<Consolidated> fromService = exported(service.namespace(), host, proxyNamespace);
            if (!fromService.isEmpty()) {
                return fromService;
            }
        }
        return exported(rootNamespace, host, proxyNamespace);
    }

    private List<Consolidated> exported(String owner, String host, String client) {
        Pool pool = exportedByNamespace.get(owner);
        if (pool == null) {
            return List.of();
        }
        List<Consolidated> out = new ArrayList<>();
        for (Consolidated c : pool.mostSpecific(host).orElse(List.of())) {
            if (c.exportTo.isEmpty() || c.exportTo.contains(ExportTo.PUBLIC) || c.exportTo.contains(client)) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The rule one proxy uses for outbound traffic from a list (Istio's {@code SidecarScope.DestinationRule}): a
     * selecting rule of the proxy namespace that selects it, otherwise the last selector-less rule.
     */
    static Optional<DestinationRuleResource> choose(List<Consolidated> rules, String proxyNamespace,
                                                    Set<ConfigKey> selectingRules) {
        DestinationRuleResource catchAll = null;
        for (Consolidated c : rules) {
            if (!c.hasSelector()) {
                catchAll = c.rule();
            } else if (c.rule().meta().namespace().equals(proxyNamespace)
                    && c.from.stream().anyMatch(selectingRules::contains)) {
                return Optional.of(c.rule());
            }
        }
        return Optional.ofNullable(catchAll);
    }
}
