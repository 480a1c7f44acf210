package dev.meshpilot.core.scope;

import java.util.Objects;
import java.util.Optional;

/**
 * One Sidecar egress host entry {@code namespace/dnsName} after runtime parsing (R20): {@code .} is resolved to the
 * proxy namespace, {@code ~}-prefixed namespaces are exclusions (1.31, R24) with a bare {@code ~} meaning every
 * namespace.
 *
 * @param raw        the entry as written
 * @param namespace  {@code *} for any namespace, else a namespace name
 * @param dnsName    {@code *}, {@code *.suffix} or an exact name
 * @param exclusion  true for a {@code ~}-prefixed entry
 */
public record HostEntry(String raw, String namespace, String dnsName, boolean exclusion) {

    public static final String ANY_NAMESPACE = "*";
    public static final String CURRENT_NAMESPACE = ".";
    public static final String EXCLUDE_PREFIX = "~";

    public HostEntry {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(dnsName, "dnsName");
    }

    /**
     * Parses an entry for a proxy namespace. Entries with zero or more than one {@code /} are skipped at runtime,
     * as Istio does (empty result); validation of the Sidecar itself is the loader's job.
     */
    public static Optional<HostEntry> parse(String raw, String proxyNamespace) {
        if (raw == null) {
            return Optional.empty();
        }
        int slash = raw.indexOf('/');
        if (slash < 0 || raw.indexOf('/', slash + 1) >= 0) {
            return Optional.empty();
        }
        String ns = raw.substring(0, slash);
        String name = raw.substring(slash + 1);
        boolean excluded = ns.startsWith(EXCLUDE_PREFIX);
        if (excluded) {
            ns = ns.substring(EXCLUDE_PREFIX.length());
            if (ns.isEmpty()) {
                ns = ANY_NAMESPACE;
            }
        }
        if (ns.equals(CURRENT_NAMESPACE)) {
            ns = proxyNamespace;
        }
        return Optional.of(new HostEntry(raw, ns, name, excluded));
    }

    public boolean anyNamespace() {
        return namespace.equals(ANY_NAMESPACE);
    }

    public boolean wildcardName() {
        return HostName.isWildcarded(dnsName);
    }
}
