package dev.meshpilot.server.auth;

import java.util.Locale;

/** Why an xDS call on the authenticated port was refused: the {@code reason} label of the rejection counter. */
public enum RefusalReason {
    /** Neither a client certificate nor an {@code authorization: Bearer} token. */
    NO_CREDENTIALS,
    /** A client certificate without a usable SPIFFE URI SAN (or of another trust domain). */
    INVALID_CERTIFICATE,
    /** A token that is malformed, badly signed, of an unknown key, issuer or audience. */
    INVALID_TOKEN,
    /** A token past its {@code exp} (or before its {@code nbf}). */
    EXPIRED_TOKEN,
    /** The Kubernetes API did not confirm the token (TokenReview unauthenticated or failed). */
    TOKEN_REVIEW_FAILED,
    /** The node claims a namespace other than the caller's. */
    NAMESPACE_MISMATCH,
    /** The registry's pod runs under another service account than the caller's. */
    SERVICE_ACCOUNT_MISMATCH;

    /** The metric label: lower case, e.g. {@code namespace_mismatch}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for refusals of who the caller is (UNAUTHENTICATED), false for what it may claim (PERMISSION_DENIED). */
    public boolean authentication() {
        return this != NAMESPACE_MISMATCH && this != SERVICE_ACCOUNT_MISMATCH;
    }
}
