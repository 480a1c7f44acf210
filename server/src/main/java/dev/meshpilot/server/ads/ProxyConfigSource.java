package dev.meshpilot.server.ads;

import java.util.Set;

/**
 * Where streams get their proxy's configuration. Called on the stream's own executor; later changes arrive
 * through {@link ProxyConnection#push(ConfigUpdate)}.
 */
public interface ProxyConfigSource {

    /**
     * A stream received its node: identify the proxy and return what it should hold now.
     *
     * @throws RejectedNodeException when the node cannot be served (the message goes back to the client)
     */
    Attachment attach(ProxyConnection connection) throws RejectedNodeException;

    /** The stream ended; forget the connection. */
    void detach(ProxyConnection connection);

    /**
     * The proxy subscribed to names of this type that it is not served (called on the stream's executor). A source
     * may take it as evidence and widen the proxy's scope; it returns true when it will push those names soon, and
     * the stream then waits for that push instead of answering without them.
     */
    default boolean unservedSubscription(ProxyConnection connection, String typeUrl, Set<String> names) {
        return false;
    }

    /** Thrown by {@link #attach} for a node that cannot be served. */
    final class RejectedNodeException extends Exception {
        private static final long serialVersionUID = 1L;

        private final transient java.util.Optional<dev.meshpilot.server.auth.RefusalReason> refusal;

        public RejectedNodeException(String message) {
            super(message);
            this.refusal = java.util.Optional.empty();
        }

        /** The authenticated caller may not claim this node: the stream ends with PERMISSION_DENIED. */
        public RejectedNodeException(dev.meshpilot.server.auth.AuthException denied) {
            super(denied.getMessage());
            this.refusal = java.util.Optional.of(denied.reason());
        }

        /** Present when the node was refused by authorization rather than for being unreadable. */
        public java.util.Optional<dev.meshpilot.server.auth.RefusalReason> refusal() {
            return refusal;
        }
    }
}
