package dev.meshpilot.server.ads;

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

    /** Thrown by {@link #attach} for a node that cannot be served. */
    final class RejectedNodeException extends Exception {
        private static final long serialVersionUID = 1L;

        public RejectedNodeException(String message) {
            super(message);
        }
    }
}
