package dev.meshpilot.server.auth;

import java.util.Objects;

/** A Kubernetes workload's SPIFFE id, {@code spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT}. */
public record SpiffeId(String trustDomain, String namespace, String serviceAccount) {
    private static final String SCHEME = "spiffe://";

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trustDomain");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
    }

    /**
     * Reads a URI SAN.
     *
     * @throws IllegalArgumentException with what is wrong, when it is not of the Kubernetes SPIFFE form
     */
    public static SpiffeId parse(String uri) {
        if (uri == null || !uri.startsWith(SCHEME)) {
            throw new IllegalArgumentException("'" + uri + "' is not a spiffe:// URI");
        }
        String rest = uri.substring(SCHEME.length());
        String[] parts = rest.split("/", -1);
        if (parts.length != 5 || !parts[1].equals("ns") || !parts[3].equals("sa") || parts[0].isEmpty()
                || parts[2].isEmpty() || parts[4].isEmpty()) {
            throw new IllegalArgumentException("'" + uri + "' is not of the form spiffe://TRUST_DOMAIN/ns/NS/sa/SA");
        }
        return new SpiffeId(parts[0], parts[2], parts[4]);
    }

    public String uri() {
        return SCHEME + trustDomain + "/ns/" + namespace + "/sa/" + serviceAccount;
    }
}
