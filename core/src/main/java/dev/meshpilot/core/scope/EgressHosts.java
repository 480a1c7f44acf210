package dev.meshpilot.core.scope;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The host entries of one egress listener grouped by resolved namespace (Istio's {@code hostClassification}
 * per namespace), with the matching tests of R22, R24 and R29.
 */
final class EgressHosts {

    /** The entries of one namespace key ({@code *} or a name). */
    static final class Group {
        private final Set<String> exactHosts = new HashSet<>();
        private final List<HostEntry> inclusions = new ArrayList<>();
        private final List<HostEntry> exclusions = new ArrayList<>();

        /** The exclusion entry covering {@code hostname} (R24), if any. */
        Optional<HostEntry> excludedBy(String hostname) {
            for (HostEntry e : exclusions) {
                if (HostName.coveredBy(hostname, e.dnsName())) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }

        /** The inclusion entry that imports a service hostname (R22: exact equality or covered by a wildcard). */
        Optional<HostEntry> importing(String hostname) {
            boolean hostWild = HostName.isWildcarded(hostname);
            for (HostEntry e : inclusions) {
                boolean entryWild = e.wildcardName();
                if (!hostWild && !entryWild) {
                    if (e.dnsName().equals(hostname)) {
                        return Optional.of(e);
                    }
                    continue;
                }
                if (HostName.coveredBy(hostname, e.dnsName())) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }

        /** Whether a classic VirtualService host is matched (R29: exact lookup, else symmetric overlap). */
        boolean matchesVirtualServiceHost(String vsHost) {
            if (exactHosts.contains(vsHost)) {
                return true;
            }
            boolean hostWild = HostName.isWildcarded(vsHost);
            for (HostEntry e : inclusions) {
                if (!hostWild && !e.wildcardName()) {
                    continue;
                }
                if (HostName.overlaps(vsHost, e.dnsName())) {
                    return true;
                }
            }
            return false;
        }

        Set<String> exactHosts() {
            return exactHosts;
        }

        boolean hasInclusions() {
            return !inclusions.isEmpty();
        }
    }

    private final Map<String, Group> byNamespace;
    private final List<String> skipped;
    private final boolean allExact;

    private final boolean hasExclusions;

    private EgressHosts(Map<String, Group> byNamespace, List<String> skipped, boolean allExact) {
        this.byNamespace = byNamespace;
        this.skipped = skipped;
        this.allExact = allExact;
        this.hasExclusions = byNamespace.values().stream().anyMatch(g -> !g.exclusions.isEmpty());
    }

    static EgressHosts of(List<String> hosts, String proxyNamespace) {
        Map<String, Group> groups = new LinkedHashMap<>();
        List<String> skipped = new ArrayList<>();
        boolean allExact = true;
        for (String raw : hosts) {
            Optional<HostEntry> parsed = HostEntry.parse(raw, proxyNamespace);
            if (parsed.isEmpty()) {
                skipped.add(raw);
                continue;
            }
            HostEntry e = parsed.get();
            Group g = groups.computeIfAbsent(e.namespace(), n -> new Group());
            if (e.exclusion()) {
                g.exclusions.add(e);
                continue;
            }
            if (e.wildcardName()) {
                allExact = false;
            } else {
                g.exactHosts.add(e.dnsName());
            }
            if (e.anyNamespace()) {
                allExact = false;
            }
            g.inclusions.add(e);
        }
        return new EgressHosts(groups, List.copyOf(skipped), allExact);
    }

    Optional<Group> group(String namespace) {
        return Optional.ofNullable(byNamespace.get(namespace));
    }

    Optional<Group> anyNamespaceGroup() {
        return group(HostEntry.ANY_NAMESPACE);
    }

    Map<String, Group> groups() {
        return byNamespace;
    }

    /** Entries skipped at runtime because they are not of the form {@code namespace/dnsName} (R20). */
    List<String> skipped() {
        return skipped;
    }

    /** True when every inclusion names an explicit namespace and an exact host: the R21 fast path applies. */
    boolean allExact() {
        return allExact;
    }

    /** The exclusion entry (under the service's namespace or {@code *}) that removes this service, if any (R24). */
    Optional<HostEntry> exclusionFor(String serviceNamespace, String hostname) {
        if (!hasExclusions) {
            return Optional.empty();
        }
        Optional<HostEntry> ns = group(serviceNamespace).flatMap(g -> g.excludedBy(hostname));
        return ns.isPresent() ? ns : anyNamespaceGroup().flatMap(g -> g.excludedBy(hostname));
    }
}
