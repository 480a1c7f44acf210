package dev.meshpilot.insight.generate;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names inside copy {@code N} (1-based) of an application: its namespace is the application folder's name suffixed
 * {@code -gN}, and every in-cluster FQDN {@code NAME.OLDNS.svc.cluster.local} moves to the new namespace.
 */
final class CopyNaming {

    static final String CLUSTER_DOMAIN = ".svc.cluster.local";

    private final String oldNamespace;
    private final String newNamespace;
    private final Pattern fqdnInOldNamespace;

    CopyNaming(Topology topology, int copy) {
        this.oldNamespace = topology.namespace();
        this.newNamespace = namespaceOf(topology.name(), copy);
        this.fqdnInOldNamespace = Pattern.compile("\\." + Pattern.quote(oldNamespace) + Pattern.quote(CLUSTER_DOMAIN)
                + "(?![A-Za-z0-9-])");
    }

    static String namespaceOf(String application, int copy) {
        return application + "-g" + copy;
    }

    static String groupOf(int copy) {
        return "g" + copy;
    }

    String oldNamespace() {
        return oldNamespace;
    }

    String newNamespace() {
        return newNamespace;
    }

    /** The text with each FQDN of the old namespace moved to the new one; other text unchanged. */
    String rewrite(String text) {
        if (!text.contains(CLUSTER_DOMAIN)) {
            return text;
        }
        return fqdnInOldNamespace.matcher(text)
                .replaceAll(Matcher.quoteReplacement("." + newNamespace + CLUSTER_DOMAIN));
    }

    /** A destination host of an edge: FQDNs are rewritten; a short name is qualified into the new namespace. */
    String rewriteHost(String host) {
        if (host.endsWith(CLUSTER_DOMAIN)) {
            return rewrite(host);
        }
        if (!host.contains(".")) {
            return host + "." + newNamespace + CLUSTER_DOMAIN;
        }
        return host;
    }
}
