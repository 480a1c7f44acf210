package dev.meshpilot.server.auth;

import java.util.Objects;

/**
 * Who is calling on the authenticated xDS port: a Kubernetes service account, proven by an mTLS certificate's
 * SPIFFE id or by a bearer token.
 *
 * @param namespace      the service account's namespace
 * @param serviceAccount the service account's name
 * @param method         how it was proven
 * @param subject        what proved it, for messages: the SPIFFE URI or the token's subject
 */
public record CallerIdentity(String namespace, String serviceAccount, Method method, String subject) {

    /** How the caller proved who it is. */
    public enum Method { MTLS, JWT, TOKEN_REVIEW }

    public CallerIdentity {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(serviceAccount, "serviceAccount");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(subject, "subject");
    }

    /** {@code NS/SA}, as messages show it. */
    public String display() {
        return namespace + "/" + serviceAccount;
    }
}
