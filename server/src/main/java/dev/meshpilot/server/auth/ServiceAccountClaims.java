package dev.meshpilot.server.auth;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * The namespace and service account a Kubernetes service-account token names: its {@code kubernetes.io} claim
 * ({@code namespace}, {@code serviceaccount.name}) or its subject {@code system:serviceaccount:NS:SA}; the same
 * form is the username a TokenReview returns.
 */
final class ServiceAccountClaims {
    static final String USERNAME_PREFIX = "system:serviceaccount:";

    private ServiceAccountClaims() {
    }

    /** From a token's claims; empty when they name no service account. */
    static Optional<String[]> of(JsonNode claims) {
        JsonNode kube = claims.path("kubernetes.io");
        String ns = kube.path("namespace").asText("");
        String sa = kube.path("serviceaccount").path("name").asText("");
        if (!ns.isEmpty() && !sa.isEmpty()) {
            return Optional.of(new String[] {ns, sa});
        }
        return fromUsername(claims.path("sub").asText(""));
    }

    /** From {@code system:serviceaccount:NS:SA}; empty for any other form. */
    static Optional<String[]> fromUsername(String username) {
        if (username == null || !username.startsWith(USERNAME_PREFIX)) {
            return Optional.empty();
        }
        String[] parts = username.substring(USERNAME_PREFIX.length()).split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parts);
    }
}
