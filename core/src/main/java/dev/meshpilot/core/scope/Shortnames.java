package dev.meshpilot.core.scope;

/**
 * Istio's short-name resolution for hosts written in VirtualServices and DestinationRules: a name without a dot
 * (other than {@code *} or an IP address) becomes {@code NAME.NAMESPACE.svc.DOMAIN}; anything else is kept.
 */
final class Shortnames {

    private Shortnames() {
    }

    static String resolve(String host, String namespace, String domainSuffix) {
        if (host.isEmpty() || host.equals("*") || host.contains(".") || host.contains(":")) {
            return host;
        }
        String out = host;
        if (!namespace.isEmpty()) {
            out = out + "." + namespace;
        }
        if (!domainSuffix.isEmpty()) {
            out = out + ".svc." + domainSuffix;
        }
        return out;
    }
}
