package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.VirtualServiceResource.Destination;
import dev.meshpilot.core.model.VirtualServiceResource.HttpMatch;
import dev.meshpilot.core.model.VirtualServiceResource.HttpRoute;
import dev.meshpilot.core.model.VirtualServiceResource.L4Route;
import dev.meshpilot.core.model.VirtualServiceResource.RouteDestination;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * VirtualServices bound to the {@code mesh} gateway, indexed by visibility (R29): per namespace, the private ones,
 * those exported to it by name, then the public ones, each list in creation order. Hosts and destinations are
 * short-name resolved in the VirtualService's namespace.
 */
final class VirtualServiceIndex {

    /** A mesh VirtualService with resolved hosts and its effective exportTo ({@code .} turned into its namespace). */
    record Resolved(VirtualServiceResource resource, List<String> hosts, Set<String> exportTo) {
        String namespace() {
            return resource.meta().namespace();
        }

        String displayName() {
            return namespace() + "/" + resource.meta().name();
        }
    }

    /** A selected VirtualService, the host that selected it and the entry group ({@code *} or a namespace) it matched. */
    record Selected(Resolved vs, String matchedHost, String viaNamespaceKey) {
    }

    private static final Comparator<VirtualServiceResource> ORDER = Comparator
            .comparing((VirtualServiceResource v) -> v.meta().creationTimestamp())
            .thenComparing(v -> v.meta().name())
            .thenComparing(v -> v.meta().namespace());

    private final String domainSuffix;
    private final List<Resolved> publicOnes = new ArrayList<>();
    private final Map<String, List<Resolved>> privateByNamespace = new HashMap<>();
    private final Map<String, List<Resolved>> exportedToNamespace = new HashMap<>();

    VirtualServiceIndex(List<VirtualServiceResource> virtualServices, MeshConfig mesh) {
        this.domainSuffix = mesh.domainSuffix();
        List<VirtualServiceResource> sorted = new ArrayList<>(virtualServices);
        sorted.sort(ORDER);
        for (VirtualServiceResource vs : sorted) {
            if (!vs.appliesToMesh() || vs.hosts().isEmpty()) {
                continue;
            }
            String ns = vs.meta().namespace();
            List<String> hosts = vs.hosts().stream().map(h -> Shortnames.resolve(h, ns, domainSuffix)).toList();
            ExportTo declared = ExportTo.effective(vs.exportTo(), mesh.defaultVirtualServiceExportTo());
            Set<String> exportTo = new LinkedHashSet<>();
            for (String v : declared.values()) {
                exportTo.add(v.equals(ExportTo.PRIVATE) ? ns : v);
            }
            Resolved r = new Resolved(vs, hosts, Set.copyOf(exportTo));
            if (exportTo.contains(ExportTo.PUBLIC)) {
                publicOnes.add(r);
            } else if (!exportTo.contains(ExportTo.NONE)) {
                for (String target : exportTo.stream().sorted().toList()) {
                    Map<String, List<Resolved>> into = target.equals(ns) ? privateByNamespace : exportedToNamespace;
                    into.computeIfAbsent(target, k -> new ArrayList<>()).add(r);
                }
            }
        }
    }

    /** The mesh VirtualServices visible to a namespace, in Istio's selection order. */
    List<Resolved> visibleTo(String namespace) {
        List<Resolved> out = new ArrayList<>(privateByNamespace.getOrDefault(namespace, List.of()));
        out.addAll(exportedToNamespace.getOrDefault(namespace, List.of()));
        out.addAll(publicOnes);
        return out;
    }

    /**
     * The VirtualServices one egress listener imports (R29): for each visible VirtualService, its namespace's
     * entries and then the {@code *} entries are tried; a host selects it when it overlaps an entry and is not
     * covered by an exclusion of the VirtualService's namespace or of {@code *} (R24).
     */
    List<Selected> select(EgressHosts hosts, String proxyNamespace) {
        List<Selected> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Optional<EgressHosts.Group> any = hosts.anyNamespaceGroup();
        for (Resolved vs : visibleTo(proxyNamespace)) {
            Optional<EgressHosts.Group> own = hosts.group(vs.namespace());
            Optional<Selected> hit = own.flatMap(g -> firstSelectingHost(vs, g, hosts, vs.namespace()));
            if (hit.isEmpty()) {
                hit = any.flatMap(g -> firstSelectingHost(vs, g, hosts, HostEntry.ANY_NAMESPACE));
            }
            if (hit.isPresent() && seen.add(vs.displayName())) {
                out.add(hit.get());
            }
        }
        return out;
    }

    private static Optional<Selected> firstSelectingHost(Resolved vs, EgressHosts.Group group, EgressHosts hosts,
                                                         String via) {
        for (String h : vs.hosts()) {
            if (!group.matchesVirtualServiceHost(h)) {
                continue;
            }
            if (hosts.exclusionFor(vs.namespace(), h).isPresent()) {
                continue;
            }
            return Optional.of(new Selected(vs, h, via));
        }
        return Optional.empty();
    }

    /**
     * Destination hosts of a VirtualService as seen from a proxy namespace, each with the ports it names (0 = a
     * destination without port, meaning all ports), in order of appearance. HTTP rules whose matches name
     * {@code sourceNamespace}s none of which is the proxy namespace are skipped.
     */
    Map<String, Set<Integer>> destinations(Resolved vs, String proxyNamespace) {
        Map<String, Set<Integer>> out = new LinkedHashMap<>();
        VirtualServiceResource r = vs.resource();
        ObjectMeta meta = r.meta();
        for (HttpRoute http : r.http()) {
            if (!sourceNamespaceMatches(http.match(), proxyNamespace)) {
                continue;
            }
            for (RouteDestination rd : http.route()) {
                add(out, rd.destination(), meta);
            }
            http.mirror().ifPresent(m -> add(out, m, meta));
            for (Destination m : http.mirrors()) {
                add(out, m, meta);
            }
        }
        for (L4Route tcp : r.tcp()) {
            for (RouteDestination rd : tcp.route()) {
                add(out, rd.destination(), meta);
            }
        }
        for (L4Route tls : r.tls()) {
            for (RouteDestination rd : tls.route()) {
                add(out, rd.destination(), meta);
            }
        }
        return out;
    }

    private static boolean sourceNamespaceMatches(List<HttpMatch> matches, String proxyNamespace) {
        boolean matched = true;
        for (HttpMatch m : matches) {
            if (!m.sourceNamespace().isEmpty()) {
                if (m.sourceNamespace().equals(proxyNamespace)) {
                    return true;
                }
                matched = false;
            }
        }
        return matched;
    }

    private void add(Map<String, Set<Integer>> out, Destination d, ObjectMeta meta) {
        String host = Shortnames.resolve(d.host(), meta.namespace(), domainSuffix);
        out.computeIfAbsent(host, h -> new LinkedHashSet<>()).add(Math.max(d.port(), 0));
    }
}
