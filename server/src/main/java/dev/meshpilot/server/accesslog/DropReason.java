package dev.meshpilot.server.accesslog;

import java.util.Locale;

/** Why access-log entries did not become evidence: the {@code reason} label of {@code meshpilot_learning_dropped_total}. */
public enum DropReason {
    /** The stream's node is not a pod of the registry (or names none): the caller is not guessed from an IP. */
    UNKNOWN_NODE,
    /** The upstream cluster is not a name meshpilot gives (nor Istio's fixed passthrough/blackhole clusters). */
    UNKNOWN_CLUSTER,
    /** No upstream cluster (a local reply, e.g. no route): nothing was called. */
    NO_UPSTREAM,
    /** A passthrough entry without a usable original destination address. */
    INVALID_ADDRESS,
    /** The buffer held as many distinct edges as it may until the next flush. */
    BUFFER_FULL,
    /** A message carried more entries than are read from one message. */
    ENTRY_LIMIT,
    /**
     * On the authenticated port: the node is not one its caller may claim (another namespace, or a pod of another
     * service account); the stream is ended with PERMISSION_DENIED.
     */
    UNAUTHORIZED_NODE;

    /** {@code unknown_node}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
