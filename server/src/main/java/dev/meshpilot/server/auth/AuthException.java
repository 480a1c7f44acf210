package dev.meshpilot.server.auth;

import java.util.Objects;

/** A caller could not be authenticated or may not claim its node; the message goes back to the client. */
public final class AuthException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RefusalReason reason;

    public AuthException(RefusalReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RefusalReason reason() {
        return reason;
    }
}
