package dev.meshpilot.core.scope;

/** A proxy's node id or metadata cannot be understood; the message says what is wrong, for the proxy's operator. */
public final class InvalidProxyIdentityException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidProxyIdentityException(String message) {
        super(message);
    }
}
